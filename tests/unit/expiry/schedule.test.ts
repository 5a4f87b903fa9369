import { describe, expect, it } from 'vitest';
import type { ExpiryRule } from '../../../utils/expiry/rules';
import { KEEP_ALIVE_INTERVAL_MS, MIN_ALARM_DELAY_MS, nextWakeUp, REFRESH_MARGIN_MS, refreshDueAt, refreshExtendsGrant } from '../../../utils/expiry/schedule';
import type { TokenResult } from '../../../utils/expiry/renewal';
import { afterConsent, afterRefresh } from '../../../utils/expiry/renewal';
import { aConnection, expiresAt } from '../fixtures';

const T = Date.parse('2026-11-23T10:00:00Z');
const SLIDING: ExpiryRule = { kind: 'sliding', lifetime: { days: 90 } };
const FIXED: ExpiryRule = { kind: 'fixed', lifetime: { months: 24 } };
const renewable = (overrides: Parameters<typeof aConnection>[0] = {}) =>
  aConnection({
    client: { clientId: 'app', exchange: 'public' },
    hasRefreshToken: true,
    consentedAt: T,
    accessTokenExpiry: expiresAt(T + 3_600_000),
    ...overrides,
  });

describe('refreshDueAt', () => {
  it('keeps a sliding grant alive once a day, shortly before an access token ends', () => {
    expect(refreshDueAt(renewable(), SLIDING)).toBe(T + KEEP_ALIVE_INTERVAL_MS);
    const longAccess = renewable({ accessTokenExpiry: expiresAt(T + 3 * KEEP_ALIVE_INTERVAL_MS) });
    expect(refreshDueAt(longAccess, SLIDING)).toBe(T + 3 * KEEP_ALIVE_INTERVAL_MS - REFRESH_MARGIN_MS);
  });

  it('counts from the last refresh', () => {
    expect(refreshDueAt(renewable({ refreshedAt: T + 5000 }), SLIDING)).toBe(T + 5000 + KEEP_ALIVE_INTERVAL_MS);
  });

  it('does not refresh a fixed grant by itself: a refresh would not extend it', () => {
    expect(refreshDueAt(renewable(), FIXED)).toBeNull();
  });

  it('retries a failed refresh when planned, and never when only the user can help', () => {
    expect(refreshDueAt(renewable({ problem: { code: 'network', at: T, attempts: 1, retryAt: T + 60_000 } }), FIXED)).toBe(T + 60_000);
    expect(refreshDueAt(renewable({ problem: { code: 'client-rejected', at: T, attempts: 1 } }), SLIDING)).toBeNull();
  });

  it.each([
    ['without a refresh token', { hasRefreshToken: false }],
    ['when a new consent is needed', { needsReconsent: true }],
    ['for a tracked credential', { client: undefined }],
  ])('is null %s', (_, overrides) => {
    expect(refreshDueAt(renewable(overrides), SLIDING)).toBeNull();
  });

  it.each<[ExpiryRule, boolean]>([
    [SLIDING, true],
    [FIXED, false],
    [{ kind: 'response-field', field: 'x_refresh_token_expires_in', otherwise: SLIDING }, true],
    [{ kind: 'response-field', field: 'refresh_token_expires_in', otherwise: FIXED }, false],
    [{ kind: 'unknown' }, false],
  ])('%j extends the grant on refresh: %s', (rule, extends_) => {
    expect(refreshExtendsGrant(rule)).toBe(extends_);
  });
});

describe('nextWakeUp', () => {
  it('is the earliest candidate', () => {
    expect(nextWakeUp(T, [T + 5 * 3_600_000, null, T + 3_600_000])).toBe(T + 3_600_000);
  });

  it('is never sooner than a minute, so a moment in the past fires once and not in a loop', () => {
    expect(nextWakeUp(T, [T - 86_400_000])).toBe(T + MIN_ALARM_DELAY_MS);
  });
});

describe('a device clock far from the platform’s (catalogue D2)', () => {
  const YEAR = 365 * KEEP_ALIVE_INTERVAL_MS;
  const answer = (receivedAt: number, expiresIn: number): TokenResult => ({ receivedAt, fields: { expires_in: expiresIn }, accessTokenExpiresIn: expiresIn, refreshToken: 'rt' });

  it.each([
    ['a year ahead', YEAR, 3600],
    ['a year behind', -YEAR, 3600],
    ['ten years behind, with access tokens of a minute', -10 * YEAR, 60],
    ['a day behind, with an access token already expired', -KEEP_ALIVE_INTERVAL_MS, 0],
  ])('when the answer arrived %s: wake-ups at least a minute apart, and at most one refresh a day', (_, offset, expiresIn) => {
    let connection = afterConsent(renewable(), SLIDING, answer(T + offset, expiresIn), { actor: 'Anna', requestedScopes: [] });
    let now = T;
    let refreshes = 0;
    // A day of wake-ups as the background plans them, the clock now right.
    for (let next = nextWakeUp(now, [refreshDueAt(connection, SLIDING)]); next < T + KEEP_ALIVE_INTERVAL_MS; next = nextWakeUp(now, [refreshDueAt(connection, SLIDING)])) {
      expect(next - now).toBeGreaterThanOrEqual(MIN_ALARM_DELAY_MS);
      now = next;
      const due = refreshDueAt(connection, SLIDING);
      if (due !== null && due <= now) {
        connection = afterRefresh(connection, SLIDING, answer(now, expiresIn));
        refreshes += 1;
        // Once renewed, the next renewal is the keep-alive's, a day on.
        expect(refreshDueAt(connection, SLIDING)! - now).toBeGreaterThanOrEqual(KEEP_ALIVE_INTERVAL_MS);
      }
    }
    expect(refreshes).toBeLessThanOrEqual(1);
  });
});
