/**
 * What `npm run catalogue` writes from the catalogue (utils/catalogue): the catalogue's messages
 * in each language, the presets as public/catalogue.json (which the background reads at its
 * start) and the platform table of docs/platforms.md. Pure, so a unit test checks that what is
 * committed is what the catalogue says.
 */
import { PRESETS } from '../../utils/catalogue/platforms';
import { catalogueKey } from '../../utils/catalogue/presets';
import { FIELD_LABELS, PLATFORM_TEXTS } from '../../utils/catalogue/texts';
import type { Lifetime, ExpiryRule } from '../../utils/expiry/rules';
import type { Localized } from '../../utils/i18n/texts';
import { allLookalikes } from './lookalike-platforms';

export type Language = keyof Localized;
export type Messages = Record<string, { message: string; description?: string; placeholders?: Record<string, unknown> }>;

const CATALOGUE_KEY = /^(rule|platform|field)_/;

/** The catalogue's own messages in one language, in the catalogue's order. */
export function catalogueMessages(language: Language): Messages {
  const messages: Messages = {};
  for (const preset of PRESETS) {
    const texts = PLATFORM_TEXTS[preset.id];
    if (!texts) throw new Error(`utils/catalogue/texts.ts has no words for the platform ${preset.id}`);
    messages[catalogueKey('rule', preset.id)] = { message: texts.note[language] };
    if (preset.localizedName) {
      if (!texts.name) throw new Error(`utils/catalogue/texts.ts has no name for the generic platform ${preset.id}`);
      messages[catalogueKey('platform', preset.id)] = { message: texts.name[language] };
    }
  }
  for (const name of new Set(PRESETS.flatMap((preset) => preset.oauth?.fields ?? []).map((field) => field.name))) {
    const label = FIELD_LABELS[name];
    if (!label) throw new Error(`utils/catalogue/texts.ts has no label for the address part ${name}`);
    messages[catalogueKey('field', name)] = { message: label[language] };
  }
  return messages;
}

/** A message catalogue with its catalogue entries replaced by the catalogue's current words (the rest kept in order). */
export function withCatalogue(messages: Messages, language: Language): Messages {
  const own = Object.fromEntries(Object.entries(messages).filter(([key]) => !CATALOGUE_KEY.test(key)));
  return { ...own, ...catalogueMessages(language) };
}

/** public/catalogue.json: the presets, for the background's build (utils/catalogue/platforms.background.ts). */
export function catalogueJson(): string {
  return `${JSON.stringify(PRESETS, null, 2)}\n`;
}

function lifetimeText(lifetime: Lifetime): string {
  if ('months' in lifetime) return lifetime.months % 12 === 0 ? `${lifetime.months / 12} year${lifetime.months === 12 ? '' : 's'}` : `${lifetime.months} months`;
  if ('days' in lifetime) return lifetime.days === 1 ? '24 hours' : `${lifetime.days} days`;
  return `${lifetime.seconds} s`;
}

/** An expiry rule in plain English, for the table; a tracked credential's lifetime runs from the day it was issued. */
export function ruleSummary(rule: ExpiryRule, start = 'the sign-in'): string {
  switch (rule.kind) {
    case 'fixed':
      return `${lifetimeText(rule.lifetime)} from ${start}`;
    case 'sliding':
      return `${lifetimeText(rule.lifetime)}, restarted by each refresh${rule.hardCap ? `, at most ${lifetimeText(rule.hardCap)}` : ''}`;
    case 'response-field':
      return `\`${rule.field}\` in the token response; otherwise ${ruleSummary(rule.otherwise, start)}`;
    case 'user-date':
      return 'the date you enter';
    case 'unknown':
      return 'unknown (shown as "?")';
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The platform table of docs/platforms.md, with the presets an end-to-end test signs in with against a look-alike of their platform. */
export function platformTable(): string {
  const proven = new Set(allLookalikes('').map((profile) => profile.presetId));
  const rows = PRESETS.map((preset) => {
    const texts = PLATFORM_TEXTS[preset.id];
    const name = preset.localizedName && texts?.name ? texts.name.en : preset.name;
    const signIn = preset.oauth ? preset.oauth.exchanges.join(', ') : 'tracked by date';
    const byExchange = Object.entries(preset.grantRuleByExchange ?? {}).map(([mode, rule]) => `${mode}: ${ruleSummary(rule)}`);
    const general = ruleSummary(preset.grantRule, preset.kind === 'tracked' ? 'the day it was issued' : 'the sign-in');
    const ends = byExchange.length > 0 ? `${byExchange.join('; ')}; otherwise ${general}` : general;
    const test = proven.has(preset.id) ? '[look-alike](#proven-against-look-alikes)' : preset.kind === 'oauth' ? 'not run' : '';
    return `| ${cell(name)} | \`${preset.id}\` | ${signIn} | ${cell(ends)} | ${cell(texts?.note.en ?? '')} | ${test} |`;
  });
  return ['| Platform | Id | Sign-in | Authorization ends | Source | Signed in by a test |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export const TABLE_START = '<!-- platforms:start -->';
export const TABLE_END = '<!-- platforms:end -->';

/** A document with its catalogue table replaced by the current one. */
export function withPlatformTable(document: string): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/platforms.md needs the markers ${TABLE_START} and ${TABLE_END}`);
  return `${document.slice(0, start + TABLE_START.length)}\n${platformTable()}\n${document.slice(end)}`;
}
