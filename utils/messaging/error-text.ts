import type { MessageKey, Texts } from '../i18n/texts';
import { MAX_CONNECTIONS, MAX_IMPORT_MB, MAX_TEXT } from '../limits';
import type { ErrorCode } from './protocol';

/** The messages that name a limit (utils/limits.ts), which each takes as its $1. */
const LIMITS: Partial<Record<MessageKey, number>> = {
  errorImportTooLarge: MAX_IMPORT_MB,
  errorImportTooMany: MAX_CONNECTIONS,
  errorTooManyConnections: MAX_CONNECTIONS,
  skip_text_too_long: MAX_TEXT,
  skip_limit_reached: MAX_CONNECTIONS,
};

/** A message with the limit it names written the user's way (2,000 or 2.000). */
export function withLimit(texts: Texts, key: MessageKey): string {
  const limit = LIMITS[key];
  return texts.t(key, limit === undefined ? undefined : [new Intl.NumberFormat(texts.locale).format(limit)]);
}

/** Every error the background can answer with, and the sentence that says what to do about it. */
export const ERROR_TEXT: Record<ErrorCode, MessageKey> = {
  'storage-unavailable': 'errorStorage',
  'storage-blocked': 'errorStorage',
  'storage-full': 'errorStorageFull',
  'storage-upgrade-failed': 'errorStorageUpgrade',
  'import-bad-json': 'errorImport',
  'import-not-an-export': 'errorImport',
  'import-unknown-version': 'errorImport',
  'import-too-large': 'errorImportTooLarge',
  'import-too-many': 'errorImportTooMany',
  'too-many-connections': 'errorTooManyConnections',
  cancelled: 'errorCancelled',
  busy: 'errorBusy',
  'identity-unavailable': 'errorIdentityUnavailable',
  'platform-unavailable': 'errorPlatformUnavailable',
  'rate-limited': 'errorRateLimited',
  network: 'errorNetwork',
  'untrusted-response': 'errorUntrusted',
  'client-rejected': 'errorClientRejected',
  'grant-rejected': 'errorGrantRejected',
  'request-rejected': 'errorRequestRejected',
  'consent-refused': 'errorConsentRefused',
  'invalid-response': 'errorInvalidResponse',
  'platform-misconfigured': 'errorPlatformMisconfigured',
  failed: 'errorFailed',
  'not-found': 'errorNotFound',
  'invalid-input': 'errorInvalidInput',
  'secret-unreadable': 'errorSecretUnreadable',
  'vault-locked': 'errorVaultLocked',
  'passphrase-wrong': 'errorPassphraseWrong',
  'passphrase-too-short': 'errorPassphraseTooShort',
  'lock-on': 'errorLockOn',
  'lock-off': 'errorLockOff',
  'host-access-denied': 'errorHostAccessDenied',
  'discovery-unreachable': 'errorDiscoveryUnreachable',
  'discovery-insecure': 'errorDiscoveryInsecure',
  'discovery-issuer-mismatch': 'errorDiscoveryIssuerMismatch',
  'discovery-no-pkce': 'errorDiscoveryNoPkce',
  'discovery-failed': 'errorDiscoveryFailed',
  managed: 'errorManaged',
  'holder-not-connected': 'errorHolderNotConnected',
  'holder-unreachable': 'errorHolderUnreachable',
  'holder-key-refused': 'errorHolderKeyRefused',
  'holder-app-missing': 'errorHolderAppMissing',
  'holder-failed': 'errorHolderFailed',
  'holder-managed': 'errorHolderManaged',
  'invalid-request': 'errorUnexpected',
  'forbidden-sender': 'errorUnexpected',
  unexpected: 'errorUnexpected',
};
