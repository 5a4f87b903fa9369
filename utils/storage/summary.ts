/**
 * The list's summary: one stored record from which the popup's first screen and the toolbar badge
 * are built without reading every connection. The background writes it after reading the whole
 * list; every write of a connection deletes it in the same transaction (db.ts), so a summary that
 * is there is never older than the records. It holds instants, never day counts, so it stays true
 * as time passes.
 */
import { readableConnections, type Connection } from '../connection';
import { startOfLocalDay, localDayNumber } from '../expiry/calendar';
import { compareByUrgency, expiringSoonDays, waitsForFirstSignIn } from '../expiry/status';
import { DB_VERSION } from './schema';

/** Its key in the settings store. */
export const SUMMARY_KEY = 'summary';

/** At least the popup's first screen of rows (components/ConnectionList.tsx), and the tooltip's few. */
export const SUMMARY_ROWS = 30;

export interface ListSummary {
  /** The database version it was written for: an upgrade that rewrites the records leaves it behind. */
  schema: number;
  /** The zone `attentionFrom` was counted in. */
  timeZone: string;
  /** The watched connections (whole, not paused). */
  count: number;
  /**
   * Every connection that can be among the `SUMMARY_ROWS` most urgent at any time: the most urgent
   * of those whose order never changes with time, and the first of those waiting for their first
   * sign-in (which count as due a month from now, so the others overtake them as days pass). In
   * the order of their ids, as the whole list is read.
   */
  rows: Connection[];
  /** For each watched connection, the moment it starts to need attention (`needsAttention`), soonest first. */
  attentionFrom: number[];
}

const byId = (a: Connection, b: Connection) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The most urgent `SUMMARY_ROWS`; exact ties in the order the whole list is read (by id), as the badge takes them. */
function mostUrgent(connections: readonly Connection[], now: number): Connection[] {
  return [...connections].sort((a, b) => compareByUrgency(a, b, now) || byId(a, b)).slice(0, SUMMARY_ROWS);
}

/** When a connection stops being fine: it is expiring from the start of its first warning day, and expired from its end. */
function attentionFrom(connection: Connection, timeZone: string): number {
  const at = connection.grantExpiry.at;
  if (connection.needsReconsent || at === null) return -Infinity;
  return Math.min(at, startOfLocalDay(localDayNumber(at, timeZone) - expiringSoonDays(connection), timeZone));
}

export function summarize(records: readonly unknown[], now: number, timeZone: string): ListSummary {
  const watched = readableConnections(records).filter((connection) => !connection.paused);
  const firstSignIns = watched.filter(waitsForFirstSignIn);
  const others = watched.filter((connection) => !waitsForFirstSignIn(connection));
  return {
    schema: DB_VERSION,
    timeZone,
    count: watched.length,
    rows: [...mostUrgent(others, now), ...mostUrgent(firstSignIns, now)].sort(byId),
    attentionFrom: watched.map((connection) => attentionFrom(connection, timeZone)).sort((a, b) => a - b),
  };
}

/**
 * The stored summary where it can stand for the list in this time zone, else null. Only
 * `summarize` writes it, whole, under its key: its version and zone are all there is to check.
 */
export function currentSummary(stored: unknown, timeZone: string): ListSummary | null {
  const summary = stored as ListSummary | undefined;
  return summary?.schema === DB_VERSION && summary.timeZone === timeZone ? summary : null;
}

/** How many watched connections need attention at `now`. */
export function attentionCount(summary: Pick<ListSummary, 'attentionFrom'>, now: number): number {
  let count = 0;
  while (count < summary.attentionFrom.length && summary.attentionFrom[count]! <= now) count++;
  return count;
}
