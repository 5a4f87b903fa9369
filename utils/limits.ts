/**
 * The limits every entry point shares: the forms (`maxLength`), the background's checks, an import
 * file, the policy. The messages that name one take it as a substitution (`withLimit` in
 * messaging/limit-text.ts), so each number is written here only.
 */

/** The longest text a field takes (labels, account names, ids, notes, a record's keys). */
export const MAX_TEXT = 300;
/** The longest address a field takes (a renewal page, a broker, a platform's endpoints). */
export const MAX_URL = 2_000;
/** The `maxLength` of a form's field of this input type: an address's, or any other text's. */
export const fieldMaxLength = (type: string): number => (type === 'url' ? MAX_URL : MAX_TEXT);
/**
 * At most this many connections are kept (an import file holds at most as many): the popup, the
 * badge, the notifications and an export stay quick, and every list fits in one message.
 */
export const MAX_CONNECTIONS = 2_000;
/** An export file is at most this many megabytes: a few thousand connections fit in far less. */
export const MAX_IMPORT_MB = 5;
export const MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1_000_000;
/** The shortest passphrase the lock takes: a few words in a row reach it. */
export const PASSPHRASE_MIN_LENGTH = 10;
