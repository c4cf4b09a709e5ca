/**
 * The sampling clock and FIFO of an emulated InvenSense chip (used by mpu6050/emulator.ts and
 * icm20948/emulator.ts): while sampling is on, one sample is queued per output period of emulated
 * time; a full FIFO drops its oldest bytes and raises the overflow flag, as the chips do in their
 * default mode [MPU6050-RM §4.31 FIFO_R_W: "the oldest data will be lost"].
 *
 * Sample k carries a pattern tests can follow: ax = k mod 1000 counts, az = +1 g, gx = −(k mod 1000)
 * counts, the rest 0 (see `patternSample`).
 */
import { encodeFifoSample, FIFO_SAMPLE_BYTES } from './invensense.js';

export interface EmulatorClock {
  now(): number;
}

/** Raw counts of sample k at accelerometer sensitivity `lsbPerG`. */
export function patternSample(k: number, lsbPerG: number): number[] {
  const p = k % 1000;
  return [p, 0, lsbPerG, -p, 0, 0];
}

/** More than this much emulated time at once is skipped (the FIFO would have overflowed anyway). */
const MAX_CATCH_UP_MS = 10_000;

export class FifoModel {
  readonly capacity: number;
  /** Samples produced so far (read, waiting, or lost to overflow). */
  generated = 0;
  /** Set when bytes were dropped; the chip's status register reads (and clears) it. */
  overflowed = false;
  /** Fault: the chip stops producing samples (a stalled sensor). */
  frozen = false;
  readonly #clock: EmulatorClock;
  readonly #sample: (k: number) => number[];
  #bytes: number[] = [];
  #periodMs = 0;
  #nextMs: number | undefined;

  constructor(capacity: number, clock: EmulatorClock, sample: (k: number) => number[]) {
    this.capacity = capacity;
    this.#clock = clock;
    this.#sample = sample;
  }

  get running(): boolean {
    return this.#nextMs !== undefined;
  }

  /** Starts (or re-times) sampling at `rateHz`; the first sample is one period from now. */
  start(rateHz: number): void {
    const period = 1000 / rateHz;
    if (this.#nextMs !== undefined && period === this.#periodMs) return;
    this.#periodMs = period;
    this.#nextMs = this.#clock.now() + period;
  }

  stop(): void {
    this.#nextMs = undefined;
  }

  /** Queues every sample due by now. */
  advance(): void {
    if (this.#nextMs === undefined || this.frozen) return;
    const now = this.#clock.now();
    if (now - this.#nextMs > MAX_CATCH_UP_MS) {
      const skipped = Math.floor((now - this.#nextMs) / this.#periodMs);
      this.generated += skipped;
      this.#nextMs += skipped * this.#periodMs;
      this.overflowed = true;
    }
    while (this.#nextMs <= now) {
      this.#push(encodeFifoSample(this.#sample(this.generated)));
      this.generated++;
      this.#nextMs += this.#periodMs;
    }
  }

  #push(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.#bytes.length >= this.capacity) {
        this.#bytes.shift();
        this.overflowed = true;
      }
      this.#bytes.push(b);
    }
  }

  get count(): number {
    return this.#bytes.length;
  }

  /** The next FIFO byte; 0xFF when empty (what the chips return then, ICM-20690 DS §12.75). */
  readByte(): number {
    return this.#bytes.shift() ?? 0xff;
  }

  clear(): void {
    this.#bytes = [];
  }
}

export { FIFO_SAMPLE_BYTES };
