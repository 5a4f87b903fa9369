import { browser } from 'wxt/browser';
import type { MessageKey, Texts } from './texts';

/** The extension's messages in the browser's language (`_locales`), and that language for dates and plurals. */
export function browserTexts(): Texts {
  return {
    t: (key: MessageKey, substitutions?: string[]) => browser.i18n.getMessage(key, substitutions),
    locale: browser.i18n.getUILanguage(),
  };
}
