/**
 * What a token response means for a connection's dates: pure, so every rule is
 * tested without a browser. Lifetimes are counted from the moment the response
 * arrived on this machine, so a clock far from the platform's cannot make a
 * fresh token look expired.
 */
import { inDateRange, MS_PER_SECOND } from './calendar';
import type { Connection, ConnectionProblem, ProblemCode } from '../connection';
import { grantExpiry, parseLifetimeSeconds, type DatedExpiry, type ExpiryRule } from './rules';

/** A platform's token answer as the background uses it: the new refresh token, if any, and the fields the expiry rules read. */
export interface TokenResult {
  receivedAt: number;
  /** The response's fields other than tokens, for the expiry rules (expires_in, refresh_token_expires_in, ...). */
  fields: Record<string, unknown>;
  accessTokenExpiresIn?: number;
  /** For the token holder, which hands it to the business software; the extension never keeps it. */
  accessToken?: string;
  refreshToken?: string;
  scope?: string;
  /** From the ID token, or the platform's callback (Amazon's selling_partner_id). */
  account?: string;
}

/** Used when neither the response nor the platform's documentation says how long an access token lives. */
export const DEFAULT_ACCESS_TOKEN_SECONDS = 3600;

/** From expires_in; without it, the platform's documented lifetime, marked as an estimate. */
function accessTokenExpiry(tokens: TokenResult, defaultSeconds = DEFAULT_ACCESS_TOKEN_SECONDS): DatedExpiry {
  const seconds = parseLifetimeSeconds(tokens.accessTokenExpiresIn);
  return { at: inDateRange(tokens.receivedAt + (seconds ?? defaultSeconds) * MS_PER_SECOND), source: seconds === undefined ? 'documented' : 'token-response' };
}

export function grantedScopes(tokens: TokenResult, fallback: readonly string[]): string[] {
  // No scope in the answer means the requested scope was granted (RFC 6749, section 5.1).
  return tokens.scope === undefined ? [...fallback] : tokens.scope.split(' ').filter(Boolean);
}

/** The grant's end after a consent: by the platform's rule, or with its access token when no refresh token came. */
export function consentedGrantExpiry(rule: ExpiryRule, tokens: TokenResult, defaultAccessSeconds?: number): DatedExpiry {
  return tokens.refreshToken
    ? grantExpiry(rule, { consentedAt: tokens.receivedAt, receivedAt: tokens.receivedAt, tokenResponse: tokens.fields })
    : accessTokenExpiry(tokens, defaultAccessSeconds);
}

/** The grant's end after a refresh; a date the platform stated at consent holds when the refresh answer leaves it out. */
export function refreshedGrantExpiry(rule: ExpiryRule, tokens: TokenResult, consentedAt: number, previous: DatedExpiry): DatedExpiry {
  const grant = grantExpiry(rule, { consentedAt, refreshedAt: tokens.receivedAt, receivedAt: tokens.receivedAt, tokenResponse: tokens.fields });
  // Platforms that state the grant's lifetime at consent often leave it out of refresh answers (eBay).
  return rule.kind === 'response-field' && grant.source !== 'token-response' && previous.source === 'token-response' ? previous : grant;
}

/**
 * The account line after a sign-in: whose data the grant is for where a scope names it (DATEV's
 * client: consultant number-client number, `accountScope` being the scope's prefix), then the user
 * the platform named. Where it names no user this time, the one shown before stays: the part after
 * the client on a line written so ("client · user"), or the whole line entered before the first sign-in.
 */
export function accountAfterConsent(previous: string, named: string | undefined, requestedScopes: readonly string[], accountScope: string | undefined): string {
  const grantFor = accountScope && requestedScopes.find((scope) => scope.startsWith(accountScope) && !scope.includes('{'))?.slice(accountScope.length);
  if (!grantFor) return named ?? previous;
  const user = named ?? (previous.includes(' · ') ? previous.slice(previous.indexOf(' · ') + 3) : previous === grantFor ? '' : previous);
  return [grantFor, user].filter(Boolean).join(' · ');
}

export function afterConsent(
  connection: Connection,
  rule: ExpiryRule,
  tokens: TokenResult,
  {
    actor,
    requestedScopes,
    defaultAccessSeconds,
    accountScope,
  }: { actor: string; requestedScopes: readonly string[]; defaultAccessSeconds?: number; accountScope?: string | undefined },
): Connection {
  const access = accessTokenExpiry(tokens, defaultAccessSeconds);
  return {
    ...connection,
    account: accountAfterConsent(connection.account, tokens.account, requestedScopes, accountScope),
    consentedAt: tokens.receivedAt,
    // Without a name set in the extension, the account that signed in is who gave the consent.
    requestedBy: actor || tokens.account || connection.requestedBy,
    refreshedAt: null,
    accessTokenExpiry: access,
    // Without a refresh token the authorization ends with its access token.
    grantExpiry: consentedGrantExpiry(rule, tokens, defaultAccessSeconds),
    scopes: grantedScopes(tokens, requestedScopes),
    hasRefreshToken: tokens.refreshToken !== undefined,
    needsReconsent: false,
    problem: null,
    updatedAt: tokens.receivedAt,
  };
}

export function afterRefresh(
  connection: Connection,
  rule: ExpiryRule,
  tokens: TokenResult,
  defaultAccessSeconds?: number,
): Connection {
  return {
    ...connection,
    refreshedAt: tokens.receivedAt,
    accessTokenExpiry: accessTokenExpiry(tokens, defaultAccessSeconds),
    grantExpiry: refreshedGrantExpiry(rule, tokens, connection.consentedAt ?? tokens.receivedAt, connection.grantExpiry),
    scopes: grantedScopes(tokens, connection.scopes),
    needsReconsent: false,
    problem: null,
    updatedAt: tokens.receivedAt,
  };
}

const FIRST_RETRY_SECONDS = 60;
const MAX_RETRY_SECONDS = 6 * 3600;
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

/** The wait after `attempts` failed tries: 1 minute, doubling, at most 6 hours (renewals and revocations alike). */
export function backoffMs(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS) * MS_PER_SECOND;
}

/** Exponential backoff (backoffMs), never sooner than the platform's Retry-After. */
export function nextProblem(
  previous: ConnectionProblem | null,
  code: ProblemCode,
  now: number,
  { retry, retryAfterSeconds }: { retry: boolean; retryAfterSeconds?: number },
): ConnectionProblem {
  const attempts = (previous?.attempts ?? 0) + 1;
  if (!retry) return { code, at: now, attempts };
  const wait = Math.max(backoffMs(attempts), Math.min(retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS) * MS_PER_SECOND);
  return { code, at: now, attempts, retryAt: now + wait };
}
