import { describe, expect, it } from 'vitest';
import { badgeModel } from '../../../utils/watch/badge';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import type { PlatformKind } from '../../../utils/catalogue/presets';
import type { StatusInfo } from '../../../utils/expiry/status';
import { expiryDateText, statusText, summaryText, tooltipText } from '../../../utils/watch/status-text';
import { aConnection, expiresAt } from '../fixtures';
import { textsFor } from '../texts';

const BERLIN = 'Europe/Berlin';
const NOW = Date.parse('2026-11-23T10:00:00+01:00');

describe('statusText', () => {
  it.each<[PlatformKind, StatusInfo, string, string]>([
    ['oauth', { status: 'expiring', daysLeft: 6 }, 'Authenticated (expires in 6 days)', 'Authentifiziert (läuft in 6 Tagen ab)'],
    ['oauth', { status: 'expiring', daysLeft: 1 }, 'Authenticated (expires in 1 day)', 'Authentifiziert (läuft in 1 Tag ab)'],
    ['oauth', { status: 'expiring', daysLeft: 0 }, 'Authenticated (expires today)', 'Authentifiziert (läuft heute ab)'],
    ['oauth', { status: 'ok', daysLeft: 200 }, 'Authenticated (expires in 200 days)', 'Authentifiziert (läuft in 200 Tagen ab)'],
    ['tracked', { status: 'ok', daysLeft: 400 }, 'Valid (expires in 400 days)', 'Gültig (läuft in 400 Tagen ab)'],
    ['tracked', { status: 'expiring', daysLeft: 1 }, 'Valid (expires in 1 day)', 'Gültig (läuft in 1 Tag ab)'],
    ['tracked', { status: 'expiring', daysLeft: 0 }, 'Valid (expires today)', 'Gültig (läuft heute ab)'],
    ['oauth', { status: 'expired', daysLeft: 0 }, 'Expired today', 'Heute abgelaufen'],
    ['oauth', { status: 'expired', daysLeft: -1 }, 'Expired 1 day ago', 'Seit 1 Tag abgelaufen'],
    ['oauth', { status: 'expired', daysLeft: -3 }, 'Expired 3 days ago', 'Seit 3 Tagen abgelaufen'],
    ['oauth', { status: 'reconsent', daysLeft: 40 }, 'Sign-in needed: the platform no longer accepts this authorization', 'Neue Anmeldung nötig: Die Plattform akzeptiert diese Freigabe nicht mehr'],
    ['tracked', { status: 'unknown', daysLeft: null }, 'Expiry date unknown', 'Ablaufdatum unbekannt'],
    ['oauth', { status: 'reconsent', daysLeft: null, firstSignIn: true }, 'Not signed in yet', 'Noch nicht angemeldet'],
  ])('%s %j', (kind, info, english, german) => {
    expect(statusText(textsFor('en'), kind, info)).toBe(english);
    expect(statusText(textsFor('de'), kind, info)).toBe(german);
  });
});

describe('expiryDateText', () => {
  const at = Date.parse('2026-11-29T12:00:00+01:00');

  it('writes the date in the user’s language and says where it comes from', () => {
    expect(expiryDateText(textsFor('de'), expiresAt(at, 'token-response'), NOW, BERLIN)).toBe(
      'Läuft ab am 29.11.2026 (Datum laut Plattform)',
    );
    expect(expiryDateText(textsFor('en'), expiresAt(at, 'user'), NOW, BERLIN)).toBe(
      'Expires on Nov 29, 2026 (date entered by you)',
    );
  });

  it('speaks of the past for a date that has passed', () => {
    expect(expiryDateText(textsFor('de'), expiresAt(NOW - MS_PER_DAY, 'documented'), NOW, BERLIN)).toBe(
      'Abgelaufen am 22.11.2026 (geschätzt nach der dokumentierten Laufzeit)',
    );
  });

  it('says nothing for an unknown date', () => {
    expect(expiryDateText(textsFor('en'), { at: null, source: 'unknown' }, NOW, BERLIN)).toBeNull();
  });
});

describe('tooltipText', () => {
  const platform = (id: string) => ({ name: id === 'ebay' ? 'eBay' : 'DATEV', kind: 'oauth' as const });

  it('lists the most urgent connections and how many more there are', () => {
    const connections = [
      aConnection({ platformId: 'ebay', label: 'Shop Berlin', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) }),
      aConnection({ platformId: 'datev', label: 'Mandant 1', grantExpiry: expiresAt(NOW + 20 * MS_PER_DAY) }),
      aConnection({ platformId: 'datev', label: 'Mandant 2', grantExpiry: expiresAt(NOW + 200 * MS_PER_DAY) }),
      aConnection({ platformId: 'datev', label: 'Mandant 3', grantExpiry: expiresAt(NOW + 300 * MS_PER_DAY) }),
    ];
    const model = badgeModel(connections, NOW, BERLIN);
    expect(tooltipText(textsFor('de'), model, connections.length, platform).split('\n')).toEqual([
      'Token-Wächter',
      'eBay – Shop Berlin: Authentifiziert (läuft in 6 Tagen ab)',
      'DATEV – Mandant 1: Authentifiziert (läuft in 20 Tagen ab)',
      'DATEV – Mandant 2: Authentifiziert (läuft in 200 Tagen ab)',
      'und 1 weitere Verbindung',
    ]);
  });

  it('says that nothing is watched yet', () => {
    expect(tooltipText(textsFor('en'), badgeModel([], NOW, BERLIN), 0, platform)).toBe(
      'Token Watch: nothing is being watched yet',
    );
  });
});

describe('summaryText', () => {
  const info = (status: StatusInfo['status']): StatusInfo => ({ status, daysLeft: status === 'unknown' ? null : 3 });

  it.each<[StatusInfo['status'][], string, string]>([
    [['expired', 'expiring', 'ok', 'ok', 'unknown'], '3 need attention · 2 fine', '3 brauchen Aufmerksamkeit · 2 in Ordnung'],
    [['reconsent', 'ok'], '1 needs attention · 1 fine', '1 braucht Aufmerksamkeit · 1 in Ordnung'],
    [['expired'], '1 needs attention · 0 fine', '1 braucht Aufmerksamkeit · 0 in Ordnung'],
    [['ok', 'ok'], 'All 2 connections are fine', 'Alle 2 Verbindungen sind in Ordnung'],
    [['ok'], 'The connection is fine', 'Die Verbindung ist in Ordnung'],
  ])('%j', (statuses, english, german) => {
    expect(summaryText(textsFor('en'), statuses.map(info))).toBe(english);
    expect(summaryText(textsFor('de'), statuses.map(info))).toBe(german);
  });
});
