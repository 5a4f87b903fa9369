/**
 * platforms.ts as the background's build sees it (wxt.config.ts puts it in place for that build
 * only): the same presets, read from catalogue.json, which `npm run catalogue` writes from
 * platforms.ts. The data is then no part of the worker's script, which wakes often and has a size
 * budget (scripts/lib/sizes.ts). The background waits for `loadPresets` before it handles any
 * event; a lookup before that throws rather than finding no platform (presets.ts).
 */
import type { PlatformPreset } from './types';

const loaded: PlatformPreset[] = [];

export const PRESETS: readonly PlatformPreset[] = loaded;

/** Fills PRESETS from the catalogue file, at the worker's start. */
export async function loadPresets(readCatalogue: () => Promise<unknown>): Promise<void> {
  const presets = await readCatalogue();
  if (!Array.isArray(presets) || presets.length === 0) throw new Error('catalogue.json lists no platforms');
  loaded.splice(0, loaded.length, ...(presets as PlatformPreset[]));
}
