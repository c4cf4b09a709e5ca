/**
 * Capture timestamps for IMU samples. A FIFO or a serial stream hands over several samples per
 * read, all captured before the read; the host only knows when it read them. The samples are
 * evenly spaced at the output data rate, so:
 * - the first batch after (re)opening is anchored so that its last sample is "now";
 * - later batches continue the sequence (previous last + 1/rate), which removes the jitter of the
 *   host's read times;
 * - if the continued sequence disagrees with the host clock by more than `toleranceMs` (the device
 *   clock drifted, the host was suspended, a configured rate is wrong), it is re-anchored on
 *   "now" and the resync is counted.
 */

export class SampleClock {
  readonly periodMs: number;
  readonly toleranceMs: number;
  #next: number | undefined;
  #resyncs = 0;

  constructor(rate: number, toleranceMs: number) {
    if (!(rate > 0)) throw new RangeError(`sample rate must be positive, got ${rate}`);
    this.periodMs = 1000 / rate;
    this.toleranceMs = toleranceMs;
  }

  get resyncs(): number {
    return this.#resyncs;
  }

  /** Times (ms since the epoch) of `count` samples that were all available at `nowMs`. */
  stamp(count: number, nowMs: number): Float64Array {
    const times = new Float64Array(count);
    if (count === 0) return times;
    const anchored = nowMs - (count - 1) * this.periodMs;
    let first = this.#next ?? anchored;
    if (this.#next !== undefined && Math.abs(first - anchored) > this.toleranceMs) {
      first = anchored;
      this.#resyncs++;
    }
    for (let i = 0; i < count; i++) times[i] = first + i * this.periodMs;
    this.#next = first + count * this.periodMs;
    return times;
  }

  /** After a gap: the next batch is anchored afresh. */
  reset(): void {
    this.#next = undefined;
  }
}

/**
 * Compares the samples actually received with the configured rate over a span of host time, so a
 * device sending at another rate (a WitMotion board set to 100 Hz with `rate: 10` in the config)
 * is reported instead of producing windows of the wrong length.
 */
export class RateMonitor {
  readonly #rate: number;
  readonly #spanMs: number;
  #startMs: number | undefined;
  #samples = 0;

  constructor(rate: number, spanMs = 10_000) {
    this.#rate = rate;
    this.#spanMs = spanMs;
  }

  /** Adds samples received at `nowMs`; returns the measured rate once per span when it is off by >20%. */
  observe(count: number, nowMs: number): number | undefined {
    if (this.#startMs === undefined) {
      this.#startMs = nowMs;
      return undefined; // the first batch holds samples from before the span began
    }
    this.#samples += count;
    const elapsed = nowMs - this.#startMs;
    if (elapsed < this.#spanMs) return undefined;
    const measured = (this.#samples * 1000) / elapsed;
    this.#startMs = nowMs;
    this.#samples = 0;
    const ratio = measured / this.#rate;
    return ratio < 0.8 || ratio > 1.25 ? measured : undefined;
  }

  reset(): void {
    this.#startMs = undefined;
    this.#samples = 0;
  }
}
