import { daysUntil, MS_PER_DAY } from './calendar';
import { DEFAULT_WARNING_DAYS, type Connection } from '../connection';

export type ConnectionStatus = 'ok' | 'expiring' | 'expired' | 'reconsent' | 'unknown';

export interface StatusInfo {
  status: ConnectionStatus;
  /** Local calendar days until the grant ends; negative once past; null when unknown. */
  daysLeft: number | null;
  /** A new connection that waits for its first sign-in (status `reconsent`). */
  firstSignIn?: true;
}

type StatusInput = Pick<Connection, 'grantExpiry' | 'needsReconsent' | 'warningDays'> & Partial<Pick<Connection, 'consentedAt'>>;

/** A new connection that has never been signed in: a to-do, not an outage. */
export function waitsForFirstSignIn(connection: Pick<Connection, 'needsReconsent'> & Partial<Pick<Connection, 'consentedAt'>>): boolean {
  return connection.needsReconsent && connection.consentedAt === null;
}

/** Whether a row needs something done (or soon will): everything but a grant that is fine. */
export function needsAttention({ status }: StatusInfo): boolean {
  return status !== 'ok';
}

/** The first warning threshold: from here on a connection counts as "expiring soon". */
export function expiringSoonDays(connection: Pick<Connection, 'warningDays'>): number {
  return Math.max(...(connection.warningDays.length > 0 ? connection.warningDays : DEFAULT_WARNING_DAYS));
}

export function connectionStatus(connection: StatusInput, now: number, timeZone: string): StatusInfo {
  const at = connection.grantExpiry.at;
  const daysLeft = at === null ? null : daysUntil(at, now, timeZone);
  if (connection.needsReconsent) {
    return waitsForFirstSignIn(connection) ? { status: 'reconsent', daysLeft, firstSignIn: true } : { status: 'reconsent', daysLeft };
  }
  if (at === null || daysLeft === null) return { status: 'unknown', daysLeft: null };
  // An expiry exactly now has already happened.
  if (at <= now) return { status: 'expired', daysLeft };
  if (daysLeft <= expiringSoonDays(connection)) return { status: 'expiring', daysLeft };
  return { status: 'ok', daysLeft };
}

/** How urgent a connection is, as [rank, moment]: smaller first. Cheap: no calendar work. */
export type UrgencyKey = readonly [rank: number, at: number];

/** A new connection's first sign-in is a to-do, not an outage: it comes after what runs out within a month. */
const FIRST_SIGN_IN_AHEAD_MS = 30 * MS_PER_DAY;

/**
 * Most urgent first: refused grants that need a new sign-in (0), then expired ones (1, longest
 * expired first), then dated ones by their date (2), among them new connections waiting for their
 * first sign-in as if due in a month, and unknown dates last (3). An expiry exactly now has happened.
 */
export function urgencyKey(connection: UrgencyInput, now: number): UrgencyKey {
  const at = connection.grantExpiry.at;
  if (connection.needsReconsent) return waitsForFirstSignIn(connection) ? [2, now + FIRST_SIGN_IN_AHEAD_MS] : [0, at ?? Infinity];
  if (at === null) return [3, Infinity];
  return [at <= now ? 1 : 2, at];
}

export function isMoreUrgent(a: UrgencyKey, b: UrgencyKey): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** The order of `urgencyKey`, then by label. */
export function compareByUrgency(a: LabelledUrgencyInput, b: LabelledUrgencyInput, now: number): number {
  const [keyA, keyB] = [urgencyKey(a, now), urgencyKey(b, now)];
  if (isMoreUrgent(keyA, keyB)) return -1;
  if (isMoreUrgent(keyB, keyA)) return 1;
  return a.label.localeCompare(b.label);
}

type UrgencyInput = Pick<Connection, 'grantExpiry' | 'needsReconsent' | 'consentedAt'>;
type LabelledUrgencyInput = UrgencyInput & Pick<Connection, 'label'>;

/** Views of connections (anything with a `connection`) with their status, most urgent first; ties by label. */
export function byUrgency<T extends { connection: Connection }>(
  items: readonly T[],
  now: number,
  timeZone: string,
): { view: T; info: StatusInfo }[] {
  return [...items]
    .sort((a, b) => compareByUrgency(a.connection, b.connection, now))
    .map((view) => ({ view, info: connectionStatus(view.connection, now, timeZone) }));
}
