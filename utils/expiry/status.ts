import { daysUntil } from './calendar';
import type { Connection } from '../connection';

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
  return connection.warningDays.length > 0 ? Math.max(...connection.warningDays) : 30;
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

const STATUS_RANK: Record<ConnectionStatus, number> = {
  reconsent: 0,
  expired: 1,
  expiring: 2,
  ok: 2,
  unknown: 3,
};

/**
 * Most urgent first: refused grants, then expired ones (longest expired first),
 * then by expiry date, and unknown dates last.
 */
export function compareByUrgency(
  a: Pick<Connection, 'grantExpiry' | 'needsReconsent' | 'label'> & { status: ConnectionStatus },
  b: Pick<Connection, 'grantExpiry' | 'needsReconsent' | 'label'> & { status: ConnectionStatus },
): number {
  const rank = STATUS_RANK[a.status] - STATUS_RANK[b.status];
  if (rank !== 0) return rank;
  const atA = a.grantExpiry.at ?? Infinity;
  const atB = b.grantExpiry.at ?? Infinity;
  if (atA !== atB) return atA < atB ? -1 : 1;
  return a.label.localeCompare(b.label);
}
