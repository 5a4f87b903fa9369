import { describe, expect, it } from 'vitest';
import type { MessageKey } from '../../../utils/i18n/texts';
import { PASSPHRASE_MIN_LENGTH } from '../../../utils/limits';
import { withLimit } from '../../../utils/messaging/limit-text';
import { CATALOGUES, textsFor } from '../texts';

/** Those whose one number is a limit (a message with more numbers is filled where it is shown). */
const namingALimit = Object.entries(CATALOGUES.en)
  .filter(([, entry]) => Object.keys(entry.placeholders ?? {}).join() === 'limit')
  .map(([key]) => key as MessageKey);

describe('messages that name a limit', () => {
  it.each(namingALimit.flatMap((key) => (['en', 'de'] as const).map((lang) => [key, lang] as const)))('%s (%s) is given its number', (key, lang) => {
    expect(withLimit(textsFor(lang), key)).toMatch(/\d/);
  });

  it.each([
    ['en', 'errorPassphraseTooShort', `at least ${PASSPHRASE_MIN_LENGTH} characters`],
    ['de', 'errorPassphraseTooShort', `mindestens ${PASSPHRASE_MIN_LENGTH} Zeichen`],
    ['en', 'lockPassphraseHint', `At least ${PASSPHRASE_MIN_LENGTH} characters`],
    ['de', 'lockPassphraseHint', `Mindestens ${PASSPHRASE_MIN_LENGTH} Zeichen`],
  ] as const)('name the passphrase’s shortest length the vault takes (%s, %s)', (lang, key, text) => {
    expect(withLimit(textsFor(lang), key)).toContain(text);
  });
});
