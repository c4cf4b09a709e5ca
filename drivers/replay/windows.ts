/**
 * Windowing of a sampled time series (audio, IMU) into Windows of `windowMs` every `hopMs`.
 *
 * Window j covers the time range [t0 + j·hop, t0 + j·hop + window), t0 = time of the first sample.
 * Every window that fits before the end of the series is emitted; after the last full window,
 * one final partial window (to the end) is emitted only if it spans at least half a window.
 * A window with no samples in it (a gap in an IMU recording) is skipped.
 */

export interface TimeAxis {
  /** Number of samples. */
  count: number;
  /** Time of sample i, ms, non-decreasing. */
  at(i: number): number;
  /** End of the series, ms: the time one sample period after the last sample. */
  endMs: number;
}

export interface WindowSpan {
  /** First sample index. */
  start: number;
  /** One past the last sample index. */
  end: number;
  partial: boolean;
}

/** Tolerance for float time comparisons, ms (hop 0.1 s · j is not exact in binary). */
const EPS_MS = 1e-6;

/** The first index whose time is >= `ms` (count if none). */
export function lowerBound(axis: TimeAxis, ms: number): number {
  let lo = 0;
  let hi = axis.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (axis.at(mid) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function planWindows(axis: TimeAxis, windowMs: number, hopMs: number): WindowSpan[] {
  if (!(windowMs > 0 && hopMs > 0)) {
    throw new RangeError(`window and hop must be positive; got window ${windowMs} ms, hop ${hopMs} ms`);
  }
  const spans: WindowSpan[] = [];
  if (axis.count === 0) return spans;
  const t0 = axis.at(0);
  for (let j = 0; ; j++) {
    const from = t0 + j * hopMs;
    const to = from + windowMs;
    const full = to <= axis.endMs + EPS_MS;
    if (!full && axis.endMs - from < windowMs / 2 - EPS_MS) break;
    const start = lowerBound(axis, from - EPS_MS);
    const end = full ? lowerBound(axis, to - EPS_MS) : axis.count;
    if (end > start) spans.push({ start, end, partial: !full });
    if (!full) break;
  }
  return spans;
}
