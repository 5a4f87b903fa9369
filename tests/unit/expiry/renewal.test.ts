import { describe, expect, it } from 'vitest';
import type { ExpiryRule } from '../../../utils/expiry/rules';
import type { TokenResult } from '../../../utils/consent/oauth-client';
import { afterConsent, afterRefresh, DEFAULT_ACCESS_TOKEN_SECONDS, nextProblem } from '../../../utils/expiry/renewal';
import { aConnection, expiresAt } from '../fixtures';

const T = Date.parse('2026-11-23T10:00:00Z');
const EBAY: ExpiryRule = { kind: 'response-field', field: 'refresh_token_expires_in', otherwise: { kind: 'fixed', lifetime: { months: 18 } } };
const SLIDING: ExpiryRule = { kind: 'sliding', lifetime: { days: 90 } };
const tokens = (overrides: Partial<TokenResult> = {}): TokenResult => ({
  receivedAt: T,
  fields: { token_type: 'bearer', expires_in: 3600 },
  accessTokenExpiresIn: 3600,
  refreshToken: 'rt',
  ...overrides,
});
const options = { actor: 'Anna Becker', requestedScopes: ['openid', 'offline_access'] };

describe('afterConsent', () => {
  it('dates the access token from the response and the grant by the platform’s rule', () => {
    const connection = afterConsent(aConnection({ needsReconsent: true }), SLIDING, tokens({ account: 'anna@example.com' }), options);
    expect(connection).toMatchObject({
      account: 'anna@example.com',
      consentedAt: T,
      requestedBy: 'Anna Becker',
      accessTokenExpiry: { at: T + 3_600_000, source: 'token-response' },
      grantExpiry: { at: T + 90 * 86_400_000, source: 'documented' },
      hasRefreshToken: true,
      needsReconsent: false,
      problem: null,
      scopes: ['openid', 'offline_access'],
    });
  });

  it('estimates the access token lifetime when the platform does not state it', () => {
    const { accessTokenExpiry } = afterConsent(aConnection(), SLIDING, tokens({ accessTokenExpiresIn: undefined }), options);
    expect(accessTokenExpiry).toEqual({ at: T + DEFAULT_ACCESS_TOKEN_SECONDS * 1000, source: 'documented' });
  });

  it('uses the platform’s own access token lifetime when the answer has no expires_in, marked documented (catalogue A1)', () => {
    const consented = afterConsent(aConnection(), SLIDING, tokens({ accessTokenExpiresIn: undefined }), { ...options, defaultAccessSeconds: 7200 });
    expect(consented.accessTokenExpiry).toEqual({ at: T + 7200 * 1000, source: 'documented' });
    const later = T + 86_400_000;
    const refreshed = afterRefresh(consented, SLIDING, tokens({ receivedAt: later, accessTokenExpiresIn: undefined }), 7200);
    expect(refreshed.accessTokenExpiry).toEqual({ at: later + 7200 * 1000, source: 'documented' });
  });

  it('treats expires_in 0 as already expired', () => {
    expect(afterConsent(aConnection(), SLIDING, tokens({ accessTokenExpiresIn: 0 }), options).accessTokenExpiry.at).toBe(T);
  });

  it('clamps an absurd expires_in instead of overflowing the date', () => {
    const { accessTokenExpiry } = afterConsent(aConnection(), SLIDING, tokens({ accessTokenExpiresIn: 1e12 }), options);
    expect(Number.isFinite(new Date(accessTokenExpiry.at!).getTime())).toBe(true);
  });

  it('ends the grant with the access token when there is no refresh token', () => {
    const connection = afterConsent(aConnection(), SLIDING, tokens({ refreshToken: undefined }), options);
    expect(connection.grantExpiry).toEqual(connection.accessTokenExpiry);
    expect(connection.hasRefreshToken).toBe(false);
  });

  it('keeps a narrower scope the platform granted', () => {
    expect(afterConsent(aConnection(), SLIDING, tokens({ scope: 'openid' }), options).scopes).toEqual(['openid']);
  });

  it('names the account that signed in as the requester when no name is set', () => {
    expect(afterConsent(aConnection(), SLIDING, tokens({ account: 'anna@example.com' }), { ...options, actor: '' }).requestedBy).toBe('anna@example.com');
  });

  it.each([
    ['the DATEV client beside the DATEV user', 'a.becker@example.com', '455148-2 · a.becker@example.com'],
    ['the DATEV client alone where the platform named no user', undefined, '455148-2'],
    ['the DATEV client beside the user shown before, where the platform named none this time', undefined, '455148-2 · a.becker@example.com', '455148-2 · a.becker@example.com'],
    ['the DATEV client beside the account entered before the first sign-in', undefined, '455148-2 · a.becker', 'a.becker'],
    ['the new user where the platform names one', 'b.kaiser@example.com', '455148-2 · b.kaiser@example.com', '455148-2 · a.becker@example.com'],
    ['the new client, not one shown before whose number begins the same', undefined, '455148-2 · a.becker@example.com', '455148-21 · a.becker@example.com'],
    ['the new client beside the user shown before with another client', undefined, '455148-2 · a.becker@example.com', '455148-7 · a.becker@example.com'],
  ])('shows on the account line %s, where a scope names whose data the grant is for', (_, user, account, before = '') => {
    const datev = { ...options, requestedScopes: ['openid', 'offline_access', 'datev:iam:client:455148-2', 'accounting:documents'], accountScope: 'datev:iam:client:' };
    const consented = afterConsent(aConnection({ account: before }), SLIDING, tokens(user ? { account: user } : {}), { ...datev, actor: '' });
    expect(consented.account).toBe(account);
    // Who gave the consent stays the user that signed in.
    expect(consented.requestedBy).toBe(user ?? 'Anna Becker');
  });

  it('takes the grant’s lifetime from the response where the platform states it', () => {
    const { grantExpiry } = afterConsent(aConnection(), EBAY, tokens({ fields: { refresh_token_expires_in: 47_304_000 } }), options);
    expect(grantExpiry).toEqual({ at: T + 47_304_000_000, source: 'token-response' });
  });
});

