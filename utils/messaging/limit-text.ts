/**
 * The messages that name a limit, with the limit filled in. Only the settings page shows them: kept
 * apart from error-text.ts, which the popup loads too.
 */
import type { MessageKey, Texts } from '../i18n/texts';
import { MAX_CONNECTIONS, MAX_IMPORT_MB, MAX_TEXT, PASSPHRASE_MIN_LENGTH } from '../limits';

/** The messages that name a limit (utils/limits.ts), which each takes as its $1. */
const LIMITS: Partial<Record<MessageKey, number>> = {
  errorImportTooLarge: MAX_IMPORT_MB,
  errorImportTooMany: MAX_CONNECTIONS,
  errorTooManyConnections: MAX_CONNECTIONS,
  skip_text_too_long: MAX_TEXT,
  skip_limit_reached: MAX_CONNECTIONS,
  errorPassphraseTooShort: PASSPHRASE_MIN_LENGTH,
  lockPassphraseHint: PASSPHRASE_MIN_LENGTH,
};

/** A message with the limit it names written the user's way (2,000 or 2.000). */
export function withLimit(texts: Texts, key: MessageKey): string {
  const limit = LIMITS[key];
  return texts.t(key, limit === undefined ? undefined : [new Intl.NumberFormat(texts.locale).format(limit)]);
}
