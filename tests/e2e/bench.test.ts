import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('npm run bench', () => {
  it('runs on a small case and writes every figure it prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-watch-bench-'));
    try {
      const out = join(dir, 'bench.json');
      const printed = execFileSync(join(root, 'node_modules/.bin/tsx'), ['scripts/bench.ts', '--quick', '--no-build', '--out', out], {
        cwd: root,
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(printed).toContain('popup: open → first screen of rows');
      expect(printed).toContain('service worker: cold start → badge set');
      expect(printed).toContain('wake-ups over 30 simulated days');
      const figures = JSON.parse(readFileSync(out, 'utf8'));
      const figure = { median: expect.any(Number), min: expect.any(Number), max: expect.any(Number), runs: 2 };
      expect(figures.popup['10']).toMatchObject({
        floor: figure,
        emptyScript: figure,
        awake: figure,
        asleep: figure,
        awakeRatio: expect.any(Number),
        asleepRatio: expect.any(Number),
        emptyScriptRatio: expect.any(Number),
      });
      expect(figures.worker['10']).toMatchObject({ worker: figure, floor: figure, ratio: expect.any(Number) });
      expect(figures.worker['10'].floor.median).toBeGreaterThan(0);
      expect(figures.wakeUps).toMatchObject({ days: 30, wakeUps: expect.any(Number), bound: expect.any(Number) });
      expect(figures.wakeUps.wakeUps).toBeGreaterThanOrEqual(30);
      expect(figures.pure).toMatchObject({ connections: 1000, median: expect.any(Number) });
      expect(figures.sizes.background.gzip).toBeGreaterThan(1000);
      expect(figures.sizes.popup.gzip).toBeGreaterThan(1000);
      expect(figures.workerHeapBytes).toBeGreaterThan(0);
      expect(figures.targets).toHaveLength(7);
      expect(printed).toContain('token holder: GET /v1/grants/:id/access-token over 1000 grants');
      expect(figures.holder.pglite).toMatchObject({
        floor: { perSecond: expect.any(Number), failures: 0 },
        cached: { perSecond: expect.any(Number), p50Ms: expect.any(Number), p99Ms: expect.any(Number), failures: 0 },
        refresh: { perSecond: expect.any(Number), failures: 0 },
      });
      // Every request of the refresh case asked the platform: it measured refreshes, not cached answers.
      expect(figures.holder.pglite.refresh.platformCalls).toBe(figures.holder.pglite.refresh.answered);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
