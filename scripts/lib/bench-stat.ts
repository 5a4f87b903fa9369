/** A benchmark figure: the median of its runs, with min and max (milliseconds, to two decimals). */
export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export const round = (value: number) => Math.round(value * 100) / 100;

export function stat(samples: number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median: round(median), min: round(sorted[0]!), max: round(sorted.at(-1)!), runs: sorted.length };
}

export const ms = (s: Stat) => `${s.median} ms (${s.min}–${s.max})`;
