import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../utils/connection';
import type { PlatformKind } from '../../../utils/catalogue/types';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import type { StatusInfo } from '../../../utils/expiry/status';
import { actionName, nextStepText, renewedUntil, rowActions, type RowAction } from '../../../utils/watch/next-step';
import { aConnection, expiresAt } from '../fixtures';
import { textsFor } from '../texts';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const BERLIN = 'Europe/Berlin';
const APP = { clientId: 'app', exchange: 'public' as const };

describe('rowActions: every row’s first button is its next step', () => {
  it.each<[string, PlatformKind, Partial<Connection>, RowAction[]]>([
    ['a new connection waiting for its first sign-in', 'oauth', { client: APP, needsReconsent: true, consentedAt: null }, ['consent']],
    ['a refused grant', 'oauth', { client: APP, needsReconsent: true }, ['consent']],
    ['a signed-in connection that can renew by itself', 'oauth', { client: APP, hasRefreshToken: true, grantExpiry: expiresAt(NOW + 90 * MS_PER_DAY) }, ['consent', 'refresh']],
    ['an expired import without app settings', 'oauth', { grantExpiry: expiresAt(NOW - 3 * MS_PER_DAY) }, ['set-up']],
    ['a dated import without app settings', 'oauth', { grantExpiry: expiresAt(NOW + 200 * MS_PER_DAY) }, ['set-up']],
    ['a tracked credential without a date', 'tracked', {}, ['enter-date']],
    ['a tracked credential without a date, with a renewal page', 'tracked', { renewUrl: 'https://erp.example/keys' }, ['enter-date', 'renewal-page']],
    ['a dated tracked credential with a renewal page', 'tracked', { renewUrl: 'https://erp.example/keys', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) }, ['renewal-page', 'renewed']],
    ['a dated tracked credential without one', 'tracked', { grantExpiry: expiresAt(NOW - MS_PER_DAY) }, ['renewed']],
    ['a renewal waiting for the passphrase lock’s key', 'oauth', { client: APP, hasRefreshToken: true, problem: { code: 'vault-locked', at: NOW, attempts: 1 } }, ['unlock']],
  ])('%s', (_, kind, overrides, actions) => {
    expect(rowActions({ connection: aConnection(overrides), platform: { kind } })).toEqual(actions);
  });

  it('sets up the sign-in first where the app settings lack what the platform asks for now, and signs a held grant in through the holder', () => {
    expect(rowActions({ connection: aConnection({ client: APP, hasRefreshToken: true }), platform: { kind: 'oauth' }, setUpNeeded: true })).toEqual(['set-up']);
    expect(rowActions({ connection: aConnection({ held: { grantId: 'g1', consentedBy: 'Anna Becker' }, hasRefreshToken: true }), platform: { kind: 'oauth' } })).toEqual(['consent', 'refresh']);
  });

  it('never offers removing among a row’s buttons', () => {
    for (const kind of ['oauth', 'tracked'] as const) {
      expect(rowActions({ connection: aConnection(), platform: { kind } })).not.toContain('remove');
    }
  });
});

describe('nextStepText names the first button', () => {
  const en = textsFor('en');
  it.each<[StatusInfo, RowAction, string | null]>([
    [{ status: 'reconsent', daysLeft: null, firstSignIn: true }, 'consent', 'Press “Sign in” to connect this account.'],
    [{ status: 'reconsent', daysLeft: 40 }, 'consent', 'Sign in to the platform again to renew the connection.'],
    [{ status: 'expired', daysLeft: -3 }, 'set-up', 'Sign-in is not set up for this connection yet: enter its app settings (client ID) once, then Token Watch can renew it.'],
    [{ status: 'expired', daysLeft: -3 }, 'renewed', 'Renew the authorization, or imports and exports with this platform stay stopped.'],
    [{ status: 'unknown', daysLeft: null }, 'enter-date', 'Enter the expiry date shown by your business software so Token Watch can warn you in time.'],
    [{ status: 'unknown', daysLeft: null }, 'consent', null],
    [{ status: 'expiring', daysLeft: 6 }, 'set-up', null],
    [{ status: 'ok', daysLeft: 200 }, 'consent', null],
    [{ status: 'ok', daysLeft: 200 }, 'unlock', 'Locked: unlock Token Watch to refresh this connection.'],
  ])('%j with %s first', (info, first, text) => {
    expect(nextStepText(en, info, first)).toBe(text);
  });

  const ALLOW_HOSTS = 'Token Watch may not reach all of this platform’s addresses any more, so it cannot renew the connection: press “Sign in” to allow them.';
  it.each<[StatusInfo, RowAction, string]>([
    [{ status: 'ok', daysLeft: 200 }, 'consent', ALLOW_HOSTS],
    [{ status: 'expiring', daysLeft: 6 }, 'consent', ALLOW_HOSTS],
    [{ status: 'unknown', daysLeft: null }, 'consent', ALLOW_HOSTS],
    [{ status: 'reconsent', daysLeft: 40 }, 'consent', 'Sign in to the platform again to renew the connection.'],
    [{ status: 'expired', daysLeft: -3 }, 'consent', 'Renew the authorization, or imports and exports with this platform stay stopped.'],
  ])('%j with %s first, where the browser does not allow all its hosts', (info, first, text) => {
    expect(nextStepText(en, info, first, true)).toBe(text);
  });

  it('says so in German too', () => {
    expect(nextStepText(textsFor('de'), { status: 'ok', daysLeft: 200 }, 'consent', true)).toBe(
      'Token-Wächter darf nicht mehr alle Adressen dieser Plattform erreichen und kann die Verbindung so nicht erneuern: Klicken Sie auf „Anmelden“, um sie zu erlauben.',
    );
  });
});

describe('actionName', () => {
  it('names what the button does and to which connection', () => {
    expect(actionName(textsFor('de'), 'Anmelden', 'eBay', 'Shop Berlin')).toBe('Anmelden: eBay – Shop Berlin');
  });
});

describe('renewedUntil: the date a credential renewed today gets by its rule', () => {
  it.each<[string, Parameters<typeof renewedUntil>[0], string | null]>([
    ['24 months from today', { kind: 'fixed', lifetime: { months: 24 } }, '2028-11-23'],
    ['90 days from today', { kind: 'sliding', lifetime: { days: 90 } }, '2027-02-21'],
    ['a date only the user knows', { kind: 'user-date' }, null],
    ['an unknown rule', { kind: 'unknown' }, null],
  ])('%s', (_, rule, date) => {
    expect(renewedUntil(rule, NOW, BERLIN)).toBe(date);
  });

  it('counts from the local day, also late in the evening', () => {
    expect(renewedUntil({ kind: 'fixed', lifetime: { months: 12 } }, Date.parse('2026-11-23T23:30:00+01:00'), BERLIN)).toBe('2027-11-23');
  });
});
