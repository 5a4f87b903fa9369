import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import { byUrgency, compareByUrgency, connectionStatus, type ConnectionStatus } from '../../../utils/expiry/status';
import { aConnection, expiresAt } from '../fixtures';

const BERLIN = 'Europe/Berlin';
const NOW = Date.parse('2026-11-23T10:00:00+01:00');

describe('connectionStatus', () => {
  it.each<[string, number | null, boolean, ConnectionStatus, number | null]>([
    ['expiry exactly now is expired', NOW, false, 'expired', 0],
    ['earlier today is expired', NOW - 3_600_000, false, 'expired', 0],
    ['three days ago', NOW - 3 * MS_PER_DAY, false, 'expired', -3],
    ['later today is expiring, 0 days left', NOW + 1, false, 'expiring', 0],
    ['in 30 days is expiring', NOW + 30 * MS_PER_DAY, false, 'expiring', 30],
    ['in 31 days is ok', NOW + 31 * MS_PER_DAY, false, 'ok', 31],
    ['no date is unknown', null, false, 'unknown', null],
    ['a refused grant needs a new consent, whatever its date', NOW + 200 * MS_PER_DAY, true, 'reconsent', 200],
    ['a refused grant without a date needs a new consent', null, true, 'reconsent', null],
  ])('%s', (_, at, needsReconsent, status, daysLeft) => {
    const connection = aConnection({ grantExpiry: at === null ? { at: null, source: 'unknown' } : expiresAt(at), needsReconsent });
    expect(connectionStatus(connection, NOW, BERLIN)).toEqual({ status, daysLeft });
  });

  it('tells a new connection waiting for its first sign-in from one the platform refused', () => {
    const fresh = aConnection({ needsReconsent: true, consentedAt: null });
    expect(connectionStatus(fresh, NOW, BERLIN)).toEqual({ status: 'reconsent', daysLeft: null, firstSignIn: true });
  });

  it('counts as expiring from the connection’s own first warning day', () => {
    const connection = aConnection({ grantExpiry: expiresAt(NOW + 45 * MS_PER_DAY), warningDays: [60, 7] });
    expect(connectionStatus(connection, NOW, BERLIN).status).toBe('expiring');
  });
});

describe('compareByUrgency and byUrgency', () => {
  it('puts refused grants first, then expired, then by date, unknown last', () => {
    const views = [
      aConnection({ label: 'unknown' }),
      aConnection({ label: 'in 200 days', grantExpiry: expiresAt(NOW + 200 * MS_PER_DAY) }),
      aConnection({ label: 'in 6 days', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) }),
      aConnection({ label: 'expired yesterday', grantExpiry: expiresAt(NOW - MS_PER_DAY) }),
      aConnection({ label: 'expired last week', grantExpiry: expiresAt(NOW - 7 * MS_PER_DAY) }),
      aConnection({ label: 'refused', needsReconsent: true, grantExpiry: expiresAt(NOW + 90 * MS_PER_DAY) }),
    ];
    expect(views.sort((a, b) => compareByUrgency(a, b, NOW)).map((view) => view.label)).toEqual([
      'refused',
      'expired last week',
      'expired yesterday',
      'in 6 days',
      'in 200 days',
      'unknown',
    ]);
  });

  it('puts a new connection waiting for its first sign-in after what runs out within a month, before the rest', () => {
    const views = [
      aConnection({ label: 'in 200 days', grantExpiry: expiresAt(NOW + 200 * MS_PER_DAY) }),
      aConnection({ label: 'new', needsReconsent: true, consentedAt: null }),
      aConnection({ label: 'in 29 days', grantExpiry: expiresAt(NOW + 29 * MS_PER_DAY) }),
      aConnection({ label: 'unknown' }),
    ];
    expect(views.sort((a, b) => compareByUrgency(a, b, NOW)).map((view) => view.label)).toEqual(['in 29 days', 'new', 'in 200 days', 'unknown']);
  });

  it('puts a refused grant, which is an outage, before a new one that waits for its first sign-in', () => {
    const views = [
      { connection: aConnection({ label: 'A new', needsReconsent: true, consentedAt: null }) },
      { connection: aConnection({ label: 'B refused', needsReconsent: true, grantExpiry: expiresAt(NOW + 30 * MS_PER_DAY) }) },
    ];
    expect(byUrgency(views, NOW, BERLIN).map(({ view, info }) => [view.connection.label, info.status, info.firstSignIn ?? false])).toEqual([
      ['B refused', 'reconsent', false],
      ['A new', 'reconsent', true],
    ]);
  });
});
