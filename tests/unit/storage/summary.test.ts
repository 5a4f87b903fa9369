import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../utils/connection';
import { MS_PER_DAY, MS_PER_HOUR } from '../../../utils/expiry/calendar';
import { byUrgency, connectionStatus, needsAttention } from '../../../utils/expiry/status';
import { DB_VERSION } from '../../../utils/storage/schema';
import { attentionCount, currentSummary, summarize, SUMMARY_ROWS } from '../../../utils/storage/summary';
import { badgeModel } from '../../../utils/watch/badge';
import { aConnection, expiresAt } from '../fixtures';

const BERLIN = 'Europe/Berlin';
const NOW = Date.parse('2026-11-23T10:00:00+01:00');

/** A random office: every state a row can be in, many rows with the same date, some paused, some waiting for their first sign-in. */
function randomOffice(count: number, seed: number): Connection[] {
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, (_, index) =>
    aConnection({
      id: `c${String(Math.floor(random() * 1e6)).padStart(6, '0')}-${index}`,
      label: `Shop ${Math.floor(random() * 20)}`,
      grantExpiry: random() < 0.1 ? { at: null, source: 'unknown' } : expiresAt(NOW + Math.floor((random() * 120 - 10) * 4) * 6 * MS_PER_HOUR),
      warningDays: random() < 0.5 ? [30, 14, 7] : [3],
      needsReconsent: random() < 0.15,
      consentedAt: random() < 0.5 ? null : NOW - 100 * MS_PER_DAY,
      paused: random() < 0.05,
    }),
  );
}

const watched = (connections: readonly Connection[]) => connections.filter((connection) => !connection.paused);
const ids = (connections: readonly { id: string }[]) => connections.map(({ id }) => id);

describe('the list’s summary', () => {
  it.each([7, 40, 300])('gives the badge and the first screen the whole list gives, at any time from now on (%i connections)', (count) => {
    const office = randomOffice(count, count);
    const summary = summarize(office, NOW, BERLIN);
    // Up to half a year on, across the change to summer time, at all hours: the rows waiting for
    // their first sign-in count as due a month from "now", so the dated ones overtake them.
    for (let later = NOW; later < NOW + 200 * MS_PER_DAY; later += 29 * MS_PER_HOUR) {
      const whole = badgeModel(watched(office), later, BERLIN);
      const fromSummary = badgeModel(summary.rows, later, BERLIN);
      expect({ ...fromSummary, mostUrgent: ids(fromSummary.mostUrgent.map(({ connection }) => connection)) }).toEqual({
        ...whole,
        mostUrgent: ids(whole.mostUrgent.map(({ connection }) => connection)),
      });
      const firstScreen = (connections: readonly Connection[]) =>
        byUrgency(connections.map((connection) => ({ connection })), later, BERLIN).slice(0, SUMMARY_ROWS).map(({ view }) => view.connection.id);
      expect(firstScreen(summary.rows)).toEqual(firstScreen(watched(office)));
      expect(attentionCount(summary, later)).toBe(watched(office).filter((connection) => needsAttention(connectionStatus(connection, later, BERLIN))).length);
    }
  });

  it('counts the watched connections and keeps a few rows, in the order of their ids', () => {
    const office = randomOffice(300, 1);
    const summary = summarize([...office, { id: 'damaged' }], NOW, BERLIN);
    expect(summary.count).toBe(watched(office).length);
    expect(summary.rows.length).toBeLessThanOrEqual(2 * SUMMARY_ROWS);
    expect(ids(summary.rows)).toEqual(ids(summary.rows).sort());
  });

  it('needs attention from the start of the first warning day, and at once when the date is unknown or a sign-in is due', () => {
    const expiring = aConnection({ grantExpiry: expiresAt(Date.parse('2026-12-10T15:00:00+01:00')), warningDays: [7], needsReconsent: false });
    const unknown = aConnection({ grantExpiry: { at: null, source: 'unknown' }, needsReconsent: false });
    const signIn = aConnection({ grantExpiry: expiresAt(NOW + 300 * MS_PER_DAY), needsReconsent: true });
    expect(summarize([expiring, unknown, signIn], NOW, BERLIN).attentionFrom).toEqual([-Infinity, -Infinity, Date.parse('2026-12-03T00:00:00+01:00')]);
  });

  it('stands for the list only in the zone it was counted in and for this version of the database', () => {
    const summary = summarize(randomOffice(5, 2), NOW, BERLIN);
    expect(currentSummary(summary, BERLIN)).toBe(summary);
    expect(currentSummary(summary, 'America/New_York')).toBeNull();
    expect(currentSummary({ ...summary, schema: DB_VERSION - 1 }, BERLIN)).toBeNull();
    expect(currentSummary(undefined, BERLIN)).toBeNull();
  });
});
