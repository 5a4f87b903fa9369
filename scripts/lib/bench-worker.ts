/**
 * The service worker from a cold start to the badge set, beside its floor: a worker that does
 * the least a badge needs, reading one stored record and setting the badge.
 *
 * The floor is no part of the build or of any package: the benchmark writes it into its own copy
 * of the built extension (`makeFloorExtension`), whose manifest names that worker instead of the
 * extension's and has no key (so it is another extension, beside the real one in the same
 * browser). Its database is filled with the same connections. Both are timed the same way: the
 * worker is stopped, the badge cleared, and a page of the extension sends one message that wakes
 * the worker; the time runs until the answer, given once the badge is set.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Connection } from '../../utils/connection';
import { stopWorkers, letWorkerSettle, type ExtensionSession } from './chromium';
import { stat, type Stat } from './bench-stat';

const FLOOR_WORKER = 'bench-floor-worker.js';

/** Plain JavaScript, loaded as it is: one listener, one read, one badge. */
const FLOOR_WORKER_SOURCE = `chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const open = indexedDB.open('token-watch');
  open.onsuccess = () => {
    const read = open.result.transaction('connections').objectStore('connections').openCursor();
    read.onsuccess = () => {
      const record = read.result ? read.result.value : null;
      open.result.close();
      chrome.action.setBadgeText({ text: record ? String(record.warningDays.length) : '' }).then(() => sendResponse({ ok: true }));
    };
  };
  return true;
});
`;

/** A copy of the build in `dir` whose service worker is the floor's. */
export function makeFloorExtension(buildDir: string, dir: string): void {
  cpSync(buildDir, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  delete manifest.key;
  manifest.name = 'Token Watch benchmark floor';
  manifest.background = { service_worker: FLOOR_WORKER };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, FLOOR_WORKER), FLOOR_WORKER_SOURCE);
}

/** Lets the worker settle, stops it, clears the badge, then times one message from `page` until the badge is set. */
async function coldStarts(session: ExtensionSession, extensionId: string, page: Page, message: object, runs: number): Promise<Stat> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    await letWorkerSettle();
    await stopWorkers(session, extensionId);
    await page.evaluate(() => chrome.action.setBadgeText({ text: '' }));
    samples.push(
      await page.evaluate(async (m) => {
        const start = performance.now();
        const reply = (await chrome.runtime.sendMessage(m)) as { ok?: boolean } | undefined;
        if (!reply?.ok || !(await chrome.action.getBadgeText({}))) throw new Error('the badge was not set');
        return performance.now() - start;
      }, message),
    );
  }
  return stat(samples);
}

/**
 * The extension's own worker: a change (the morning hour saved) wakes it; it answers once the badge
 * shows the stored list (painted from the list's summary at its start). Notifying and planning the
 * next alarm, with every connection read, follow the answer.
 */
export async function measureWorker(session: ExtensionSession, runs: number): Promise<Stat> {
  const page = await session.openPopup();
  try {
    return await coldStarts(session, session.extensionId, page, { type: 'preferences/save', preferences: { morningHour: 9 } }, runs);
  } finally {
    await page.close();
  }
}

export interface FloorWorker {
  measure(runs: number): Promise<Stat>;
  /** Stores these connections in the floor's database, replacing what it held. */
  seed(connections: readonly Connection[]): Promise<void>;
  close(): Promise<void>;
}

/** Installs the floor extension (made by `makeFloorExtension`) in the session's browser. */
export async function installFloorWorker(session: ExtensionSession, dir: string): Promise<FloorWorker> {
  const extensionId = await session.browser.installExtension(dir);
  const page = await session.browser.newPage();
  await page.goto(`chrome-extension://${extensionId}/manifest.json`);
  return {
    async seed(connections) {
      await page.evaluate(
        (records) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('token-watch', 1);
            open.onupgradeneeded = () => open.result.createObjectStore('connections', { keyPath: 'id' });
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction('connections', 'readwrite');
              tx.objectStore('connections').clear();
              for (const record of records) tx.objectStore('connections').put(record);
              tx.oncomplete = () => (open.result.close(), resolve());
              tx.onerror = () => reject(tx.error);
            };
          }),
        connections as Connection[],
      );
    },
    measure: (runs) => coldStarts(session, extensionId, page, { type: 'bench/floor' }, runs),
    async close() {
      await page.close();
      await session.browser.uninstallExtension(extensionId).catch(() => undefined);
    },
  };
}
