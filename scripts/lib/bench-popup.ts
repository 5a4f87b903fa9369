/**
 * The popup's first screen of rows against its static floor, with the service worker awake and
 * with it stopped before each open (the usual case: the worker sleeps after half a minute idle).
 *
 * The popup marks the moment its list is on the page (`token-watch:list-rendered`, in a layout
 * effect: before the browser paints it). The floor is that first screen saved as a static page
 * (the same rows, the same stylesheet, no script) beside the popup in the benchmark's copy of the
 * build; its first screen is there when its HTML is parsed (`domContentLoadedEventEnd`).
 *
 * Beside them, the least any page that reads its rows must pay: the same static page with one
 * script that does nothing but set the mark, loaded as the popup loads its own (a module script
 * file: an extension page may run no inline script). Its ratio to the floor says how much of the
 * popup's is the script's arrival alone, before a single row is read.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { stopWorkers, letWorkerSettle, type ExtensionSession } from './chromium';
import { stat, type Stat } from './bench-stat';

export const LIST_RENDERED = 'token-watch:list-rendered';

export interface PopupFigures {
  floor: Stat;
  /** The floor's page with one empty module script that only sets the mark. */
  emptyScript: Stat;
  awake: Stat;
  asleep: Stat;
  /** Medians against the floor's median. */
  awakeRatio: number;
  asleepRatio: number;
  emptyScriptRatio: number;
}

/**
 * Wakes the worker and waits until it is idle again, as a worker that is awake when the user opens
 * the popup is. A change is answered once the badge shows it; the settling it asks for (notices,
 * the next alarm, with every connection read) and the one of the worker's start go on after the
 * answer, and are given a second. (Without the wait, the popup would be timed against a worker busy starting.)
 */
async function wakeWorker(page: Page): Promise<void> {
  await page.evaluate(() => chrome.runtime.sendMessage({ type: 'preferences/save', preferences: { morningHour: 9 } }));
  await letWorkerSettle();
}

/**
 * An empty page of the extension that every timed open starts from, as a popup opens in a page of
 * its own: none is timed with the unloading of the page before it (a popup with its whole list).
 */
const BLANK_PAGE = 'bench-blank.html';

async function openFromBlank(page: Page, url: string): Promise<void> {
  await page.goto(new URL(`/${BLANK_PAGE}`, url).href);
  await page.goto(url);
}

async function openAndMark(page: Page, url: string): Promise<number> {
  await openFromBlank(page, url);
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, { polling: 10 }, LIST_RENDERED);
  return page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, LIST_RENDERED);
}

/**
 * The popup's HTML at the moment its first screen is rendered: `performance.mark` is wrapped on
 * a page of its own, so that the snapshot is taken right after the mark.
 */
async function firstScreen(session: ExtensionSession, url: string): Promise<string> {
  const page = await session.browser.newPage();
  try {
    await page.setViewport({ width: 380, height: 600 });
    await page.evaluateOnNewDocument((mark) => {
      const original = performance.mark.bind(performance);
      performance.mark = (name: string, options?: PerformanceMarkOptions) => {
        const entry = original(name, options);
        if (name === mark) (globalThis as unknown as { firstScreen: string }).firstScreen = document.documentElement.outerHTML;
        return entry;
      };
    }, LIST_RENDERED);
    await page.goto(url);
    await page.waitForFunction(() => typeof (globalThis as unknown as { firstScreen?: string }).firstScreen === 'string');
    return page.evaluate(() => (globalThis as unknown as { firstScreen: string }).firstScreen);
  } finally {
    await page.close();
  }
}

export async function measurePopup(session: ExtensionSession, extensionDir: string, count: number, runs: number): Promise<PopupFigures> {
  const base = `chrome-extension://${session.extensionId}`;
  const html = await firstScreen(session, `${base}/popup.html`);
  const floorName = `bench-floor-${count}.html`;
  // Without the scripts, and without what the page asks for in advance for them (its modules, the catalogue).
  const floorHtml = `<!DOCTYPE html>${html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<link rel="(?:module)?preload"[^>]*>/g, '')}`;
  writeFileSync(join(extensionDir, floorName), floorHtml);
  // Where the popup's own script tag stands (in the head, as the build writes it).
  const emptyScriptName = `bench-empty-script-${count}.html`;
  writeFileSync(join(extensionDir, 'bench-empty-script.js'), `performance.mark(${JSON.stringify(LIST_RENDERED)});\n`);
  writeFileSync(join(extensionDir, emptyScriptName), floorHtml.replace('</head>', '<script type="module" src="/bench-empty-script.js"></script></head>'));
  writeFileSync(join(extensionDir, BLANK_PAGE), '<!DOCTYPE html><meta charset="utf-8"><title>Token Watch</title>\n');

  const page = await session.browser.newPage();
  await page.setViewport({ width: 380, height: 600 });
  try {
    const floor: number[] = [];
    const emptyScript: number[] = [];
    const awake: number[] = [];
    const asleep: number[] = [];
    // Interleaved, so that a burst of load on the machine falls on all four alike. The popup wakes
    // the worker after its first screen; the worker is then left to finish starting before the
    // next open, so that neither the floor nor the popup is timed against a worker busy starting.
    await page.goto(`${base}/${floorName}`);
    for (let run = 0; run < runs; run++) {
      console.error(`  run ${run + 1}`);
      await stopWorkers(session);
      asleep.push(await openAndMark(page, `${base}/popup.html`));

      await wakeWorker(page);
      awake.push(await openAndMark(page, `${base}/popup.html`));

      await wakeWorker(page);
      await openFromBlank(page, `${base}/${floorName}`);
      floor.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
      emptyScript.push(await openAndMark(page, `${base}/${emptyScriptName}`));
    }
    const [floorStat, emptyScriptStat, awakeStat, asleepStat] = [stat(floor), stat(emptyScript), stat(awake), stat(asleep)];
    const ratio = (popup: Stat) => Math.round((popup.median / floorStat.median) * 100) / 100;
    return {
      floor: floorStat,
      emptyScript: emptyScriptStat,
      awake: awakeStat,
      asleep: asleepStat,
      awakeRatio: ratio(awakeStat),
      asleepRatio: ratio(asleepStat),
      emptyScriptRatio: ratio(emptyScriptStat),
    };
  } finally {
    await page.close();
  }
}
