import de from '../../public/_locales/de/messages.json';
import en from '../../public/_locales/en/messages.json';
import type { MessageKey, Texts } from '../../utils/i18n/texts';

type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export const CATALOGUES: Record<'en' | 'de', Catalogue> = { en, de };

/** Resolves messages the way `browser.i18n.getMessage` does: named placeholders point at $1, $2, … */
export function textsFor(lang: 'en' | 'de'): Texts {
  const catalogue = CATALOGUES[lang];
  return {
    locale: lang,
    t: (key: MessageKey, substitutions: string[] = []) => {
      const entry = catalogue[key];
      if (!entry) throw new Error(`No message ${key} in ${lang}`);
      return entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (_, name: string) => {
        const content = entry.placeholders?.[name.toLowerCase()]?.content;
        if (!content) throw new Error(`Message ${key} has no placeholder ${name}`);
        return content.replace(/\$(\d)/g, (__, index: string) => substitutions[Number(index) - 1] ?? '');
      });
    },
  };
}
