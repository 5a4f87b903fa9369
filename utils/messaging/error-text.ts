import type { MessageKey, Texts } from '../i18n/texts';
import type { ErrorCode } from './protocol';

/** The codes that share another code's sentence, or whose sentence is named otherwise. */
const SHARED_SENTENCE = {
  'storage-unavailable': 'errorStorage',
  'storage-blocked': 'errorStorage',
  'storage-upgrade-failed': 'errorStorageUpgrade',
  'import-bad-json': 'errorImport',
  'import-not-an-export': 'errorImport',
  'import-unknown-version': 'errorImport',
  'untrusted-response': 'errorUntrusted',
  'invalid-request': 'errorUnexpected',
  'forbidden-sender': 'errorUnexpected',
} as const satisfies Partial<Record<ErrorCode, MessageKey>>;

type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;
/** Every other code has a sentence of its own, named after it ('platform-unavailable': errorPlatformUnavailable): one without does not compile. */
type OwnSentence = `error${Pascal<Exclude<ErrorCode, keyof typeof SHARED_SENTENCE>>}`;
const everyCodeHasItsSentence: OwnSentence extends MessageKey ? true : never = true;

/** The sentence that says what happened and what to do about it, for every error the background can answer with. */
export function errorText(code: ErrorCode): MessageKey {
  return (SHARED_SENTENCE as Partial<Record<ErrorCode, MessageKey>>)[code] ?? (`error${code.replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase())}` as MessageKey);
}

/**
 * The error's sentence in the user's language, as `say` words it (the settings page fills in the
 * limits a sentence names: limit-text.ts); a code this build does not know gets the general one.
 */
export const errorSentence = (texts: Pick<Texts, 't'>, code: ErrorCode, say = (key: MessageKey) => texts.t(key)): string =>
  (everyCodeHasItsSentence && say(errorText(code))) || texts.t('errorUnexpected');
