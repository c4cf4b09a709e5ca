/**
 * Summaries shared by the benchmarks (issue #12): every figure is reported as the median over
 * repeated runs with its min and max, and every comparison as the per-repeat ratio of two sides
 * measured side by side in the same run (so machine load hits both sides alike).
 */

export { cosine } from '../src/encoders/cosine.js';

export interface Stat {
  median: number;
  min: number;
  max: number;
  /** Observations summarised. */
  runs: number;
}

/** Median (mean of the middle two for an even count), min and max; NaN fields for no value. */
export function stat(values: readonly number[]): Stat {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

/** Per-repeat ratios a[i] / b[i] of paired measurements, summarised. */
export function ratio(a: readonly number[], b: readonly number[]): Stat {
  if (a.length !== b.length) throw new RangeError(`paired runs differ in count: ${a.length} vs ${b.length}`);
  return stat(a.map((x, i) => x / b[i]));
}

/** Nearest-rank quantile (p in (0, 1]) of an ascending array; 0 for an empty one. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** One value as a Stat of one run (a figure measured once, e.g. a file size). */
export function once(value: number): Stat {
  return stat([value]);
}

/** A Stat scaled by k (k > 0 keeps min ≤ max). */
export function scale(s: Stat, k: number): Stat {
  return { median: s.median * k, min: s.min * k, max: s.max * k, runs: s.runs };
}

/** Repeats `measure` `repeats` times per side, sides interleaved, so drift hits every side alike. */
export async function interleaved<K extends string>(
  repeats: number,
  sides: Readonly<Record<K, () => Promise<number>>>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(sides) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < repeats; r++) for (const k of keys) out[k].push(await sides[k]());
  return out;
}

/** "12.3 (11.9–12.8)": a Stat for a table cell, with `digits` decimals. */
export function cell(s: Stat | undefined, digits = 1, unit = ''): string {
  if (!s || s.runs === 0) return '—';
  const f = (x: number) => `${x.toFixed(digits)}${unit}`;
  return s.runs === 1 || s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
