/**
 * Streaming windowing for IMU samples: Windows of `windowSamples` every `hopSamples`, built from
 * batches as they are read (the replay driver plans windows over a whole file instead,
 * drivers/replay/windows.ts; the rule is the same: window j starts at sample j·hop).
 *
 * A window is emitted only when it is full, and only from contiguous samples: after a gap (device
 * lost, FIFO overflow) the caller calls `reset()`, which discards the partial window and returns
 * how many samples that threw away, so no Window ever spans a hole.
 */
import { IMU_CHANNEL_COUNT } from './types.js';

export type WindowSink = (channelMajor: Float32Array, firstSampleMs: number) => void;

export class Windower {
  readonly windowSamples: number;
  readonly hopSamples: number;
  readonly #buf: Float32Array;
  readonly #times: Float64Array;
  #filled = 0;
  /** Samples still to skip before the next window starts (hop longer than the window). */
  #skip = 0;

  constructor(windowSamples: number, hopSamples: number) {
    if (
      !(
        Number.isInteger(windowSamples) &&
        windowSamples > 0 &&
        Number.isInteger(hopSamples) &&
        hopSamples > 0
      )
    )
      throw new RangeError(
        `window and hop must be positive whole sample counts; got ${windowSamples} and ${hopSamples}`,
      );
    this.windowSamples = windowSamples;
    this.hopSamples = hopSamples;
    this.#buf = new Float32Array(IMU_CHANNEL_COUNT * windowSamples);
    this.#times = new Float64Array(windowSamples);
  }

  /** Samples waiting for their window to fill. */
  get buffered(): number {
    return this.#filled;
  }

  /**
   * Adds `count` interleaved samples ([ax, ay, az, gx, gy, gz] each) with their capture times (ms)
   * and calls `emit` with every window that completes, channel-major (a fresh array each time).
   */
  push(data: Float32Array, times: Float64Array, count: number, emit: WindowSink): void {
    const w = this.windowSamples;
    for (let i = 0; i < count; i++) {
      if (this.#skip > 0) {
        this.#skip--;
        continue;
      }
      const n = this.#filled;
      for (let c = 0; c < IMU_CHANNEL_COUNT; c++) this.#buf[c * w + n] = data[i * IMU_CHANNEL_COUNT + c];
      this.#times[n] = times[i];
      this.#filled = n + 1;
      if (this.#filled === w) this.#complete(emit);
    }
  }

  #complete(emit: WindowSink): void {
    const w = this.windowSamples;
    const h = this.hopSamples;
    emit(this.#buf.slice(), this.#times[0]);
    if (h >= w) {
      this.#filled = 0;
      this.#skip = h - w;
      return;
    }
    for (let c = 0; c < IMU_CHANNEL_COUNT; c++) this.#buf.copyWithin(c * w, c * w + h, c * w + w);
    this.#times.copyWithin(0, h, w);
    this.#filled = w - h;
  }

  /** Drops the partial window (after a gap); returns the number of samples dropped. */
  reset(): number {
    const dropped = this.#filled;
    this.#filled = 0;
    this.#skip = 0;
    return dropped;
  }
}

/** Window and hop in seconds → whole samples at `rate` (at least one sample each). */
export function windowSizes(windowS: number, hopS: number, rate: number): { window: number; hop: number } {
  return { window: Math.max(1, Math.round(windowS * rate)), hop: Math.max(1, Math.round(hopS * rate)) };
}
