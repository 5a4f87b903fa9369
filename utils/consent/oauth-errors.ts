import * as oauth from 'oauth4webapi';
import type { ProblemCode } from '../connection';
import { TokenWatchError, type OAuthFailureCode } from '../errors';

export type { OAuthFailureCode };

/** Failures that pass by themselves, as the problem recorded until the renewal is tried again. */
export const TRANSIENT_PROBLEMS: Partial<Record<OAuthFailureCode, ProblemCode>> = {
  network: 'network',
  'platform-unavailable': 'platform-unavailable',
  'rate-limited': 'rate-limited',
  'invalid-response': 'invalid-response',
  failed: 'invalid-response',
};

/** A sign-in or renewal failed; the message is the code only, since platform texts may quote what was sent. */
export class OAuthFailure extends TokenWatchError<OAuthFailureCode> {
  override name = 'OAuthFailure';
  constructor(
    code: OAuthFailureCode,
    readonly details: { platformError?: string; retryAfterSeconds?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(code, options);
  }
}

/** The Retry-After header in seconds, when it is a number of seconds or an HTTP date. */
export function retryAfterSeconds(response: Response | undefined, now = Date.now()): number | undefined {
  const header = response?.headers.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}

function byStatus(status: number, response?: Response): OAuthFailure | undefined {
  if (status === 429) return new OAuthFailure('rate-limited', { retryAfterSeconds: retryAfterSeconds(response) });
  if (status >= 500) return new OAuthFailure('platform-unavailable', { retryAfterSeconds: retryAfterSeconds(response) });
  return undefined;
}

/**
 * The error codes of RFC 6749 (sections 4.1.2.1 and 5.2) by whose side they are on: the
 * authorization, the app, or the request as sent. A request problem is never the account's.
 */
const PLATFORM_ERRORS: Readonly<Record<string, OAuthFailureCode>> = {
  invalid_grant: 'grant-rejected',
  invalid_client: 'client-rejected',
  unauthorized_client: 'client-rejected',
  invalid_request: 'request-rejected',
  invalid_scope: 'request-rejected',
  unsupported_grant_type: 'request-rejected',
  unsupported_response_type: 'request-rejected',
};

/** A refusal by its error code; a code of the platform's own (OpenID's login_required, …) is a refused sign-in. */
function byPlatformError(platformError: string): OAuthFailure {
  return new OAuthFailure(Object.hasOwn(PLATFORM_ERRORS, platformError) ? PLATFORM_ERRORS[platformError]! : 'consent-refused', { platformError });
}

/** Maps whatever a token or discovery request threw to an OAuthFailure. */
export function classifyTokenError(error: unknown): OAuthFailure {
  if (error instanceof OAuthFailure) return error;
  if (error instanceof oauth.ResponseBodyError) {
    return byStatus(error.status, error.response) ?? byPlatformError(error.error);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return byStatus(error.status, error.response) ?? new OAuthFailure('client-rejected');
  }
  if (error instanceof oauth.OperationProcessingError) {
    const response = error.cause instanceof Response ? error.cause : undefined;
    return (response && byStatus(response.status, response)) ?? new OAuthFailure('invalid-response', {}, { cause: error });
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new OAuthFailure('network', {}, { cause: error });
  }
  // fetch rejects with a plain TypeError when offline; oauth4webapi's own TypeErrors carry a code.
  if (error instanceof TypeError && !('code' in error)) return new OAuthFailure('network', {}, { cause: error });
  return new OAuthFailure('invalid-response', {}, { cause: error });
}

/** Maps the error of the authorization redirect (RFC 6749, section 4.1.2.1). */
export function classifyAuthorizationError(error: unknown): OAuthFailure {
  if (error instanceof oauth.AuthorizationResponseError) {
    if (error.error === 'access_denied') return new OAuthFailure('cancelled', { platformError: error.error });
    if (error.error === 'temporarily_unavailable' || error.error === 'server_error') {
      return new OAuthFailure('platform-unavailable', { platformError: error.error });
    }
    return byPlatformError(error.error);
  }
  // A wrong or missing state or iss: possibly forged, so not even an error it carries is believed.
  return new OAuthFailure('untrusted-response', {}, { cause: error });
}

/**
 * launchWebAuthFlow rejects with a message only. Chrome says "The user did not
 * approve access." and Firefox "User cancelled or denied access." when the window
 * is closed; Chrome refuses a second flow with "Only one web auth flow is allowed
 * at a time." Anything else is a failure we do not guess about.
 */
export function classifyLaunchError(error: unknown): OAuthFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (/did not approve|cancell?ed|denied/i.test(message)) return new OAuthFailure('cancelled');
  if (/only one web auth flow/i.test(message)) return new OAuthFailure('busy');
  if (/not available|incognito|not supported/i.test(message)) return new OAuthFailure('identity-unavailable');
  if (/could not be loaded/i.test(message)) return new OAuthFailure('platform-unavailable', {}, { cause: error });
  return new OAuthFailure('failed', {}, { cause: error });
}
