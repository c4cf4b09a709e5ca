/**
 * Cuts interleaved S16_LE PCM blocks into Windows of `windowFrames` every `hopFrames`, with the
 * same window rule as the replay driver (drivers/replay/windows.ts: window j starts at j · hop)
 * and the same sample scaling as ImageBind's loader (int16 / 32768; preprocess-conventions.md §2).
 *
 * Timestamps are sample-accurate: each block arrives with the capture clock's current anchor
 * (drivers/process/capture-clock.ts: sample `unit` was captured at `ns`), and a window starting at
 * sample s gets anchor.ns + (s − anchor.unit) / rate from the last anchor at or before s, in
 * integer nanoseconds. A live stream's final partial window is not emitted.
 * `reset()` starts a new stream (a new child): windows and sample numbering start again.
 */
import type { Anchor } from '../process/capture-clock.js';

export interface PcmWindow {
  /** Capture time of the window's first sample, ns since the epoch. */
  t: bigint;
  /** Channel-major samples in [−1, 1): channel c at [c · n, (c + 1) · n). */
  data: Float32Array;
}

export interface WindowerOptions {
  channels: number;
  rate: number;
  windowFrames: number;
  hopFrames: number;
}

export class PcmWindower {
  readonly #o: WindowerOptions;
  #buf: Int16Array;
  /** Frames held, starting at absolute frame #bufStart. */
  #len = 0;
  #bufStart = 0;
  /** Absolute first frame of the next window. */
  #next = 0;
  #anchors: Anchor[] = [];

  constructor(options: WindowerOptions) {
    const { channels, rate, windowFrames, hopFrames } = options;
    if (![channels, windowFrames, hopFrames].every((n) => Number.isInteger(n) && n > 0) || !(rate > 0)) {
      throw new RangeError(
        `windower needs positive whole channels, windowFrames, hopFrames and a positive rate; got ${channels}, ${windowFrames}, ${hopFrames}, ${rate}`,
      );
    }
    this.#o = options;
    this.#buf = new Int16Array((windowFrames + hopFrames) * channels);
  }

  reset(): void {
    this.#len = 0;
    this.#bufStart = 0;
    this.#next = 0;
    this.#anchors = [];
  }

  /**
   * Adds the next block of interleaved samples; `anchor` dates the timeline it is on (its unit
   * counts sample frames from the start of the stream). Returns the windows the block completes.
   */
  push(block: Int16Array, anchor: Anchor): PcmWindow[] {
    const { channels, windowFrames, hopFrames } = this.#o;
    const frames = Math.floor(block.length / channels);
    if (this.#anchors.at(-1) !== anchor) this.#anchors.push(anchor);
    this.#reserve(frames);
    this.#buf.set(block.subarray(0, frames * channels), this.#len * channels);
    this.#len += frames;
    const out: PcmWindow[] = [];
    while (this.#next + windowFrames <= this.#bufStart + this.#len) {
      out.push(this.#window(this.#next));
      this.#next += hopFrames;
    }
    return out;
  }

  /** Makes room for `frames` more, first by dropping frames no window needs, then by growing. */
  #reserve(frames: number): void {
    const { channels } = this.#o;
    if ((this.#len + frames) * channels <= this.#buf.length) return;
    const drop = Math.min(this.#next, this.#bufStart + this.#len) - this.#bufStart;
    if (drop > 0) {
      this.#buf.copyWithin(0, drop * channels, this.#len * channels);
      this.#len -= drop;
      this.#bufStart += drop;
      // Keep the last anchor at or before the new start: it dates the next window.
      const keep = this.#anchors.findLastIndex((a) => a.unit <= this.#bufStart);
      if (keep > 0) this.#anchors.splice(0, keep);
    }
    if ((this.#len + frames) * channels > this.#buf.length) {
      const grown = new Int16Array(Math.max(this.#buf.length * 2, (this.#len + frames) * channels));
      grown.set(this.#buf.subarray(0, this.#len * channels));
      this.#buf = grown;
    }
  }

  #timeOf(frame: number): bigint {
    let anchor = this.#anchors[0];
    for (const a of this.#anchors) {
      if (a.unit > frame) break;
      anchor = a;
    }
    return anchor.ns + BigInt(Math.round(((frame - anchor.unit) * 1e9) / this.#o.rate));
  }

  #window(start: number): PcmWindow {
    const { channels, windowFrames: n } = this.#o;
    const data = new Float32Array(n * channels);
    const base = (start - this.#bufStart) * channels;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < channels; c++) data[c * n + i] = this.#buf[base + i * channels + c] / 32768;
    }
    return { t: this.#timeOf(start), data };
  }
}
