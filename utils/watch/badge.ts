import { daysUntil } from '../expiry/calendar';
import type { Connection } from '../connection';
import { connectionStatus, isMoreUrgent, urgencyKey, type StatusInfo, type UrgencyKey } from '../expiry/status';

/** Urgency bands: the badge's colour and what the tooltip leads with; `todo` is a first sign-in still to do. */
export type BadgeTone = 'none' | 'ok' | 'soon' | 'urgent' | 'expired' | 'todo' | 'unknown';

export interface BadgeEntry {
  connection: Connection;
  info: StatusInfo;
}

export interface BadgeModel {
  text: string;
  tone: BadgeTone;
  /** The most urgent connections, most urgent first, for the tooltip. */
  mostUrgent: BadgeEntry[];
}

export const BADGE_MAX_DAYS = 999;
/** A first sign-in to do: a mark, not a number of days and not the alarm's "!". */
export const BADGE_TODO_TEXT = '•';
/** Amber from this many days left, red from `URGENT_DAYS`. */
export const SOON_DAYS = 30;
export const URGENT_DAYS = 7;
const TOOLTIP_ENTRIES = 3;

type BadgeInput = Pick<Connection, 'grantExpiry' | 'needsReconsent'>;

export function toneForDays(daysLeft: number): BadgeTone {
  if (daysLeft <= URGENT_DAYS) return 'urgent';
  if (daysLeft <= SOON_DAYS) return 'soon';
  return 'ok';
}

/** The colour band of one connection, matching the badge's bands. */
export function statusTone(info: StatusInfo): BadgeTone {
  const { status, daysLeft } = info;
  if (status === 'reconsent') return info.firstSignIn ? 'todo' : 'expired';
  if (status === 'expired') return 'expired';
  if (status === 'unknown' || daysLeft === null) return 'unknown';
  return toneForDays(daysLeft);
}

export function badgeText(daysLeft: number): string {
  return daysLeft > BADGE_MAX_DAYS ? `${BADGE_MAX_DAYS}+` : String(Math.max(0, daysLeft));
}

/**
 * The toolbar badge for a set of connections: days to the soonest expiry,
 * "!" when something has expired or needs a new consent, a calm mark when a
 * new connection waits for its first sign-in and nothing runs out within a
 * month, "?" when only unknown dates are tracked, and nothing at all when
 * nothing is tracked.
 * One linear pass; calendar arithmetic only for the few entries shown.
 */
export function badgeModel(
  connections: readonly Connection[],
  now: number,
  timeZone: string,
): BadgeModel {
  const top: { connection: Connection; key: UrgencyKey }[] = [];
  // The list's order: by urgency, ties by label (the label is compared only for equal urgency).
  const before = (a: { connection: Connection; key: UrgencyKey }, b: { connection: Connection; key: UrgencyKey }) =>
    isMoreUrgent(a.key, b.key) || (!isMoreUrgent(b.key, a.key) && a.connection.label.localeCompare(b.connection.label) < 0);
  for (const connection of connections) {
    const entry = { connection, key: urgencyKey(connection, now) };
    const last = top[top.length - 1];
    if (top.length === TOOLTIP_ENTRIES && last && !before(entry, last)) continue;
    let index = top.length;
    for (let previous = top[index - 1]; previous && before(entry, previous); previous = top[index - 1]) index--;
    top.splice(index, 0, entry);
    if (top.length > TOOLTIP_ENTRIES) top.pop();
  }
  const mostUrgent = top.map(({ connection }) => ({
    connection,
    info: connectionStatus(connection, now, timeZone),
  }));
  const first = top[0];
  if (!first) return { text: '', tone: 'none', mostUrgent };
  const [rank, at] = first.key;
  if (rank <= 1) return { text: '!', tone: 'expired', mostUrgent };
  if (rank === 3) return { text: '?', tone: 'unknown', mostUrgent };
  if (first.connection.needsReconsent) return { text: BADGE_TODO_TEXT, tone: 'todo', mostUrgent };
  const daysLeft = daysUntil(at, now, timeZone);
  return { text: badgeText(daysLeft), tone: toneForDays(daysLeft), mostUrgent };
}

/** The soonest future grant expiry: the badge turns to "!" at that moment. */
export function nextExpiryAfter(connections: readonly BadgeInput[], now: number): number | null {
  let soonest = Infinity;
  for (const { grantExpiry, needsReconsent } of connections) {
    const at = grantExpiry.at;
    if (!needsReconsent && at !== null && at > now && at < soonest) soonest = at;
  }
  return soonest === Infinity ? null : soonest;
}
