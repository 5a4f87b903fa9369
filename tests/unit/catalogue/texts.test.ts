import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueJson, catalogueMessages, platformTable, readmeTable, ruleSummary, withCatalogue, withPlatformTable, withReadmeTable } from '../../../scripts/lib/catalogue-output';
import { PRESETS } from '../../../utils/catalogue/platforms';
import { FIELD_LABELS, PLATFORM_TEXTS } from '../../../utils/catalogue/texts';
import { CATALOGUES } from '../texts';

const root = resolve(import.meta.dirname, '../../..');

describe('the catalogue’s words', () => {
  it('name every platform’s rule source, and only the catalogue’s platforms', () => {
    expect(Object.keys(PLATFORM_TEXTS).sort()).toEqual(PRESETS.map((preset) => preset.id).sort());
    for (const preset of PRESETS) expect(Boolean(PLATFORM_TEXTS[preset.id]?.name)).toBe(Boolean(preset.localizedName));
  });

  it('label every address part a platform asks for', () => {
    const asked = new Set(PRESETS.flatMap((preset) => preset.oauth?.fields ?? []).map((field) => field.name));
    expect(Object.keys(FIELD_LABELS).sort()).toEqual([...asked].sort());
  });

  it.each(['en', 'de'] as const)('are in the %s message catalogue as the catalogue says (run `npm run catalogue` after a change)', (language) => {
    expect(withCatalogue(CATALOGUES[language], language)).toEqual(CATALOGUES[language]);
    expect(Object.keys(catalogueMessages(language))).toContain('rule_ebay_sandbox');
  });

  it('give the table in docs/platforms.md (run `npm run catalogue` after a change)', () => {
    const document = readFileSync(resolve(root, 'docs/platforms.md'), 'utf8');
    expect(withPlatformTable(document)).toBe(document);
    expect(platformTable().split('\n')).toHaveLength(PRESETS.length + 2);
  });

  it('give the table in README.md, each preset with its source and the tests that prove it (run `npm run catalogue` after a change)', () => {
    const document = readFileSync(resolve(root, 'README.md'), 'utf8');
    expect(withReadmeTable(document)).toBe(document);
    const rows = readmeTable().split('\n').slice(2);
    expect(rows).toHaveLength(PRESETS.length);
    expect(rows.find((row) => row.startsWith('| DATEV |'))).toMatch(/DATEV's developer portal .*\[rule\]\(tests\/unit\/catalogue\/presets\.test\.ts\), \[sign-in\]\(tests\/e2e\/presets\.test\.ts\) \|$/);
    // Every sign-in platform, sandboxes and regions included, is signed in by the end-to-end test.
    const signIns = PRESETS.map((preset, index) => [preset.id, preset.kind === 'oauth' && rows[index]!.endsWith(', [sign-in](tests/e2e/presets.test.ts) |')]);
    expect(signIns.filter(([, proven]) => !proven).map(([id]) => id)).toEqual(PRESETS.filter((preset) => preset.kind !== 'oauth').map((preset) => preset.id));
    expect(rows.find((row) => row.startsWith('| sevDesk API token |'))).toMatch(/\| \[rule\]\(tests\/unit\/catalogue\/presets\.test\.ts\) \|$/);
  });

  it('give public/catalogue.json, the background’s copy of the presets (run `npm run catalogue` after a change)', () => {
    expect(readFileSync(resolve(root, 'public/catalogue.json'), 'utf8')).toBe(catalogueJson());
    expect(JSON.parse(catalogueJson())).toEqual(PRESETS);
  });

  it.each<[Parameters<typeof ruleSummary>[0], string]>([
    [{ kind: 'fixed', lifetime: { months: 24 } }, '2 years from the sign-in'],
    [{ kind: 'fixed', lifetime: { days: 365 } }, '365 days from the sign-in'],
    [{ kind: 'sliding', lifetime: { days: 100 }, hardCap: { months: 60 } }, '100 days, restarted by each refresh, at most 5 years'],
    [{ kind: 'response-field', field: 'refresh_token_expires_in', otherwise: { kind: 'fixed', lifetime: { months: 18 } } }, '`refresh_token_expires_in` in the token response; otherwise 18 months from the sign-in'],
    [{ kind: 'user-date' }, 'the date you enter'],
    [{ kind: 'unknown' }, 'unknown (shown as "?")'],
  ])('describe the rule %j as “%s”', (rule, text) => {
    expect(ruleSummary(rule)).toBe(text);
  });

  it('count a tracked credential’s lifetime from the day it was issued', () => {
    expect(ruleSummary({ kind: 'fixed', lifetime: { days: 180 } }, 'the day it was issued')).toBe('180 days from the day it was issued');
  });
});
