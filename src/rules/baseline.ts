/**
 * A running background baseline for `score: zscore` rules (issue #9): raw cosine thresholds
 * drift across prompts and scenes, so a rule may instead ask how unusual this sample is for this
 * sensor. Mean and variance are exponentially weighted over capture time (half-life in seconds),
 * with equal weights for the first samples (weight max(time decay, 1/n), a Welford start), so
 * the estimate is usable after `warmup` samples. The engine stops updating it while its rule is
 * on or pending, so an event does not become the new normal.
 */
export interface BaselineOptions {
  /** Seconds of capture time after which a sample weighs half as much. */
  halfLife: number;
  /** Samples seen before z() gives a value. */
  warmup: number;
  /** Floor of the standard deviation (cosine units). */
  minStd: number;
}

export const DEFAULT_BASELINE: BaselineOptions = { halfLife: 600, warmup: 30, minStd: 0.02 };

export class Baseline {
  readonly #opts: BaselineOptions;
  #n = 0;
  #mean = 0;
  #var = 0;
  #lastT: bigint | undefined;

  constructor(opts: BaselineOptions = DEFAULT_BASELINE) {
    this.#opts = opts;
  }

  /** Standard deviations of `x` above the baseline, or undefined while warming up. */
  z(x: number): number | undefined {
    if (this.#n < this.#opts.warmup) return undefined;
    return (x - this.#mean) / Math.max(Math.sqrt(this.#var), this.#opts.minStd);
  }

  /** Adds a sample taken at capture time `t` (ns). */
  update(x: number, t: bigint): void {
    const dtS = this.#lastT === undefined ? 0 : Math.max(0, Number(t - this.#lastT) / 1e9);
    this.#lastT = this.#lastT === undefined || t > this.#lastT ? t : this.#lastT;
    this.#n++;
    const decay = 1 - 2 ** (-dtS / this.#opts.halfLife);
    const alpha = Math.max(decay, 1 / this.#n);
    const d = x - this.#mean;
    this.#mean += alpha * d;
    // West (1979) incremental weighted variance: var ← (1 − α)(var + α·d²).
    this.#var = (1 - alpha) * (this.#var + alpha * d * d);
  }

  stats(): { n: number; mean: number; std: number } {
    return { n: this.#n, mean: this.#mean, std: Math.sqrt(this.#var) };
  }
}
