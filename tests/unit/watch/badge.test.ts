import { describe, expect, it } from 'vitest';
import { badgeModel, nextExpiryAfter, statusTone, type BadgeTone } from '../../../utils/watch/badge';
import type { StatusInfo } from '../../../utils/expiry/status';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import { aConnection, expiresAt } from '../fixtures';

const BERLIN = 'Europe/Berlin';
const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const inDays = (days: number) => aConnection({ grantExpiry: expiresAt(NOW + days * MS_PER_DAY) });

describe('badgeModel', () => {
  it.each<[string, ReturnType<typeof aConnection>[], string, BadgeTone]>([
    ['nothing tracked: no badge', [], '', 'none'],
    ['expires later today: 0', [aConnection({ grantExpiry: expiresAt(NOW + 3_600_000) })], '0', 'urgent'],
    ['1 day', [inDays(1)], '1', 'urgent'],
    ['7 days is red', [inDays(7)], '7', 'urgent'],
    ['8 days is amber', [inDays(8)], '8', 'soon'],
    ['30 days is amber', [inDays(30)], '30', 'soon'],
    ['31 days is green', [inDays(31)], '31', 'ok'],
    ['999 days', [inDays(999)], '999', 'ok'],
    ['1000 days is clamped', [inDays(1000)], '999+', 'ok'],
    ['the soonest of several', [inDays(200), inDays(20), inDays(6)], '6', 'urgent'],
    ['expired: !', [inDays(20), aConnection({ grantExpiry: expiresAt(NOW - MS_PER_DAY) })], '!', 'expired'],
    ['expiring exactly now: !', [aConnection({ grantExpiry: expiresAt(NOW) })], '!', 'expired'],
    ['re-consent needed: !', [inDays(3), aConnection({ needsReconsent: true })], '!', 'expired'],
    ['a new connection waiting for its first sign-in: a calm to-do, no alarm', [aConnection({ needsReconsent: true, consentedAt: null })], '•', 'todo'],
    ['a to-do beside dates further than a month: the to-do', [inDays(200), aConnection({ needsReconsent: true, consentedAt: null })], '•', 'todo'],
    ['a to-do beside a date within the month: the date', [inDays(20), aConnection({ needsReconsent: true, consentedAt: null })], '20', 'soon'],
    ['a to-do beside an expired grant: !', [inDays(-1), aConnection({ needsReconsent: true, consentedAt: null })], '!', 'expired'],
    ['a to-do beside unknown dates: the to-do', [aConnection(), aConnection({ needsReconsent: true, consentedAt: null })], '•', 'todo'],
    ['only unknown dates: ?', [aConnection(), aConnection()], '?', 'unknown'],
    ['unknown beside a known date: the date', [aConnection(), inDays(45)], '45', 'ok'],
  ])('%s', (_, connections, text, tone) => {
    const model = badgeModel(connections, NOW, BERLIN);
    expect({ text: model.text, tone: model.tone }).toEqual({ text, tone });
  });

  it('names the three most urgent connections, most urgent first', () => {
    const expired = aConnection({ grantExpiry: expiresAt(NOW - MS_PER_DAY) });
    const refused = aConnection({ needsReconsent: true });
    const soon = inDays(6);
    const model = badgeModel([inDays(300), soon, aConnection(), expired, inDays(20), refused], NOW, BERLIN);
    expect(model.mostUrgent.map(({ connection }) => connection.id)).toEqual([refused.id, expired.id, soon.id]);
    expect(model.mostUrgent[2]!.info).toEqual({ status: 'expiring', daysLeft: 6 });
  });
});

describe('a grant dated by a device clock far off (catalogue D2)', () => {
  it.each([
    ['ten years in the past', -3650 * MS_PER_DAY, '!'],
    ['a day in the past', -MS_PER_DAY, '!'],
    ['a moment ago', -1, '!'],
    ['in a moment', 1, '0'],
    ['ten years ahead', 3650 * MS_PER_DAY, '999+'],
  ])('%s: the badge shows %s, never a negative number', (_, offset, text) => {
    const model = badgeModel([aConnection({ grantExpiry: expiresAt(NOW + offset, 'token-response') })], NOW, BERLIN);
    expect(model.text).toBe(text);
    expect(model.text).not.toMatch(/-/);
  });
});

describe('badgeModel’s order', () => {
  it('is the list’s order: equally urgent connections by label, whatever order they are stored in', () => {
    const waiting = (label: string) => aConnection({ label, needsReconsent: true, consentedAt: null });
    const labels = (connections: ReturnType<typeof aConnection>[]) => badgeModel(connections, NOW, BERLIN).mostUrgent.map(({ connection }) => connection.label);
    const stored = [waiting('Shop Berlin'), waiting('Mandant 10001'), inDays(200), waiting('Amazon')];
    expect(labels(stored)).toEqual(['Amazon', 'Mandant 10001', 'Shop Berlin']);
    expect(labels([...stored].reverse())).toEqual(['Amazon', 'Mandant 10001', 'Shop Berlin']);
  });
});

describe('nextExpiryAfter', () => {
  it('is the soonest future expiry, ignoring past, unknown and refused grants', () => {
    const soonest = NOW + 6 * MS_PER_DAY;
    const connections = [
      inDays(20),
      aConnection({ grantExpiry: expiresAt(soonest) }),
      aConnection({ grantExpiry: expiresAt(NOW - MS_PER_DAY) }),
      aConnection({ needsReconsent: true, grantExpiry: expiresAt(NOW + MS_PER_DAY) }),
      aConnection(),
    ];
    expect(nextExpiryAfter(connections, NOW)).toBe(soonest);
  });

  it('is null when no date lies ahead', () => {
    expect(nextExpiryAfter([aConnection()], NOW)).toBeNull();
  });
});

describe('statusTone', () => {
  it.each<[StatusInfo, BadgeTone]>([
    [{ status: 'reconsent', daysLeft: 90 }, 'expired'],
    [{ status: 'reconsent', daysLeft: null, firstSignIn: true }, 'todo'],
    [{ status: 'expired', daysLeft: -2 }, 'expired'],
    [{ status: 'unknown', daysLeft: null }, 'unknown'],
    [{ status: 'expiring', daysLeft: 6 }, 'urgent'],
    [{ status: 'expiring', daysLeft: 20 }, 'soon'],
    [{ status: 'ok', daysLeft: 200 }, 'ok'],
  ])('%j is %s, as on the badge', (info, tone) => {
    expect(statusTone(info)).toBe(tone);
  });
});
