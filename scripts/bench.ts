/**
 * npm run bench [-- --quick] [-- --no-build] [-- --holder-only] [-- --out FILE]
 *
 * Builds the production extension and measures, in one Chromium run: the popup
 * from opening to its list rendered (10, 100, 1,000 connections) beside a static
 * page with the same rows and styles; the service worker from a cold start to the
 * badge set (10 and 1,000); the pure badge and next-alarm computation for 10,000
 * connections; the built sizes; the worker's JS heap. Medians of at least five
 * runs with min and max. Then the token holder (scripts/lib/bench-holder.ts):
 * access-token requests per second and p50/p99 over 1,000 grants, cached and
 * forced to refresh, with PGlite and PostgreSQL, beside a no-op node:http
 * handler. A table on stdout, the same figures as JSON. `--holder-only` skips
 * the extension (and its build) and measures the holder alone.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { badgeModel, nextExpiryAfter } from '../utils/watch/badge';
import { nextLocalMidnight } from '../utils/expiry/calendar';
import { findPreset } from '../utils/catalogue/presets';
import { nextNoticeAmong } from '../utils/notices/planner';
import { nextWakeUp, refreshDueAt } from '../utils/expiry/schedule';
import { benchConnections, benchDocument } from './lib/bench-data';
import { benchHolder } from './lib/bench-holder';
import { CHROME_BUILD_DIR, importThroughPopup, launchWithExtension } from './lib/chromium';
import { builtSizes, SIZE_BUDGETS } from './lib/sizes';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'holder-only': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const QUICK = values.quick;
const RUNS = QUICK ? 2 : 7;
const POPUP_COUNTS = QUICK ? [10] : [10, 100, 1000];
const WORKER_COUNTS = QUICK ? [10] : [10, 1000];
const PURE_COUNT = QUICK ? 1000 : 10_000;
const TIME_ZONE = 'Europe/Berlin';
const LIST_RENDERED = 'token-watch:list-rendered';

interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

function stat(samples: number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median: round(median), min: round(sorted[0]!), max: round(sorted.at(-1)!), runs: sorted.length };
}
const round = (value: number) => Math.round(value * 100) / 100;

function sizes() {
  const result: Record<string, { raw: number; gzip?: number }> = { ...builtSizes(CHROME_BUILD_DIR) };
  if (!QUICK) {
    execFileSync('npm', ['run', 'zip', '--silent'], { cwd: root, stdio: 'ignore' });
    for (const name of ['chrome', 'firefox', 'sources']) {
      const file = join(root, '.output', `token-watch-${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}-${name}.zip`);
      result[`${name}.zip`] = { raw: statSync(file).size };
    }
    // The zip step rebuilt the store variant; the measurements below need the development build back.
    execFileSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, stdio: 'ignore' });
  }
  return result;
}

function pureFunctions() {
  const now = Date.parse('2026-11-23T10:00:00+01:00');
  const connections = benchConnections(PURE_COUNT, now);
  const options = { timeZone: TIME_ZONE, morningHour: 9 };
  const samples: number[] = [];
  for (let run = 0; run < Math.max(RUNS, 20); run++) {
    const start = performance.now();
    badgeModel(connections, now, TIME_ZONE);
    const refreshes = connections.map((connection) => refreshDueAt(connection, findPreset(connection.platformId)?.grantRule));
    nextWakeUp(now, [nextLocalMidnight(now, TIME_ZONE), nextExpiryAfter(connections, now), nextNoticeAmong(connections, now, options), ...refreshes]);
    samples.push(performance.now() - start);
  }
  // The first runs include compiling the code; the steady state is what the worker sees on every change.
  return stat(samples.slice(5));
}

async function benchExtension() {
  if (!values['no-build']) execFileSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, stdio: 'ignore' });
  const built = sizes();
  const pure = pureFunctions();

  // A copy of the build with static "floor" pages beside the popup: same rows, same styles, no script.
  const extensionDir = mkdtempSync(join(tmpdir(), 'token-watch-bench-'));
  cpSync(CHROME_BUILD_DIR, extensionDir, { recursive: true });
  const popup: Record<string, { popup: Stat; floor: Stat; ratio: number }> = {};
  const worker: Record<string, Stat> = {};
  let heap = 0;
  const session = await launchWithExtension({ extensionDir, lang: 'en', timeZone: TIME_ZONE, siteAccess: [] });
  try {
    let seeded = 0;
    const seedTo = async (count: number) => {
      const now = Date.now();
      const document = benchDocument(count, now);
      document.connections = document.connections.slice(seeded);
      for (const [index, entry] of document.connections.entries()) entry.label = `Mandant ${10_000 + seeded + index}`;
      if (document.connections.length) await importThroughPopup(session, document);
      seeded = count;
    };
    for (const count of [...new Set([...POPUP_COUNTS, ...WORKER_COUNTS])].sort((a, b) => a - b)) {
      await seedTo(count);
      if (POPUP_COUNTS.includes(count)) {
        const page = await session.browser.newPage();
        await page.setViewport({ width: 380, height: 600 });
        const url = `chrome-extension://${session.extensionId}/popup.html`;
        const measured: number[] = [];
        let html = '';
        for (let run = 0; run < RUNS; run++) {
          await page.goto(url);
          await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, {}, LIST_RENDERED);
          measured.push(await page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, LIST_RENDERED));
          html = await page.evaluate(() => document.documentElement.outerHTML);
        }
        const floorName = `bench-floor-${count}.html`;
        writeFileSync(join(extensionDir, floorName), `<!DOCTYPE html>${html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<link rel="modulepreload"[^>]*>/g, '')}`);
        const floor: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          await page.goto(`chrome-extension://${session.extensionId}/${floorName}`);
          floor.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
        }
        await page.close();
        const popupStat = stat(measured);
        const floorStat = stat(floor);
        popup[count] = { popup: popupStat, floor: floorStat, ratio: round(popupStat.median / floorStat.median) };
      }
      if (WORKER_COUNTS.includes(count)) {
        const page = await session.openPopup();
        const samples: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          await (await session.worker()).close();
          await page.evaluate(() => chrome.action.setBadgeText({ text: '' }));
          // A change wakes the worker: it answers once the badge is painted and the next alarm planned.
          const elapsed = await page.evaluate(async () => {
            const start = performance.now();
            const reply = await chrome.runtime.sendMessage({ type: 'preferences/save', preferences: { morningHour: 9 } });
            if (!reply?.ok || !(await chrome.action.getBadgeText({}))) throw new Error('the badge was not set');
            return performance.now() - start;
          });
          samples.push(elapsed);
        }
        worker[count] = stat(samples);
        if (count === Math.max(...WORKER_COUNTS)) {
          const sw = await session.worker();
          const usage = (await sw.client.send('Runtime.getHeapUsage')) as { usedSize: number };
          heap = usage.usedSize;
        }
        await page.close();
      }
    }
  } finally {
    await session.close();
    rmSync(extensionDir, { recursive: true, force: true });
  }

  const biggest = popup[Math.max(...POPUP_COUNTS)]!;
  const targets = [
    { target: `popup at ${Math.max(...POPUP_COUNTS)} connections within 1.5x of its static floor`, value: `${biggest.ratio}x`, met: biggest.ratio <= 1.5 },
    { target: `badge and next-alarm computation for ${PURE_COUNT} connections under 5 ms`, value: `${pure.median} ms`, met: pure.median < 5 },
    { target: 'popup JavaScript within 15 KB gzip', value: `${(built.popup!.gzip! / 1024).toFixed(1)} KB`, met: built.popup!.gzip! <= SIZE_BUDGETS.popup },
    { target: `background JavaScript within ${SIZE_BUDGETS.background / 1024} KB gzip`, value: `${(built.background!.gzip! / 1024).toFixed(1)} KB`, met: built.background!.gzip! <= SIZE_BUDGETS.background },
  ];
  const results = { quick: QUICK, runs: RUNS, popup, worker, pure: { connections: PURE_COUNT, ...pure }, sizes: built, workerHeapBytes: heap, targets };

  const ms = (s: Stat) => `${s.median} ms (${s.min}–${s.max})`;
  const lines = ['', `Token Watch benchmark (Chromium, medians of ${RUNS} runs, min–max)`, ''];
  lines.push('popup: open → list rendered     popup                   static floor            ratio');
  for (const [count, row] of Object.entries(popup)) lines.push(`  ${count.padStart(5)} connections          ${ms(row.popup).padEnd(24)}${ms(row.floor).padEnd(24)}${row.ratio}x`);
  lines.push('', 'service worker: cold start → badge set');
  for (const [count, row] of Object.entries(worker)) lines.push(`  ${count.padStart(5)} connections          ${ms(row)}`);
  lines.push('', `pure: badge + next alarm, ${PURE_COUNT} connections   ${ms(pure)}`, '', 'sizes (bytes)                    raw        gzip');
  for (const [name, entry] of Object.entries(built)) lines.push(`  ${name.padEnd(28)}${String(entry.raw).padStart(8)}  ${entry.gzip === undefined ? '' : String(entry.gzip).padStart(10)}`);
  lines.push('', `service worker JS heap after ${Math.max(...WORKER_COUNTS)} connections: ${(heap / 1024 / 1024).toFixed(2)} MB`, '', 'targets');
  for (const { target, value, met } of targets) lines.push(`  ${met ? 'met    ' : 'NOT MET'}  ${target}: ${value}`);
  console.log(lines.join('\n'));
  return results;
}

async function main() {
  const extension = values['holder-only'] ? {} : await benchExtension();
  const results = { quick: QUICK, ...extension, holder: await benchHolder({ quick: QUICK }) };
  const out = resolve(values.out ?? join(root, '.output', values['holder-only'] ? 'bench-holder.json' : 'bench.json'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nfigures written to ${out}`);
}

await main();
