/**
 * Threshold calibration (issue #9), the pure part: given a rule's score trace over a background
 * recording (nothing the rule should fire on), propose the `enter`/`exit` pair that meets a
 * false-alarm target, and measure recall on positive recordings.
 *
 * A false alarm is one `start` on the background: the trace is replayed through the rule's own
 * state machine (episode.ts: hysteresis, `for`, `cooldown`), so the count is exactly what the
 * running rule would do. Candidate `enter` values are the midpoints between the trace's distinct
 * values, searched from the top down (lowestMeeting); the proposal is the lowest `enter` whose
 * false alarms stay within the target (with hysteresis the count is not strictly monotone in
 * `enter`, so the search does not jump past a failing candidate to a lower one). `exit` is halfway
 * between the background median and `enter`: well above the background, so an episode ends when
 * the scene returns to it, and well below `enter`, so noise does not flap.
 */
import type { ScoreMode } from './config.js';
import { Episode } from './episode.js';

export const SECONDS_PER_DAY = 86_400;

/** One rule's values (threshold units) at capture times, over a recording of `durationS`. */
export interface Trace {
  t: bigint[];
  values: number[];
  durationS: number;
}

export interface Timing {
  /** Seconds, as in the rule config. */
  for: number;
  cooldown: number;
}

export interface Thresholds {
  enter: number;
  exit: number;
}

export interface Proposal extends Thresholds {
  /** False alarms per day at the proposal, measured on the background. */
  falseAlarmsPerDay: number;
  /** One false alarm in the whole background, per day: the finest rate the recording can show. */
  resolutionPerDay: number;
  median: number;
}

/** Number of `start`s the rule's state machine gives on a trace. */
export function countStarts(trace: Trace, th: Thresholds, timing: Timing): number {
  const episode = new Episode<null>({
    enter: th.enter,
    exit: th.exit,
    forNs: BigInt(Math.round(timing.for * 1e9)),
    cooldownNs: BigInt(Math.round(timing.cooldown * 1e9)),
    updateNs: 0n,
  });
  let starts = 0;
  for (let i = 0; i < trace.values.length; i++) {
    const v = trace.values[i];
    if (episode.step(trace.t[i], { value: v, score: 0, info: null })?.type === 'start') starts++;
  }
  return starts;
}

export function perDay(count: number, durationS: number): number {
  return durationS > 0 ? (count * SECONDS_PER_DAY) / durationS : Number.POSITIVE_INFINITY;
}

/** Where scores of this mode may lie (thresholds are clamped to it). */
function range(mode: ScoreMode): [number, number] {
  return mode === 'zscore' ? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] : [0, 1];
}

export function proposeThresholds(
  background: Trace,
  mode: ScoreMode,
  timing: Timing,
  falseAlarmsPerDay: number,
): Proposal {
  const sorted = [...background.values].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const [lo, hi] = range(mode);
  const exitFor = (enter: number) => Math.max(lo, median + (enter - median) / 2);
  const fa = (enter: number) =>
    perDay(countStarts(background, { enter, exit: exitFor(enter) }, timing), background.durationS);
  const top = Math.min(hi, topCandidate(sorted, mode));
  const below = candidates(sorted).filter((c) => c < top);
  const i = lowestMeeting(below.reverse(), (c) => fa(c) <= falseAlarmsPerDay);
  const enter = i < 0 ? top : below[i];
  return {
    enter,
    exit: Math.min(enter, exitFor(enter)),
    falseAlarmsPerDay: fa(enter),
    resolutionPerDay: perDay(1, background.durationS),
    median,
  };
}

/**
 * In candidates sorted from the highest down, the last index i such that `ok` holds for i and
 * (as far as probed) every candidate before it: exponential probing down from the top until `ok`
 * fails, then bisection between the last success and that failure. O(log n) evaluations, each
 * a replay of the trace; -1 when even the first candidate fails.
 */
function lowestMeeting(desc: readonly number[], ok: (c: number) => boolean): number {
  let good = -1;
  let bad = desc.length;
  for (let step = 1; good + step < desc.length; step *= 2) {
    if (!ok(desc[good + step])) {
      bad = good + step;
      break;
    }
    good += step;
  }
  if (bad === desc.length && good < desc.length - 1) {
    if (ok(desc[desc.length - 1])) return desc.length - 1;
    bad = desc.length - 1;
  }
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (ok(desc[mid])) good = mid;
    else bad = mid;
  }
  return good;
}

/** Above the background's maximum: the threshold with no false alarm on it. */
function topCandidate(sorted: readonly number[], mode: ScoreMode): number {
  const max = sorted.at(-1) ?? 0;
  const spread = max - (sorted[0] ?? max);
  return max + Math.max(spread * 0.01, mode === 'zscore' ? 0.1 : 1e-4);
}

/** Midpoints between adjacent distinct values, ascending. */
function candidates(sorted: readonly number[]): number[] {
  const out: number[] = [];
  let previous = sorted[0];
  for (const v of sorted) {
    if (v !== previous) out.push((previous + v) / 2);
    previous = v;
  }
  return out;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

export interface Recall {
  /** Positive recordings in which the rule started at least once. */
  detected: number;
  recordings: number;
  /** Share of all positive samples at or above `enter`. */
  sampleShare: number;
}

export function measureRecall(positives: readonly Trace[], th: Thresholds, timing: Timing): Recall {
  let detected = 0;
  let above = 0;
  let total = 0;
  for (const trace of positives) {
    if (countStarts(trace, th, timing) > 0) detected++;
    above += trace.values.filter((v) => v >= th.enter).length;
    total += trace.values.length;
  }
  return { detected, recordings: positives.length, sampleShare: total > 0 ? above / total : 0 };
}
