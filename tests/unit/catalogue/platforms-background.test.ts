import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const catalogueFile = resolve(import.meta.dirname, '../../../public/catalogue.json');
const readCatalogueFile = async (): Promise<unknown> => JSON.parse(readFileSync(catalogueFile, 'utf8'));

/** The catalogue as the background's build has it (wxt.config.ts): platforms.ts replaced by platforms.background.ts, not yet loaded. */
async function backgroundCatalogue() {
  vi.resetModules();
  vi.doMock('../../../utils/catalogue/platforms', () => import('../../../utils/catalogue/platforms.background'));
  const { loadPresets } = await import('../../../utils/catalogue/platforms.background');
  const { findPlatform, findPreset, platformSummary } = await import('../../../utils/catalogue/presets');
  return { loadPresets, findPlatform, findPreset, platformSummary };
}

const texts = { t: (key: string) => key };

describe('the background’s catalogue, read from catalogue.json', () => {
  it('throws at a lookup before it is loaded, rather than finding no platform', async () => {
    const { findPlatform, findPreset, platformSummary } = await backgroundCatalogue();
    expect(() => findPreset('ebay')).toThrow('not loaded');
    expect(() => findPlatform('ebay', [])).toThrow('not loaded');
    expect(() => platformSummary('ebay', texts)).toThrow('not loaded');
  });

  it('finds every platform the pages find, once loaded', async () => {
    const { PRESETS } = await vi.importActual<typeof import('../../../utils/catalogue/platforms')>('../../../utils/catalogue/platforms');
    const { loadPresets, findPreset } = await backgroundCatalogue();
    await loadPresets(readCatalogueFile);
    for (const preset of PRESETS) expect(findPreset(preset.id)).toEqual(preset);
    expect(findPreset('no-such-platform')).toBeUndefined();
  });

  it.each([[[]], [{}], [null]])('refuses a file that lists no platforms (%j), and lookups still throw', async (content) => {
    const { loadPresets, findPreset } = await backgroundCatalogue();
    await expect(loadPresets(async () => content)).rejects.toThrow('lists no platforms');
    expect(() => findPreset('ebay')).toThrow('not loaded');
  });
});
