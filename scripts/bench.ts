/**
 * npm run bench [-- --quick] [-- --no-build] [-- --holder-only] [-- --out FILE]
 *
 * Builds the production extension and measures, in one Chromium run: the popup from opening to
 * its first screen of rows (10, 100, 1,000 connections), with the service worker awake and with it
 * stopped before each open, beside a static page with the same rows and styles (and that page with
 * one empty script, the least a page that reads its rows pays); the service worker
 * from a cold start to the badge set (10 and 1,000), beside a minimal worker that reads one record
 * and sets the badge; the pure badge and next-alarm computation for 10,000 connections; the
 * worker's wake-ups over 30 simulated days with 1,000 connections; the built sizes; the worker's
 * JS heap. Medians of at least seven runs with min and max; a table on stdout, the same figures as
 * JSON. Times are printed, never asserted: only the sizes are held to budgets.
 *
 * Then the token holder (scripts/lib/bench-holder.ts): access-token requests per second and p50/p99
 * over 1,000 grants, cached and forced to refresh, with PGlite and PostgreSQL, beside a no-op
 * node:http handler. `--holder-only` skips the extension (and its build) and measures the holder alone.
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
import { measurePopup, type PopupFigures } from './lib/bench-popup';
import { ms, round, stat, type Stat } from './lib/bench-stat';
import { simulateWakeUps } from './lib/bench-wakeups';
import { installFloorWorker, makeFloorExtension, measureWorker, type FloorWorker } from './lib/bench-worker';
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
const WAKE_UP_DAYS = 30;
const WAKE_UP_COUNT = QUICK ? 100 : 1000;
/** The size the background was asked to stay within; the budget in scripts/lib/sizes.ts says why it is larger. */
const BACKGROUND_TARGET = 25 * 1024;

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

/**
 * The popup and the worker, in one Chromium with the extension and, beside it, the worker's floor
 * (scripts/lib/bench-worker.ts). The same office grows from the smallest count to the largest.
 */
async function browserFigures() {
  // A copy of the build, so that the static floor pages can sit beside the popup.
  const extensionDir = mkdtempSync(join(tmpdir(), 'token-watch-bench-'));
  const floorDir = mkdtempSync(join(tmpdir(), 'token-watch-bench-floor-'));
  cpSync(CHROME_BUILD_DIR, extensionDir, { recursive: true });
  makeFloorExtension(CHROME_BUILD_DIR, floorDir);
  const popup: Record<string, PopupFigures> = {};
  const worker: Record<string, { worker: Stat; floor: Stat; ratio: number }> = {};
  let heap = 0;
  const session = await launchWithExtension({ extensionDir, lang: 'en', timeZone: TIME_ZONE, siteAccess: [] });
  let floorWorker: FloorWorker | undefined;
  try {
    floorWorker = await installFloorWorker(session, floorDir);
    const now = Date.now();
    let seeded = 0;
    const seedTo = async (count: number) => {
      const document = benchDocument(count, now);
      document.connections = document.connections.slice(seeded);
      if (document.connections.length) await importThroughPopup(session, document);
      seeded = count;
    };
    for (const count of [...new Set([...POPUP_COUNTS, ...WORKER_COUNTS])].sort((a, b) => a - b)) {
      await seedTo(count);
      // Progress on stderr, so that a failure says where it happened.
      console.error(`${count} connections: the popup`);
      if (POPUP_COUNTS.includes(count)) popup[count] = await measurePopup(session, extensionDir, count, RUNS);
      console.error(`${count} connections: the worker`);
      if (WORKER_COUNTS.includes(count)) {
        await floorWorker.seed(benchConnections(count, now));
        const measured = await measureWorker(session, RUNS);
        const floor = await floorWorker.measure(RUNS);
        worker[count] = { worker: measured, floor, ratio: round(measured.median / floor.median) };
        if (count === Math.max(...WORKER_COUNTS)) {
          const usage = (await (await session.worker()).client.send('Runtime.getHeapUsage')) as { usedSize: number };
          heap = usage.usedSize;
        }
      }
    }
  } finally {
    await floorWorker?.close().catch(() => undefined);
    await session.close();
    rmSync(extensionDir, { recursive: true, force: true });
    rmSync(floorDir, { recursive: true, force: true });
  }
  return { popup, worker, heap };
}

