import type { MessageKey } from './i18n';
import type { ErrorCode } from './protocol';

/** Every error the background can answer with, and the sentence that says what to do about it. */
export const ERROR_TEXT: Record<ErrorCode, MessageKey> = {
  'storage-unavailable': 'errorStorage',
  'storage-blocked': 'errorStorage',
  'storage-full': 'errorStorageFull',
  'import-bad-json': 'errorImport',
  'import-not-an-export': 'errorImport',
  'import-unknown-version': 'errorImport',
  cancelled: 'errorCancelled',
  busy: 'errorBusy',
  'identity-unavailable': 'errorIdentityUnavailable',
  'platform-unavailable': 'errorPlatformUnavailable',
  'rate-limited': 'errorRateLimited',
  network: 'errorNetwork',
  'untrusted-response': 'errorUntrusted',
  'client-rejected': 'errorClientRejected',
  'grant-rejected': 'errorGrantRejected',
  'consent-refused': 'errorConsentRefused',
  'invalid-response': 'errorInvalidResponse',
  'platform-misconfigured': 'errorPlatformMisconfigured',
  failed: 'errorFailed',
  'not-found': 'errorNotFound',
  'invalid-input': 'errorInvalidInput',
  'secret-unreadable': 'errorSecretUnreadable',
  'host-access-denied': 'errorHostAccessDenied',
  'invalid-request': 'errorUnexpected',
  'forbidden-sender': 'errorUnexpected',
  unexpected: 'errorUnexpected',
};
