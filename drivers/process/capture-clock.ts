/**
 * Capture timestamps for a stream of equally spaced units (video frames, blocks of audio samples)
 * whose only timing signal is when each unit arrives on the pipe.
 *
 * Model: unit n started at anchor + (n − anchorUnit) · unitMs. A unit cannot have started later
 * than its arrival minus its own span (spanMs: 0 for a frame, which is an instant; the block
 * length for audio, whose last sample was captured before the block could be written):
 * - the first unit of a run anchors the timeline at that latest possible start;
 * - a unit that arrives sooner than the timeline allows re-anchors it to its own latest start
 *   (the anchor tracks the smallest capture-to-arrival latency seen);
 * - a unit that arrives more than `toleranceMs` later than the timeline says means units were lost
 *   or the device paused: the timeline is re-anchored and `onResync` counts it.
 * Between re-anchors, times are exact multiples of unitMs apart: for audio, first-sample time
 * plus sample count / rate (sample-accurate). Times are strictly increasing across runs.
 *
 * Error: every time is late by the smallest capture-to-pipe latency seen (unknown without device
 * timestamps; for ffmpeg on V4L2 typically one to a few frame periods), plus the device clock's
 * drift against the host clock until a re-anchor (crystal tolerance, tens of ppm).
 */
import { msToNs } from '../replay/clock.js';

export interface CaptureClockOptions {
  /** Spacing of units, ms (1000 / fps, or samples per block · 1000 / rate). */
  unitMs: number;
  /** Capture span of one unit, ms: 0 for a frame, unitMs for an audio block. */
  spanMs: number;
  /** How late a unit may arrive against the timeline before it is re-anchored, ms. */
  toleranceMs: number;
  onResync?: () => void;
}

export class CaptureClock {
  readonly #o: CaptureClockOptions;
  #anchorMs: number | undefined;
  #anchorUnit = 0;
  #unit = 0;
  #lastNs = -1n;

  constructor(options: CaptureClockOptions) {
    if (!(options.unitMs > 0 && options.spanMs >= 0 && options.toleranceMs > 0)) {
      throw new RangeError(
        `capture clock needs unitMs > 0, spanMs >= 0, toleranceMs > 0; got ${options.unitMs}, ${options.spanMs}, ${options.toleranceMs}`,
      );
    }
    this.#o = options;
  }

  /** A new run of the child: unit numbering starts again and the next unit anchors the timeline. */
  reset(): void {
    this.#anchorMs = undefined;
    this.#unit = 0;
  }

  /** Capture time (ns since the epoch) of the next unit, which finished arriving at `arrivalMs`. */
  stamp(arrivalMs: number): bigint {
    const latest = arrivalMs - this.#o.spanMs;
    const anchor = this.#anchorMs;
    const predicted =
      anchor === undefined ? undefined : anchor + (this.#unit - this.#anchorUnit) * this.#o.unitMs;
    let t: number;
    if (predicted !== undefined && predicted <= latest && latest - predicted <= this.#o.toleranceMs) {
      t = predicted;
    } else {
      if (predicted !== undefined && predicted < latest) this.#o.onResync?.();
      t = latest;
      this.#anchorMs = latest;
      this.#anchorUnit = this.#unit;
    }
    this.#unit++;
    let ns = msToNs(t);
    if (ns <= this.#lastNs) ns = this.#lastNs + 1n;
    this.#lastNs = ns;
    return ns;
  }
}
