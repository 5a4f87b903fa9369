/**
 * Every failure the background can answer a page with, each with a code the pages turn into one
 * sentence with a next step (utils/messaging/error-text.ts). Anything else becomes `unexpected`.
 */

export type StorageErrorCode =
  | 'storage-unavailable'
  | 'storage-blocked'
  | 'storage-full'
  /** A newer version could not bring the stored data up to date; it stays as it was, at the old version. */
  | 'storage-upgrade-failed';

export type ImportErrorCode = 'import-bad-json' | 'import-not-an-export' | 'import-unknown-version' | 'import-too-large' | 'import-too-many';

/** What went wrong with a sign-in or renewal, in terms of what the user (or the background) can do about it. */
export type OAuthFailureCode =
  /** The user closed the sign-in window or declined: nothing changed. */
  | 'cancelled'
  /** Another sign-in window is open. */
  | 'busy'
  /** The browser offers no sign-in windows here (private window, policy). */
  | 'identity-unavailable'
  /** The platform said it cannot answer now (5xx, temporarily_unavailable): try later. */
  | 'platform-unavailable'
  | 'rate-limited'
  /** No connection to the platform, or it did not answer in time. */
  | 'network'
  /** The answer from the sign-in page could not be trusted (state, issuer, redirect): nothing saved. */
  | 'untrusted-response'
  /** The platform refused the app itself (invalid_client): a setting is wrong. */
  | 'client-rejected'
  /** The platform refused the grant (invalid_grant): only a new consent helps. */
  | 'grant-rejected'
  /** The platform refused the request as sent (invalid_request, invalid_scope, …): a setting of the app or platform, not the account. */
  | 'request-rejected'
  /** The platform refused the sign-in for a reason of its own (its error code is kept). */
  | 'consent-refused'
  /** The platform answered something that is not a valid token response. */
  | 'invalid-response'
  /** The platform's settings cannot work (no HTTPS, discovery failed, no token endpoint). */
  | 'platform-misconfigured'
  /** Something we cannot name went wrong: no guess, a retry and a way to get help. */
  | 'failed'
  /** Checking a custom platform by its address: */
  | 'discovery-unreachable'
  | 'discovery-insecure'
  | 'discovery-issuer-mismatch'
  | 'discovery-no-pkce'
  | 'discovery-failed';

/** The company's token holder: not set up, not answering, refusing this colleague's key, or missing the platform's app. */
export type HolderErrorCode = 'holder-not-connected' | 'holder-unreachable' | 'holder-key-refused' | 'holder-app-missing' | 'holder-failed' | 'holder-managed';

export type ErrorCode =
  | StorageErrorCode
  | HolderErrorCode
  | ImportErrorCode
  | OAuthFailureCode
  /** The connection is not (or no longer) stored. */
  | 'not-found'
  /** A field a person filled in is not acceptable; `InvalidInputError.field` names it. */
  | 'invalid-input'
  /** A sealed secret cannot be opened (the key is gone or the data damaged). */
  | 'secret-unreadable'
  /** The passphrase lock: locked (unlock first), a wrong or too short passphrase, on or off already. */
  | 'vault-locked'
  | 'passphrase-wrong'
  | 'passphrase-too-short'
  | 'lock-on'
  | 'lock-off'
  /** The user did not allow access to the platform's hosts. */
  | 'host-access-denied'
  /** An administrator's connection: it may be used, not removed. */
  | 'managed'
  /** Token Watch keeps at most MAX_CONNECTIONS connections. */
  | 'too-many-connections'
  /** A message that is not one of the protocol's, or whose payload has the wrong shape. */
  | 'invalid-request'
  | 'forbidden-sender'
  | 'unexpected';

/**
 * The one base of every error with a code; the message is the code alone, never stored data.
 * Each class names itself in words (a bundle renames classes, and the logs show the name).
 */
export class TokenWatchError<Code extends ErrorCode = ErrorCode> extends Error {
  override name = 'TokenWatchError';
  constructor(
    readonly code: Code,
    options?: { cause?: unknown },
  ) {
    super(code, options);
  }
}

/** A field a person filled in (or a file or policy brought) cannot be accepted. */
export class InvalidInputError extends TokenWatchError<'invalid-input' | 'discovery-insecure'> {
  override name = 'InvalidInputError';
  constructor(
    readonly field: string,
    /** `discovery-insecure`: a platform's address that is not HTTPS, which has its own message. */
    code: 'invalid-input' | 'discovery-insecure' = 'invalid-input',
  ) {
    super(code);
  }
}

/** The connection is not (or no longer) stored. */
export class NotFoundError extends TokenWatchError<'not-found'> {
  override name = 'NotFoundError';
  constructor() {
    super('not-found');
  }
}

/** The code of anything thrown: its own where it has one, else `unexpected`. */
/** A write refused for a full disk (a StorageError, or anything else that carries its code). */
export const isDiskFull = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'storage-full';

export function errorCodeOf(error: unknown): ErrorCode {
  return error instanceof TokenWatchError ? error.code : 'unexpected';
}
