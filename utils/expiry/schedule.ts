/**
 * When the background wakes up next, from stored absolute times only: after
 * sleep, a restart or a clock jump everything is recomputed, and a missed
 * moment is handled once, not in a loop.
 */
import { MS_PER_DAY } from './calendar';
import type { Connection } from '../connection';
import type { ExpiryRule } from './rules';

/** Renew this long before the access token ends. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/**
 * A refresh keeps a sliding grant alive; more than one a day adds nothing but
 * risk (each rotation can be lost in transit, RFC 9700 section 4.14).
 */
export const KEEP_ALIVE_INTERVAL_MS = MS_PER_DAY;
/** Chrome fires alarms no sooner than 30 s; waking more often than this is never useful. */
export const MIN_ALARM_DELAY_MS = 60_000;

/** Whether a successful refresh moves the grant's end forward. */
export function refreshExtendsGrant(rule: ExpiryRule): boolean {
  return rule.kind === 'sliding' || (rule.kind === 'response-field' && refreshExtendsGrant(rule.otherwise));
}

type RefreshInput = Pick<
  Connection,
  'client' | 'hasRefreshToken' | 'needsReconsent' | 'problem' | 'accessTokenExpiry' | 'refreshedAt' | 'consentedAt'
>;

/** When the background should renew this connection by itself; null when it should not. */
export function refreshDueAt(connection: RefreshInput, rule: ExpiryRule | undefined): number | null {
  if (!connection.client || !connection.hasRefreshToken || connection.needsReconsent) return null;
  // After a failure: the planned retry, or nothing when only the user can fix it.
  if (connection.problem) return connection.problem.retryAt ?? null;
  if (!rule || !refreshExtendsGrant(rule)) return null;
  const last = connection.refreshedAt ?? connection.consentedAt;
  if (last === null) return null;
  const beforeAccessEnds = (connection.accessTokenExpiry.at ?? last) - REFRESH_MARGIN_MS;
  return Math.max(beforeAccessEnds, last + KEEP_ALIVE_INTERVAL_MS);
}

/** The next wake-up: the earliest of the candidates, never sooner than a minute from now. */
export function nextWakeUp(now: number, candidates: readonly (number | null)[]): number {
  const earliest = Math.min(...candidates.map((at) => at ?? Infinity));
  return Math.max(earliest, now + MIN_ALARM_DELAY_MS);
}
