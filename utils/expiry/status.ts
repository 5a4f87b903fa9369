import { daysUntil } from './calendar';
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

/** The first warning threshold: from here on a connection counts as "expiring soon". */
export function expiringSoonDays(connection: Pick<Connection, 'warningDays'>): number {
  return Math.max(...(connection.warningDays.length > 0 ? connection.warningDays : DEFAULT_WARNING_DAYS));
}

export function connectionStatus(connection: StatusInput, now: number, timeZone: string): StatusInfo {
  const at = connection.grantExpiry.at;
  const daysLeft = at === null ? null : daysUntil(at, now, timeZone);
  if (connection.needsReconsent) {
    return connection.consentedAt === null ? { status: 'reconsent', daysLeft, firstSignIn: true } : { status: 'reconsent', daysLeft };
  }
  if (at === null || daysLeft === null) return { status: 'unknown', daysLeft: null };
  // An expiry exactly now has already happened.
  if (at <= now) return { status: 'expired', daysLeft };
  if (daysLeft <= expiringSoonDays(connection)) return { status: 'expiring', daysLeft };
  return { status: 'ok', daysLeft };
}

/** How urgent a connection is, as [rank, moment]: smaller first. Cheap: no calendar work. */
export type UrgencyKey = readonly [rank: number, at: number];

/**
 * Most urgent first: grants that need a sign-in (0; a refused one with its date before a new one
 * that has none yet), then expired ones (1, longest expired first), then dated ones by their date
 * (2), and unknown dates last (3). An expiry exactly now has happened.
 */
export function urgencyKey(connection: Pick<Connection, 'grantExpiry' | 'needsReconsent'>, now: number): UrgencyKey {
  const at = connection.grantExpiry.at;
  if (connection.needsReconsent) return [0, at ?? Infinity];
  if (at === null) return [3, Infinity];
  return [at <= now ? 1 : 2, at];
}

export function isMoreUrgent(a: UrgencyKey, b: UrgencyKey): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** The order of `urgencyKey`, then by label. */
export function compareByUrgency(a: UrgencyInput, b: UrgencyInput, now: number): number {
  const [keyA, keyB] = [urgencyKey(a, now), urgencyKey(b, now)];
  if (isMoreUrgent(keyA, keyB)) return -1;
  if (isMoreUrgent(keyB, keyA)) return 1;
  return a.label.localeCompare(b.label);
}

type UrgencyInput = Pick<Connection, 'grantExpiry' | 'needsReconsent' | 'label'>;

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
