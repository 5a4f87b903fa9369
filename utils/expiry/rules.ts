import { addMonths, inDateRange, MS_PER_DAY, MS_PER_SECOND } from './calendar';

/** A documented lifetime: exact seconds, whole days, or calendar months (a year is 12). */
export type Lifetime = { seconds: number } | { days: number } | { months: number };

/** How a platform decides when a grant (refresh token, long-term token, API key) ends. */
export type ExpiryRule =
  /** A fixed lifetime counted from the consent (or the day a key was issued). */
  | { kind: 'fixed'; lifetime: Lifetime }
  /** Restarts with every successful refresh; optionally never beyond a hard cap from consent. */
  | { kind: 'sliding'; lifetime: Lifetime; hardCap?: Lifetime }
  /** The token response says how long the grant lives; that wins over the documented rule. */
  | { kind: 'response-field'; field: string; otherwise: ExpiryRule }
  /** Only the user knows: a date they read elsewhere and entered. */
  | { kind: 'user-date' }
  /** Nobody knows. Shown as unknown ("?"), never as "never expires". */
  | { kind: 'unknown' };

/** Where a date came from, so the user can judge how much to trust it. */
export type DateSource = 'token-response' | 'documented' | 'user' | 'unknown';

export interface DatedExpiry {
  at: number | null;
  source: DateSource;
}

export const UNKNOWN_EXPIRY: DatedExpiry = { at: null, source: 'unknown' };

/** What is known about a grant when its expiry is (re)computed. */
export interface GrantFacts {
  consentedAt: number;
  /** The last successful refresh, for sliding rules. */
  refreshedAt?: number;
  /** When the latest token response arrived: response lifetimes count from here. */
  receivedAt?: number;
  tokenResponse?: Readonly<Record<string, unknown>>;
  userEnteredExpiry?: number;
}

/**
 * Lifetimes beyond ten years are clamped: a platform answering 1e12 seconds
 * must not produce a date JavaScript or the alarms API cannot represent.
 */
export const MAX_LIFETIME_SECONDS = 10 * 366 * 24 * 3600;

/**
 * Reads a lifetime in seconds from a token-response field. Accepts numbers and
 * numeric strings ("3600"); anything negative, fractional nonsense, non-finite
 * or non-numeric is `undefined`, so the caller falls back to the documented rule.
 */
export function parseLifetimeSeconds(value: unknown): number | undefined {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) seconds = Number(value);
  else return undefined;
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(Math.floor(seconds), MAX_LIFETIME_SECONDS);
}

export function addLifetime(from: number, lifetime: Lifetime): number {
  return inDateRange('seconds' in lifetime ? from + lifetime.seconds * MS_PER_SECOND : 'days' in lifetime ? from + lifetime.days * MS_PER_DAY : addMonths(from, lifetime.months));
}

export function grantExpiry(rule: ExpiryRule, facts: GrantFacts): DatedExpiry {
  switch (rule.kind) {
    case 'fixed':
      return { at: addLifetime(facts.consentedAt, rule.lifetime), source: 'documented' };
    case 'sliding': {
      const slid = addLifetime(facts.refreshedAt ?? facts.consentedAt, rule.lifetime);
      const cap = rule.hardCap ? addLifetime(facts.consentedAt, rule.hardCap) : Infinity;
      return { at: Math.min(slid, cap), source: 'documented' };
    }
    case 'response-field': {
      const seconds = parseLifetimeSeconds(facts.tokenResponse?.[rule.field]);
      if (seconds === undefined) return grantExpiry(rule.otherwise, facts);
      const from = facts.receivedAt ?? facts.refreshedAt ?? facts.consentedAt;
      return { at: inDateRange(from + seconds * MS_PER_SECOND), source: 'token-response' };
    }
    case 'user-date':
      return facts.userEnteredExpiry === undefined
        ? UNKNOWN_EXPIRY
        : { at: facts.userEnteredExpiry, source: 'user' };
    case 'unknown':
      return UNKNOWN_EXPIRY;
  }
}
