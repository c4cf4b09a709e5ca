/**
 * Capture timestamps for a stream of equally spaced units — video frames, or audio sample frames
 * arriving in blocks — whose only timing signal is when they arrive on the pipe.
 *
 * Model: unit u was captured at anchor.ns + (u − anchor.unit) · unitMs. A chunk of units cannot
 * have started later than its arrival minus its own duration (`unitsHaveDuration`: audio, whose
 * last sample was captured before the block could be written; a video frame is an instant):
 * - the first chunk of a run anchors the timeline at that latest possible start;
 * - a chunk arriving more than `toleranceMs` later than the timeline says means units were lost or
 *   the device paused; a chunk arriving more than `toleranceMs` earlier means the device clock ran
 *   fast: either way the timeline is re-anchored and `onResync` counts it;
 * - with `tighten` (video), a chunk arriving sooner than the timeline allows also re-anchors it, so
 *   the anchor follows the smallest capture-to-arrival latency seen and no time lies in the future.
 * Between re-anchors times are exact: anchor + unit count / rate, computed in integer nanoseconds
 * from the anchor (no drift from summing rounded periods). For audio (no tighten) that is
 * first-sample time + sample count / rate: sample-accurate.
 *
 * Error: every time is late by the capture-to-pipe latency of the anchoring chunk (for video, the
 * smallest latency seen; unknown without device timestamps, for ffmpeg on V4L2 typically one to a
 * few frame periods), plus the device clock's drift against the host clock between re-anchors
 * (crystal tolerance, tens of ppm; bounded by toleranceMs).
 */
import { msToNs } from '../replay/clock.js';

export interface CaptureClockOptions {
  /** Spacing of units, ms (1000 / fps, or 1000 / sample rate). */
  unitMs: number;
  /** Units span time (audio samples) rather than being instants (video frames). */
  unitsHaveDuration: boolean;
  /** Re-anchor whenever a chunk arrives sooner than the timeline allows (video). */
  tighten: boolean;
  /** How far arrival may drift from the timeline before it is re-anchored, ms. */
  toleranceMs: number;
  onResync?: () => void;
}

/** A point of the timeline: unit number `unit` (counted from the run's start) was captured at `ns`. */
export interface Anchor {
  unit: number;
  ns: bigint;
}

export class CaptureClock {
  readonly #o: CaptureClockOptions;
  #anchor: Anchor | undefined;
  #unit = 0;
  #lastNs = -1n;

  constructor(options: CaptureClockOptions) {
    if (!(options.unitMs > 0 && options.toleranceMs > 0)) {
      throw new RangeError(
        `capture clock needs unitMs > 0 and toleranceMs > 0; got ${options.unitMs}, ${options.toleranceMs}`,
      );
    }
    this.#o = options;
  }

  /** A new run of the child: unit numbering starts again and the next chunk anchors the timeline. */
  reset(): void {
    this.#anchor = undefined;
    this.#unit = 0;
  }

  /** The current anchor (after the last stamp()). */
  get anchor(): Anchor | undefined {
    return this.#anchor;
  }

  /** Time of unit `unit` on the current timeline, ns. */
  timeOf(anchor: Anchor, unit: number): bigint {
    return anchor.ns + BigInt(Math.round((unit - anchor.unit) * this.#o.unitMs * 1e6));
  }

  /** Capture time (ns since the epoch) of the first of `count` units that finished arriving at `arrivalMs`. */
  stamp(arrivalMs: number, count = 1): bigint {
    const { unitMs, unitsHaveDuration, tighten, toleranceMs } = this.#o;
    const latest = msToNs(arrivalMs - (unitsHaveDuration ? count * unitMs : 0));
    const anchor = this.#anchor;
    let t = latest;
    if (anchor === undefined) {
      this.#anchor = { unit: this.#unit, ns: latest };
    } else {
      const predicted = this.timeOf(anchor, this.#unit);
      const lateMs = Number(latest - predicted) / 1e6;
      if (Math.abs(lateMs) > toleranceMs || (tighten && lateMs < 0)) {
        if (Math.abs(lateMs) > toleranceMs) this.#o.onResync?.();
        this.#anchor = { unit: this.#unit, ns: latest };
      } else {
        t = predicted;
      }
    }
    this.#unit += count;
    if (t <= this.#lastNs) t = this.#lastNs + 1n;
    this.#lastNs = t;
    return t;
  }
}
