/**
 * What the IMU driver keeps while one chip session is open: the poll schedule, capture timestamps
 * (timeline.ts), windowing (windower.ts), the rate check and the stall watch.
 */
import type { HealthTracker } from '../health.js';
import type { Clock } from '../replay/clock.js';
import { RateMonitor, SampleClock } from './timeline.js';
import type { ImuSession } from './types.js';
import { Windower, windowSizes } from './windower.js';

/** Per-session state: poll schedule, timestamps, windowing, stall watch. */
export class SessionReader {
  readonly windower: Windower;
  readonly clock: SampleClock;
  readonly rates: RateMonitor;
  readonly #stallMs: number;
  #lastSampleMs: number;
  #base: number;
  #tick = 0;

  constructor(
    readonly session: ImuSession,
    opts: { window: number; hop: number },
    private readonly host: Clock,
  ) {
    const sizes = windowSizes(opts.window, opts.hop, session.rate);
    this.windower = new Windower(sizes.window, sizes.hop);
    const periodMs = 1000 / session.rate;
    this.clock = new SampleClock(session.rate, Math.max(4 * periodMs, 3 * session.pollMs, 50));
    this.rates = new RateMonitor(session.rate);
    // No sample for 20 periods (at least 2 s) means the device stopped talking.
    this.#stallMs = Math.max(2000, 20 * periodMs, 4 * session.pollMs);
    this.#base = host.now();
    this.#lastSampleMs = this.#base;
  }

  /** Sleeps until the next poll; returns how many polls were missed (register-polled chips). */
  async wait(signal: AbortSignal): Promise<number> {
    const poll = this.session.pollMs;
    if (this.session.buffered) {
      await this.host.sleep(poll, signal);
      return 0;
    }
    this.#tick++;
    let missed = 0;
    const lag = this.host.now() - (this.#base + this.#tick * poll);
    if (lag > poll) {
      missed = Math.floor(lag / poll);
      this.#tick += missed;
    }
    await this.host.sleep(Math.max(0, this.#base + this.#tick * poll - this.host.now()), signal);
    return missed;
  }

  /** Samples were lost before the next batch: its time is anchored afresh. */
  restart(): void {
    this.clock.reset();
    this.rates.reset();
  }

  /** Capture times of `count` samples read at `now` (see timeline.ts). */
  stamp(count: number, now: number): Float64Array {
    this.#lastSampleMs = now;
    return this.clock.stamp(count, now);
  }

  checkStall(now: number, health: HealthTracker): void {
    if (now - this.#lastSampleMs <= this.#stallMs) return;
    health.count('stalls');
    const err = new Error(
      `ETIMEDOUT: no sample from ${this.session.identity} for ${((now - this.#lastSampleMs) / 1000).toFixed(1)} s`,
    ) as Error & { code: string };
    err.code = 'ETIMEDOUT';
    throw err;
  }
}