async function benchExtension() {
  if (!values['no-build']) execFileSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, stdio: 'ignore' });
  const built = sizes();
  const pure = pureFunctions();

  const wakeUps = await simulateWakeUps({ count: WAKE_UP_COUNT, days: WAKE_UP_DAYS, start: Date.parse('2026-11-23T10:00:00+01:00'), timeZone: TIME_ZONE });
  const { popup, worker, heap } = await browserFigures();

  const biggest = popup[Math.max(...POPUP_COUNTS)]!;
  const coldest = worker[Math.max(...WORKER_COUNTS)]!;
  const emptyScriptRatios = Object.values(popup)
    .map((row) => `${row.emptyScriptRatio}x`)
    .join(', ');
  const worstPopup = Math.max(...Object.values(popup).flatMap((row) => [row.awakeRatio, row.asleepRatio]));
  const targets = [
    {
      target: `popup's first screen within 1.5x of its static floor at ${POPUP_COUNTS.join(', ')} connections, worker awake and asleep`,
      value: `${worstPopup}x at worst (${biggest.awakeRatio}x / ${biggest.asleepRatio}x at ${Math.max(...POPUP_COUNTS)}); the floor's page with one empty script alone: ${emptyScriptRatios}`,
      met: worstPopup <= 1.5,
    },
    { target: `worker cold start to badge at ${Math.max(...WORKER_COUNTS)} connections within 2x of its floor`, value: `${coldest.ratio}x`, met: coldest.ratio <= 2 },
    { target: `wake-ups over ${WAKE_UP_DAYS} days with ${WAKE_UP_COUNT} connections: at most one a local day plus one per warning or renewal, none for nothing`, value: `${wakeUps.wakeUps} (bound ${wakeUps.bound}, ${wakeUps.reasons.other} for nothing)`, met: wakeUps.wakeUps <= wakeUps.bound && wakeUps.reasons.other === 0 },
    { target: `badge and next-alarm computation for ${PURE_COUNT} connections under 5 ms`, value: `${pure.median} ms`, met: pure.median < 5 },
    { target: 'popup JavaScript within 15 KB gzip', value: `${(built.popup!.gzip! / 1024).toFixed(1)} KB`, met: built.popup!.gzip! <= SIZE_BUDGETS.popup },
    { target: `background JavaScript within ${SIZE_BUDGETS.background / 1024} KB gzip (the budget \`npm test\` holds)`, value: `${(built.background!.gzip! / 1024).toFixed(1)} KB`, met: built.background!.gzip! <= SIZE_BUDGETS.background },
    { target: `background JavaScript within ${BACKGROUND_TARGET / 1024} KB gzip (issue 14's target)`, value: `${(built.background!.gzip! / 1024).toFixed(1)} KB`, met: built.background!.gzip! <= BACKGROUND_TARGET },
  ];
  const results = { quick: QUICK, runs: RUNS, popup, worker, wakeUps, pure: { connections: PURE_COUNT, ...pure }, sizes: built, workerHeapBytes: heap, targets };

  const lines = ['', `Token Watch benchmark (Chromium, medians of ${RUNS} runs, min–max)`, ''];
  lines.push('popup: open → first screen of rows   static floor            worker awake            ratio   worker stopped          ratio   floor + empty script    ratio');
  for (const [count, row] of Object.entries(popup)) {
    lines.push(
      `  ${count.padStart(5)} connections               ${ms(row.floor).padEnd(24)}${ms(row.awake).padEnd(24)}${`${row.awakeRatio}x`.padEnd(8)}${ms(row.asleep).padEnd(24)}${`${row.asleepRatio}x`.padEnd(8)}${ms(row.emptyScript).padEnd(24)}${row.emptyScriptRatio}x`,
    );
  }
  lines.push('', 'service worker: cold start → badge set   worker                  floor (reads one record)  ratio');
  for (const [count, row] of Object.entries(worker)) lines.push(`  ${count.padStart(5)} connections               ${ms(row.worker).padEnd(24)}${ms(row.floor).padEnd(26)}${row.ratio}x`);
  const reasons = Object.entries(wakeUps.reasons).map(([reason, count]) => `${reason} ${count}`).join(', ');
  lines.push('', `wake-ups over ${WAKE_UP_DAYS} simulated days, ${WAKE_UP_COUNT} connections: ${wakeUps.wakeUps} (${reasons}); bound ${wakeUps.bound} = ${wakeUps.localDays} local days + ${wakeUps.warnings} warnings + ${wakeUps.renewals} renewals`);
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
