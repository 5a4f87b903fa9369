/**
 * What `npm run catalogue` writes from the catalogue (utils/catalogue): the catalogue's messages
 * in each language, the presets as public/catalogue.json (which the background reads at its
 * start), the platform table of docs/platforms.md and the shorter one of README.md. Pure, so a
 * unit test checks that what is committed is what the catalogue says.
 */
import { PRESETS } from '../../utils/catalogue/platforms';
import { catalogueKey, type PlatformPreset } from '../../utils/catalogue/presets';
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

/** A table cell's text: a `|` would end the cell, and `<…>` (DATEV's `<consultant number>`) would be read as HTML and hidden. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');

/** A preset's facts as both tables state them: its name, when its authorization ends, and where that comes from. */
function presetFacts(preset: PlatformPreset) {
  const texts = PLATFORM_TEXTS[preset.id];
  const byExchange = Object.entries(preset.grantRuleByExchange ?? {}).map(([mode, rule]) => `${mode}: ${ruleSummary(rule)}`);
  const general = ruleSummary(preset.grantRule, preset.kind === 'tracked' ? 'the day it was issued' : 'the sign-in');
  return {
    name: cell(preset.localizedName && texts?.name ? texts.name.en : preset.name),
    ends: cell(byExchange.length > 0 ? `${byExchange.join('; ')}; otherwise ${general}` : general),
    source: cell(texts?.note.en ?? ''),
  };
}

/** The presets an end-to-end test signs in with against a look-alike of their platform. */
const provenPresets = () => new Set(allLookalikes('').map((profile) => profile.presetId));

/** The platform table of docs/platforms.md, with the presets an end-to-end test signs in with against a look-alike of their platform. */
export function platformTable(): string {
  const proven = provenPresets();
  const rows = PRESETS.map((preset) => {
    const { name, ends, source } = presetFacts(preset);
    const signIn = preset.oauth ? preset.oauth.exchanges.join(', ') : 'tracked by date';
    const test = proven.has(preset.id) ? '[look-alike](#proven-against-look-alikes)' : preset.kind === 'oauth' ? 'not run' : '';
    return `| ${name} | \`${preset.id}\` | ${signIn} | ${ends} | ${source} | ${test} |`;
  });
  return ['| Platform | Id | Sign-in | Authorization ends | Source | Signed in by a test |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** Where each preset's rule is checked, date by date (a unit test there requires every preset to be in it). */
export const RULE_TEST = 'tests/unit/catalogue/presets.test.ts';
/** Where each preset with a look-alike signs in, in real Chromium. */
export const SIGN_IN_TEST = 'tests/e2e/presets.test.ts';

/** README.md's table: per preset its documented facts, their source and the tests that prove them. */
export function readmeTable(): string {
  const proven = provenPresets();
  const rows = PRESETS.map((preset) => {
    const { name, ends, source } = presetFacts(preset);
    const signIn = proven.has(preset.id) ? `[sign-in](${SIGN_IN_TEST})` : preset.kind === 'oauth' ? 'sign-in not run' : null;
    return `| ${name} | ${ends} | ${source} | [rule](${RULE_TEST})${signIn ? `, ${signIn}` : ''} |`;
  });
  return ['| Platform | Authorization ends | Source | Proven by |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export const TABLE_START = '<!-- platforms:start -->';
export const TABLE_END = '<!-- platforms:end -->';
export const README_START = '<!-- catalogue:start -->';
export const README_END = '<!-- catalogue:end -->';

/** A document with the part between two markers replaced by `table`. */
function withTable(document: string, table: string, [startMarker, endMarker]: [string, string], file: string): string {
  const start = document.indexOf(startMarker);
  const end = document.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`${file} needs the markers ${startMarker} and ${endMarker}`);
  return `${document.slice(0, start + startMarker.length)}\n${table}\n${document.slice(end)}`;
}

/** docs/platforms.md with its catalogue table replaced by the current one. */
export function withPlatformTable(document: string): string {
  return withTable(document, platformTable(), [TABLE_START, TABLE_END], 'docs/platforms.md');
}

/** README.md with its catalogue table replaced by the current one. */
export function withReadmeTable(document: string): string {
  return withTable(document, readmeTable(), [README_START, README_END], 'README.md');
}
