import { describe, expect, it } from 'vitest';
import { addMonths, daysUntil, isInDateRange, localDayNumber, nextLocalMidnight, startOfLocalDay, zoneOffset } from '../../../utils/expiry/calendar';

const BERLIN = 'Europe/Berlin';
const at = (iso: string) => Date.parse(iso);

describe('daysUntil counts local calendar days', () => {
  it.each([
    ['same day, later', '2026-11-23T09:00:00+01:00', '2026-11-23T23:59:00+01:00', 0],
    ['one minute past midnight', '2026-11-23T23:59:00+01:00', '2026-11-24T00:01:00+01:00', 1],
    ['almost two days, one midnight', '2026-11-23T00:01:00+01:00', '2026-11-24T23:59:00+01:00', 1],
    ['across the spring change (23-hour day)', '2026-03-28T12:00:00+01:00', '2026-03-30T00:30:00+02:00', 2],
    ['across the autumn change (25-hour day)', '2026-10-24T23:30:00+02:00', '2026-10-25T23:30:00+01:00', 1],
    ['late evening before the spring change', '2026-03-28T23:30:00+01:00', '2026-04-04T23:30:00+02:00', 7],
    ['end of a month', '2026-01-31T20:00:00+01:00', '2026-02-01T08:00:00+01:00', 1],
    ['end of a year', '2026-12-31T23:00:00+01:00', '2027-01-01T01:00:00+01:00', 1],
    ['over a leap day', '2028-02-28T12:00:00+01:00', '2028-03-01T12:00:00+01:00', 2],
    ['in the past', '2026-11-23T09:00:00+01:00', '2026-11-20T18:00:00+01:00', -3],
  ])('%s', (_, now, target, days) => {
    expect(daysUntil(at(target), at(now), BERLIN)).toBe(days);
  });

  it('follows the time zone the user is in now', () => {
    const now = at('2026-11-23T22:00:00Z'); // 23:00 in Berlin, 17:00 in New York
    const target = at('2026-11-24T03:00:00Z'); // 04:00 in Berlin, 22:00 in New York
    expect(daysUntil(target, now, BERLIN)).toBe(1);
    expect(daysUntil(target, now, 'America/New_York')).toBe(0);
  });
});

describe('local midnights', () => {
  it.each([
    ['a winter day', '2026-11-23T15:00:00+01:00', '2026-11-23T23:00:00Z'],
    ['the evening before the spring change', '2026-03-28T20:00:00+01:00', '2026-03-28T23:00:00Z'],
    ['the day of the spring change', '2026-03-29T12:00:00+02:00', '2026-03-29T22:00:00Z'],
    ['the day of the autumn change', '2026-10-25T12:00:00+01:00', '2026-10-25T23:00:00Z'],
    ['just after midnight', '2026-11-24T00:00:01+01:00', '2026-11-24T23:00:00Z'],
  ])('the next one after %s', (_, now, midnight) => {
    expect(new Date(nextLocalMidnight(at(now), BERLIN)).toISOString()).toBe(new Date(at(midnight)).toISOString());
  });

  it('starts each local day at its own midnight', () => {
    const day = localDayNumber(at('2026-03-29T12:00:00+02:00'), BERLIN);
    expect(startOfLocalDay(day, BERLIN)).toBe(at('2026-03-29T00:00:00+01:00'));
    expect(zoneOffset(at('2026-07-01T00:00:00Z'), BERLIN)).toBe(2 * 3_600_000);
  });
});

describe('zoneOffset', () => {
  it('gives the same offsets read one by one (the first few in a zone) as from the table (all after)', () => {
    // Lord Howe Island moves its clocks by half an hour, at 02:00 local time; asked for nowhere else in this file.
    const zone = 'Australia/Lord_Howe';
    const instants = Array.from({ length: 500 }, (_, index) => Date.now() - 365 * 86_400_000 + index * 4.3 * 86_400_000 + index * 997_000);
    const first = instants.map((instant) => zoneOffset(instant, zone));
    expect(instants.map((instant) => zoneOffset(instant, zone))).toEqual(first);
    expect(new Set(first)).toEqual(new Set([10.5 * 3_600_000, 11 * 3_600_000]));
  });
});

describe('addMonths', () => {
  it.each([
    ['one month from 31 January in a common year', '2026-01-31T10:00:00Z', 1, '2026-02-28T10:00:00.000Z'],
    ['one month from 31 January in a leap year', '2028-01-31T10:00:00Z', 1, '2028-02-29T10:00:00.000Z'],
    ['a year from 29 February ends on 28 February', '2024-02-29T08:30:00Z', 12, '2025-02-28T08:30:00.000Z'],
    ['four years from 29 February ends on 29 February', '2024-02-29T08:30:00Z', 48, '2028-02-29T08:30:00.000Z'],
    ['18 months (eBay)', '2025-05-23T12:00:00Z', 18, '2026-11-23T12:00:00.000Z'],
    ['24 months (DATEV)', '2024-12-31T23:59:59Z', 24, '2026-12-31T23:59:59.000Z'],
  ])('%s', (_, from, months, expected) => {
    expect(new Date(addMonths(at(from), months)).toISOString()).toBe(expected);
  });
});

describe('the accepted dates', () => {
  it.each<[string, number, boolean]>([
    ['the first moment of 1970', Date.UTC(1970, 0, 1), true],
    ['the last moment before 1970', Date.UTC(1970, 0, 1) - 1, false],
    ['the last moment of 2199', Date.UTC(2200, 0, 1) - 1, true],
    ['the first moment of 2200', Date.UTC(2200, 0, 1), false],
    ['the largest date JavaScript has', 8.64e15, false],
    ['no date at all', Number.NaN, false],
  ])('%s: %s', (_, instant, accepted) => {
    expect(isInDateRange(instant)).toBe(accepted);
  });
});
