import { describe, expect, it } from 'vitest';
import {
  grantExpiry,
  MAX_LIFETIME_SECONDS,
  parseLifetimeSeconds,
  type ExpiryRule,
  type GrantFacts,
} from '../../../utils/expiry/rules';

const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());
const at = Date.parse;
const CONSENT = at('2026-01-15T10:00:00Z');

const EBAY: ExpiryRule = {
  kind: 'response-field',
  field: 'refresh_token_expires_in',
  otherwise: { kind: 'fixed', lifetime: { months: 18 } },
};

describe('grantExpiry', () => {
  it.each<[string, ExpiryRule, Partial<GrantFacts>, string | null, string]>([
    ['fixed months from consent', { kind: 'fixed', lifetime: { months: 24 } }, {}, '2028-01-15T10:00:00.000Z', 'documented'],
    ['fixed days from consent', { kind: 'fixed', lifetime: { days: 365 } }, {}, '2027-01-15T10:00:00.000Z', 'documented'],
    ['fixed seconds from consent', { kind: 'fixed', lifetime: { seconds: 3600 } }, {}, '2026-01-15T11:00:00.000Z', 'documented'],
    ['a yearly rule from 29 February ends on 28 February', { kind: 'fixed', lifetime: { months: 12 } }, { consentedAt: at('2028-02-29T09:00:00Z') }, '2029-02-28T09:00:00.000Z', 'documented'],
    ['sliding, never refreshed', { kind: 'sliding', lifetime: { days: 90 } }, {}, '2026-04-15T10:00:00.000Z', 'documented'],
    ['sliding, restarted by a refresh', { kind: 'sliding', lifetime: { days: 90 } }, { refreshedAt: at('2026-03-01T10:00:00Z') }, '2026-05-30T10:00:00.000Z', 'documented'],
    ['sliding, stopped by the hard cap', { kind: 'sliding', lifetime: { days: 100 }, hardCap: { months: 12 } }, { refreshedAt: at('2026-12-01T10:00:00Z') }, '2027-01-15T10:00:00.000Z', 'documented'],
    ['response field wins over the documented lifetime', EBAY, { receivedAt: CONSENT, tokenResponse: { refresh_token_expires_in: 47_304_000 } }, '2027-07-16T22:00:00.000Z', 'token-response'],
    ['response field given as a string', EBAY, { receivedAt: CONSENT, tokenResponse: { refresh_token_expires_in: '86400' } }, '2026-01-16T10:00:00.000Z', 'token-response'],
    ['response field counted from when the response arrived', EBAY, { receivedAt: at('2026-02-01T00:00:00Z'), tokenResponse: { refresh_token_expires_in: 60 } }, '2026-02-01T00:01:00.000Z', 'token-response'],
    ['response field missing: the documented rule', EBAY, { tokenResponse: {} }, '2027-07-15T10:00:00.000Z', 'documented'],
    ['response field negative: the documented rule', EBAY, { tokenResponse: { refresh_token_expires_in: -5 } }, '2027-07-15T10:00:00.000Z', 'documented'],
    ['response field not a number: the documented rule', EBAY, { tokenResponse: { refresh_token_expires_in: 'abc' } }, '2027-07-15T10:00:00.000Z', 'documented'],
    ['response field missing, no documented rule: unknown', { kind: 'response-field', field: 'x_refresh_token_expires_in', otherwise: { kind: 'unknown' } }, {}, null, 'unknown'],
    ['a date the user entered', { kind: 'user-date' }, { userEnteredExpiry: at('2026-06-30T00:00:00Z') }, '2026-06-30T00:00:00.000Z', 'user'],
    ['a user date not entered yet', { kind: 'user-date' }, {}, null, 'unknown'],
    ['unknown', { kind: 'unknown' }, {}, null, 'unknown'],
    ['a lifetime that would end after 2199 ends with 2199', { kind: 'fixed', lifetime: { months: 24 } }, { consentedAt: at('2199-06-01T10:00:00Z') }, '2199-12-31T23:59:59.999Z', 'documented'],
    ['a sliding lifetime that would end after 2199 ends with 2199', { kind: 'sliding', lifetime: { days: 90 } }, { consentedAt: at('2199-12-01T10:00:00Z') }, '2199-12-31T23:59:59.999Z', 'documented'],
    ['a response field that would end after 2199 ends with 2199', EBAY, { receivedAt: at('2199-12-01T10:00:00Z'), tokenResponse: { refresh_token_expires_in: 47_304_000 } }, '2199-12-31T23:59:59.999Z', 'token-response'],
  ])('%s', (_, rule, facts, expectedAt, source) => {
    const expiry = grantExpiry(rule, { consentedAt: CONSENT, ...facts });
    expect({ at: iso(expiry.at), source: expiry.source }).toEqual({ at: expectedAt, source });
  });

  it('clamps an absurd lifetime from the platform to ten years', () => {
    const expiry = grantExpiry(EBAY, { consentedAt: CONSENT, receivedAt: CONSENT, tokenResponse: { refresh_token_expires_in: 1e12 } });
    expect(expiry.at).toBe(CONSENT + MAX_LIFETIME_SECONDS * 1000);
    expect(Number.isNaN(new Date(expiry.at!).getTime())).toBe(false);
  });
});

describe('parseLifetimeSeconds', () => {
  it.each<[unknown, number | undefined]>([
    [3600, 3600],
    ['3600', 3600],
    [' 7200 ', 7200],
    [0, 0],
    [59.9, 59],
    [1e12, MAX_LIFETIME_SECONDS],
    [-1, undefined],
    ['-1', undefined],
    [Number.NaN, undefined],
    [Infinity, undefined],
    [Number.POSITIVE_INFINITY * 2, undefined],
    ['abc', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
    [{}, undefined],
  ])('%s gives %s', (value, expected) => {
    expect(parseLifetimeSeconds(value)).toBe(expected);
  });
});
