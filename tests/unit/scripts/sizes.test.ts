import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROME_BUILD_DIR } from '../../../scripts/lib/chromium';
import { builtSizes, popupScripts, SIZE_BUDGETS, type BudgetedPart } from '../../../scripts/lib/sizes';
import { PRESETS } from '../../../utils/catalogue/platforms';

// Reads the Chrome build that `npm test` makes before it runs vitest. Sizes are the same on every
// run, so they are held to their budgets here; times vary, so the benchmark only reports them.
function chromeBuild(): string {
  if (!existsSync(join(CHROME_BUILD_DIR, 'background.js'))) {
    throw new Error('No Chrome build in .output/chrome-mv3. Run "npm run build" first.');
  }
  return CHROME_BUILD_DIR;
}

describe('the size budgets of the Chrome build', () => {
  it('count the popup as its entry script and the chunks it preloads', () => {
    const scripts = popupScripts(chromeBuild()).map((file) => basename(file));
    expect(scripts.some((name) => name.startsWith('popup-'))).toBe(true);
    expect(scripts.length).toBeGreaterThan(1);
  });

  it.each(Object.keys(SIZE_BUDGETS) as BudgetedPart[])('hold for the %s', (part) => {
    const { raw, gzip } = builtSizes(chromeBuild())[part];
    const budget = SIZE_BUDGETS[part];
    console.log(`${part}: ${raw} B raw, ${gzip} B gzip of ${budget} B (${budget - gzip} B left)`);
    expect(gzip).toBeLessThanOrEqual(budget);
  });
});

describe('the background of the Chrome build', () => {
  it('reads the platform catalogue from catalogue.json instead of carrying it in its script (wxt.config.ts)', () => {
    const script = readFileSync(join(chromeBuild(), 'background.js'), 'utf8');
    expect(PRESETS.map((preset) => preset.name).filter((name) => script.includes(name))).toEqual([]);
    expect(JSON.parse(readFileSync(join(chromeBuild(), 'catalogue.json'), 'utf8'))).toEqual(PRESETS);
  });
});
