/**
 * Which desktop notifications are due, from stored dates only: pure, so every
 * rule is tested with fake time (daylight-saving changes, sleep, restarts).
 * Each warning day is notified once per grant; a grant with a new end date
 * starts afresh; after trouble, one "working again".
 */
import { atLocalHour, daysUntil, localDayNumber, localHour } from '../expiry/calendar';
import { noNotices, type Connection, type NoticeState } from '../connection';

export type Notice =
  | { kind: 'expiring'; connectionId: string; daysLeft: number; at: number }
  | { kind: 'expired'; connectionId: string; at: number }
  | { kind: 'reconsent'; connectionId: string }
  | { kind: 'working-again'; connectionId: string; at: number | null };

export interface NoticeOptions {
  timeZone: string;
  /** Warnings wait for this local hour, so nobody is woken at midnight. */
  morningHour: number;
}

type PlannerInput = Pick<Connection, 'id' | 'grantExpiry' | 'needsReconsent' | 'consentedAt' | 'warningDays' | 'notices'>;

function hadTrouble(state: NoticeState): boolean {
  return state.sent.length > 0 || state.expired || state.reconsent;
}

const DAY_MS = 86_400_000;

/** A grant counts as renewed when it ends at least a day later than the one the notices were about. */
function renewedSince(state: NoticeState, at: number | null, now: number): boolean {
  return at !== null && at > now && (state.grantAt === null || at - state.grantAt >= DAY_MS);
}

/** The warning days already told for this grant (the same grant, give or take a restated end). */
function sentFor(connection: Pick<PlannerInput, 'notices'>, at: number): readonly number[] {
  const notices = connection.notices;
  return notices && !renewedSince(notices, at, -Infinity) ? notices.sent : [];
}

/** What a notice tells settles a reminder asked for before it. */
function told({ remindAt: _reminded, ...state }: NoticeState): NoticeState {
  return state;
}

/** A reminder still ahead; one already past is told at the next run or, with nothing left to tell, dropped. */
function reminderAfter(connection: Pick<PlannerInput, 'notices'>, now: number): number {
  const at = connection.notices?.remindAt ?? 0;
  return at > now ? at : Infinity;
}

/** "Remind me tomorrow": the grant's notice comes again at tomorrow's morning hour. */
export function remindTomorrow(state: NoticeState, now: number, { timeZone, morningHour }: NoticeOptions): NoticeState {
  return { ...state, remindAt: atLocalHour(localDayNumber(now, timeZone) + 1, morningHour, timeZone) };
}

/** The notices due for one connection now, and what it will then have been told. */
export function planNotices(connection: PlannerInput, now: number, { timeZone, morningHour }: NoticeOptions): { notices: Notice[]; state: NoticeState } {
  const at = connection.grantExpiry.at;
  let state = connection.notices ?? noNotices(at);
  const notices: Notice[] = [];

  if (state.grantAt !== at && !connection.needsReconsent) {
    if (renewedSince(state, at, now)) {
      // A new end date at least a day later: renewed (or first dated). After warnings or a failure, say it works again.
      if (hadTrouble(state)) notices.push({ kind: 'working-again', connectionId: connection.id, at });
      state = noNotices(at);
    } else {
      // The same end within a day (a refresh restating it), or an earlier one: what was told still holds.
      state = { ...state, grantAt: at };
    }
  }
  if (state.reconsent && !connection.needsReconsent) {
    // Signed in again after a refused renewal, even where the platform states no end date.
    if (!notices.some((notice) => notice.kind === 'working-again')) {
      notices.push({ kind: 'working-again', connectionId: connection.id, at });
    }
    state = { ...state, reconsent: false };
  }

  // A reminder the user asked for is due: what stands about the grant is told again.
  const reminded = (state.remindAt ?? Infinity) <= now;
  // A refused grant (not a new connection waiting for its first sign-in): tell once, with what to do.
  if (connection.needsReconsent) {
    if (connection.consentedAt !== null && (!state.reconsent || reminded)) {
      notices.push({ kind: 'reconsent', connectionId: connection.id });
      state = { ...told(state), reconsent: true };
    }
    return { notices, state };
  }
  if (at === null) return { notices, state };

  const crossed = connection.warningDays.filter((day) => daysUntil(at, now, timeZone) <= day);
  if (at <= now) {
    if (!state.expired || reminded) {
      notices.push({ kind: 'expired', connectionId: connection.id, at });
      state = { ...told(state), expired: true, sent: [...new Set([...state.sent, ...crossed])] };
    }
    return { notices, state };
  }
  const unsent = crossed.filter((day) => !state.sent.includes(day));
  // A reminder comes at the hour it was set for, even should the morning hour have moved since.
  if (reminded || (unsent.length > 0 && localHour(now, timeZone) >= morningHour)) {
    // Thresholds passed while the computer slept make one warning with today's figure, not several.
    notices.push({ kind: 'expiring', connectionId: connection.id, daysLeft: daysUntil(at, now, timeZone), at });
    state = { ...told(state), sent: [...new Set([...state.sent, ...crossed])] };
  }
  return { notices, state };
}

/** The next moment `planNotices` will have something new to say for this connection; null if never. */
export function nextNoticeAt(connection: PlannerInput, now: number, { timeZone, morningHour }: NoticeOptions): number | null {
  const at = connection.grantExpiry.at;
  const reminder = reminderAfter(connection, now);
  if (at === null || connection.needsReconsent || at <= now) return reminder === Infinity ? null : reminder;
  const sent = sentFor(connection, at);
  const expiryDay = localDayNumber(at, timeZone);
  const today = localDayNumber(now, timeZone);
  const candidates = [at, reminder];
  for (const day of connection.warningDays) {
    if (sent.includes(day)) continue;
    // The warning goes out at the morning hour of the day it becomes due (today at the earliest).
    const morning = atLocalHour(Math.max(expiryDay - day, today), morningHour, timeZone);
    candidates.push(morning > now ? morning : now);
  }
  return Math.min(...candidates);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The earliest `nextNoticeAt` of many connections without calendar work for
 * each: cheap bounds (any morning hour, any zone offset, daylight saving) pick
 * the few connections that can be first, and only those are computed exactly.
 */
export function nextNoticeAmong(connections: readonly PlannerInput[], now: number, options: NoticeOptions): number | null {
  const bounds: { connection: PlannerInput; lower: number }[] = [];
  let earliestUpper = Infinity;
  let reminder = Infinity;
  for (const connection of connections) {
    reminder = Math.min(reminder, reminderAfter(connection, now));
    const at = connection.grantExpiry.at;
    if (at === null || connection.needsReconsent || at <= now) continue;
    const sent = sentFor(connection, at);
    let lower = at;
    let upper = at;
    for (const day of connection.warningDays) {
      if (sent.includes(day)) continue;
      lower = Math.min(lower, Math.max(now, at - (day + 1) * DAY - 2 * HOUR));
      upper = Math.min(upper, Math.max(now + DAY + 2 * HOUR, at - day * DAY + 25 * HOUR));
    }
    earliestUpper = Math.min(earliestUpper, upper);
    bounds.push({ connection, lower });
  }
  let earliest = reminder;
  for (const { connection, lower } of bounds) {
    if (lower > earliestUpper) continue;
    earliest = Math.min(earliest, nextNoticeAt(connection, now, options) ?? Infinity);
  }
  return earliest === Infinity ? null : earliest;
}
