/**
 * A small HTTP load generator for the benchmark: `clients` requests in flight at all times over
 * keep-alive connections, for a fixed time after a warm-up, each request to the next of `paths`
 * in turn. It runs in a process of its own (`applyLoadApart`), so the server under test has a
 * core to itself rather than sharing its event loop with the requests it answers.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';

export interface LoadPlan {
  origin: string;
  paths: string[];
  headers?: Record<string, string>;
  clients: number;
  warmUpMs: number;
  /** Warm up until every path has been asked once as well (to fill what the server remembers). */
  warmUpEveryPath?: boolean;
  durationMs: number;
}

export interface LoadResult {
  /** Requests started and answered within the measured time. */
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 200, and requests that failed, over the warm-up and the measured time. */
  failures: number;
  /** Every request answered, the warm-up included. */
  answered: number;
}

const percentile = (sorted: Float64Array, share: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]! : 0);
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export async function applyLoad({ origin, paths, headers = {}, clients, warmUpMs, warmUpEveryPath = false, durationMs }: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const { hostname, port } = new URL(origin);
  const warmUntil = performance.now() + warmUpMs;
  let measureFrom = Infinity;
  let end = Infinity;
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let answered = 0;
  const startMeasuringWhenWarm = (at: number) => {
    if (measureFrom !== Infinity || at < warmUntil || (warmUpEveryPath && next < paths.length)) return;
    measureFrom = at;
    end = at + durationMs;
  };

  const once = (path: string) =>
    new Promise<number>((resolve) => {
      const outgoing = request({ agent, hostname, port, path, headers }, (incoming) => {
        incoming.resume();
        incoming.on('end', () => resolve(incoming.statusCode ?? 0));
      });
      outgoing.on('error', () => resolve(0));
      outgoing.end();
    });

  async function client() {
    for (;;) {
      const at = performance.now();
      startMeasuringWhenWarm(at);
      if (at >= end) return;
      const path = paths[next++ % paths.length]!;
      const status = await once(path);
      const done = performance.now();
      answered += 1;
      if (status !== 200) failures += 1;
      else if (at >= measureFrom && done <= end) latencies.push(done - at);
    }
  }

  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    perSecond: Math.round(sorted.length / (durationMs / 1000)),
    p50Ms: round(percentile(sorted, 0.5), 2),
    p99Ms: round(percentile(sorted, 0.99), 2),
    failures,
    answered,
  };
}

/** The same, in a child process of this script's runtime (tsx's loader comes along in `execArgv`). */
export function applyLoadApart(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-process.ts', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result) => {
      resolve(result as LoadResult);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the load generator stopped (exit code ${code})`)));
    child.send(plan);
  });
}
