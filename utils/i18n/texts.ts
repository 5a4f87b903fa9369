import type englishMessages from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof englishMessages;

/** `browser.i18n.getMessage`, or a stand-in in tests. */
export type Translate = (key: MessageKey, substitutions?: string[]) => string;

export interface Texts {
  t: Translate;
  /** A BCP 47 tag for plural rules, numbers and dates, e.g. "de" or "en-US". */
  locale: string;
}

type PluralKeyBase<K = MessageKey> = K extends `${infer Base}_one` ? Base : never;

const pluralRules = new Map<string, Intl.PluralRules>();

/**
 * Picks the singular or plural message ("1 Tag", "6 Tagen") by the locale's plural rules.
 * The count is the first substitution; `rest` follow it.
 */
export function plural(texts: Texts, base: PluralKeyBase, count: number, rest: string[] = []): string {
  let rules = pluralRules.get(texts.locale);
  if (!rules) {
    rules = new Intl.PluralRules(texts.locale);
    pluralRules.set(texts.locale, rules);
  }
  const form = rules.select(count) === 'one' ? 'one' : 'other';
  return texts.t(`${base}_${form}` as MessageKey, [String(count), ...rest]);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per language and time zone, made once: making one costs far more than using it,
 * and the popup formats dates in every row of its first screen.
 */
export function dateFormat(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/** A date the way the user's language writes it: 29.11.2026, 11/29/2026. */
export function formatDate(texts: Texts, instant: number, timeZone: string): string {
  return dateFormat(texts.locale, timeZone).format(instant);
}

/** A text the catalogue carries itself, in each language the extension speaks. */
export interface Localized {
  en: string;
  de: string;
}
