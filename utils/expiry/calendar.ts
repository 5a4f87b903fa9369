/**
 * Calendar arithmetic on absolute instants (milliseconds since the epoch).
 * "Days left" is counted in local calendar days of the user's time zone, so
 * the count changes at local midnight, also across daylight-saving changes.
 */

export const MS_PER_SECOND = 1_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The offset read from the platform's time-zone data: exact, but a few microseconds each. */
function measuredOffset(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return wallClock - Math.floor(instant / MS_PER_SECOND) * MS_PER_SECOND;
}

/**
 * A zone's offsets over a window of years, as segments between its changes, so
 * that thousands of dates cost a binary search each instead of an Intl call.
 * Changes are found by probing every week and bisecting to the millisecond; two
 * changes within one week that cancel out (no zone in use does that) would be missed.
 */
interface OffsetTable {
  from: number;
  to: number;
  starts: number[];
  offsets: number[];
}

const WEEK = 7 * MS_PER_DAY;
const TABLE_YEARS_BEFORE = 1;
const TABLE_YEARS_AFTER = 5;
const offsetTables = new Map<string, OffsetTable>();

function buildOffsetTable(timeZone: string, around: number): OffsetTable {
  const year = new Date(around).getUTCFullYear();
  const from = Date.UTC(year - TABLE_YEARS_BEFORE, 0, 1);
  const to = Date.UTC(year + TABLE_YEARS_AFTER, 0, 1);
  const starts = [from];
  const offsets = [measuredOffset(from, timeZone)];
  for (let probe = from + WEEK; probe < to + WEEK; probe += WEEK) {
    const offset = measuredOffset(probe, timeZone);
    if (offset === offsets.at(-1)) continue;
    // The change lies within the last week: bisect to the millisecond.
    let low = probe - WEEK;
    let high = probe;
    while (high - low > 1) {
      const middle = low + Math.floor((high - low) / 2);
      if (measuredOffset(middle, timeZone) === offset) high = middle;
      else low = middle;
    }
    starts.push(high);
    offsets.push(offset);
  }
  return { from, to, starts, offsets };
}

/**
 * The first offsets asked for in a zone are read from the platform, each a few microseconds; the
 * table costs hundreds of such reads, which pays off only once many dates are asked for (the
 * background's whole list, not the popup's first screen).
 */
const READS_BEFORE_TABLE = 200;
const directReads = new Map<string, number>();

/** How far the wall clock of `timeZone` is ahead of UTC at `instant`, in ms. */
export function zoneOffset(instant: number, timeZone: string): number {
  let table = offsetTables.get(timeZone);
  if (!table) {
    const reads = (directReads.get(timeZone) ?? 0) + 1;
    directReads.set(timeZone, reads);
    if (reads <= READS_BEFORE_TABLE) return measuredOffset(instant, timeZone);
    // Around today, whatever date is asked first: that is where the dates that matter are.
    table = buildOffsetTable(timeZone, Date.now());
    offsetTables.set(timeZone, table);
  }
  if (instant < table.from || instant >= table.to) return measuredOffset(instant, timeZone);
  let low = 0;
  let high = table.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (table.starts[middle]! <= instant) low = middle;
    else high = middle - 1;
  }
  return table.offsets[low]!;
}

/** The local calendar date of `instant`, as a count of days since 1970-01-01. */
export function localDayNumber(instant: number, timeZone: string): number {
  return Math.floor((instant + zoneOffset(instant, timeZone)) / MS_PER_DAY);
}

/** Calendar days from the day of `now` to the day of `target` (negative when past). */
export function daysUntil(target: number, now: number, timeZone: string): number {
  return localDayNumber(target, timeZone) - localDayNumber(now, timeZone);
}

/**
 * The instant a local calendar day begins. Midnight exists in every zone we
 * care about (Europe moves its clocks at 02:00 or 03:00); two rounds of offset
 * correction settle the answer on either side of a change.
 */
export function startOfLocalDay(dayNumber: number, timeZone: string): number {
  const wallClock = dayNumber * MS_PER_DAY;
  let instant = wallClock - zoneOffset(wallClock, timeZone);
  instant = wallClock - zoneOffset(instant, timeZone);
  return instant;
}

/** The next local midnight after `now`: when every "days left" figure changes. */
export function nextLocalMidnight(now: number, timeZone: string): number {
  return startOfLocalDay(localDayNumber(now, timeZone) + 1, timeZone);
}

/**
 * Adds calendar months in UTC, clamping to the last day of a shorter month:
 * 31 January + 1 month is 28 (or 29) February, and a yearly rule from
 * 29 February ends on 28 February of a common year.
 */
export function addMonths(instant: number, months: number): number {
  const date = new Date(instant);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDayOfTargetMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDayOfTargetMonth);
  return Date.UTC(
    year,
    month,
    day,
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

/** The instant a local wall-clock hour begins on a local calendar day (e.g. 09:00 in Berlin). */
export function atLocalHour(dayNumber: number, hour: number, timeZone: string): number {
  const wallClock = dayNumber * MS_PER_DAY + hour * MS_PER_HOUR;
  let instant = wallClock - zoneOffset(wallClock, timeZone);
  instant = wallClock - zoneOffset(instant, timeZone);
  return instant;
}

/** The local wall-clock hour (0–23) at `instant`. */
export function localHour(instant: number, timeZone: string): number {
  const local = instant + zoneOffset(instant, timeZone);
  return Math.floor((((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR);
}

/**
 * The dates the extension accepts, from 1 January 1970 to the end of 2199 (UTC): every date that
 * enters (a form, an import, the policy) must lie in it, so nothing downstream meets a date that
 * the calendar cannot show or an alarm cannot be set for.
 */
export const EARLIEST_DATE = Date.UTC(1970, 0, 1);
export const LATEST_DATE = Date.UTC(2200, 0, 1) - 1;

export function isInDateRange(instant: number): boolean {
  return Number.isFinite(instant) && instant >= EARLIEST_DATE && instant <= LATEST_DATE;
}

/**
 * A computed instant brought into the range: a day within it can still end outside it (31 December
 * 2199 in a zone behind UTC, a lifetime added to a late issue date), and a connection dated outside
 * it would not be a whole connection any more, left out of the list and the badge.
 */
export const inDateRange = (instant: number): number => Math.min(Math.max(instant, EARLIEST_DATE), LATEST_DATE);
