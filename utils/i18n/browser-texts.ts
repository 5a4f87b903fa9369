import { browser } from 'wxt/browser';
import type { MessageKey, Texts } from './texts';

type I18n = Pick<typeof browser.i18n, 'getMessage' | 'getUILanguage'>;

/** The extension's messages in the browser's language (`_locales`), and that language for dates and plurals. */
export function browserTexts(i18n: I18n = browser.i18n): Texts {
  // Each getMessage passes the browser's checks of its arguments, which costs more than the
  // lookup: the popup's first screen asks for hundreds of messages, most of them alike (every
  // row's button names), so each is asked for once per page or wake-up.
  const asked = new Map<string, string>();
  return {
    t: (key: MessageKey, substitutions?: string[]) => {
      const id = substitutions ? JSON.stringify([key, ...substitutions]) : key;
      let text = asked.get(id);
      if (text === undefined) {
        text = i18n.getMessage(key, substitutions);
        asked.set(id, text);
      }
      return text;
    },
    locale: i18n.getUILanguage(),
  };
}