describe('afterRefresh', () => {
  const consented = afterConsent(aConnection(), SLIDING, tokens(), options);

  it('moves a sliding grant forward from the refresh', () => {
    const later = T + 30 * 86_400_000;
    const refreshed = afterRefresh(consented, SLIDING, tokens({ receivedAt: later, refreshToken: undefined }));
    expect(refreshed).toMatchObject({ refreshedAt: later, grantExpiry: { at: later + 90 * 86_400_000 }, hasRefreshToken: true });
  });

  it('keeps the date eBay stated at consent when its refresh answer leaves it out', () => {
    const ebay = afterConsent(aConnection(), EBAY, tokens({ fields: { refresh_token_expires_in: 47_304_000 } }), options);
    const refreshed = afterRefresh(ebay, EBAY, tokens({ receivedAt: T + 86_400_000, fields: { expires_in: 7200 } }));
    expect(refreshed.grantExpiry).toEqual(ebay.grantExpiry);
  });

  it('clears an earlier problem and a re-consent flag', () => {
    const failing = { ...consented, problem: { code: 'network' as const, at: T, attempts: 3, retryAt: T + 1 } };
    expect(afterRefresh(failing, SLIDING, tokens()).problem).toBeNull();
  });

  it('leaves a fixed lifetime where it was', () => {
    const fixed: ExpiryRule = { kind: 'fixed', lifetime: { months: 24 } };
    const datev = afterConsent(aConnection({ grantExpiry: expiresAt(0) }), fixed, tokens(), options);
    expect(afterRefresh(datev, fixed, tokens({ receivedAt: T + 1000 })).grantExpiry).toEqual(datev.grantExpiry);
  });
});

describe('nextProblem', () => {
  it.each<[number, number | undefined, number]>([
    [0, undefined, 60],
    [1, undefined, 120],
    [2, undefined, 240],
    [20, undefined, 6 * 3600],
    [0, 600, 600],
    [0, 10, 60],
    [0, 10 * 24 * 3600, 24 * 3600],
  ])('after %i earlier attempts with Retry-After %s waits %i s', (earlier, retryAfterSeconds, wait) => {
    const previous = earlier === 0 ? null : { code: 'network' as const, at: 0, attempts: earlier };
    const problem = nextProblem(previous, 'network', T, { retry: true, retryAfterSeconds });
    expect(problem).toEqual({ code: 'network', at: T, attempts: earlier + 1, retryAt: T + wait * 1000 });
  });

  it('sets no retry when only the user can fix it', () => {
    expect(nextProblem(null, 'client-rejected', T, { retry: false })).toEqual({ code: 'client-rejected', at: T, attempts: 1 });
  });
});
