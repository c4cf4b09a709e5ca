/**
 * The playback schedule of a replay run: one continuous timeline over every file and loop pass, so
 * timing does not drift over a long loop (moved here from player.ts so that the MCAP player,
 * mcapPlay.ts, paces on the same schedule).
 *
 * - Real time (`realtime: true`, the default): `until(offsetMs)` sleeps until `offsetMs` after the
 *   current file's start. If the schedule has fallen behind by more than MAX_LAG_MS (host
 *   suspended, disk stalled), it is moved forward instead of bursting the backlog out (`resyncs`).
 * - As fast as the reader takes (`realtime: false`): `until()` waits only for `room()`, i.e. until
 *   the driver's queue can take another sample, so nothing is dropped and nothing waits on a
 *   clock (issue #7). Every YIELD_EVERY samples it also yields to the event loop, because a
 *   reader that keeps up would otherwise keep playback in microtasks and starve timers and I/O.
 */
import type { HealthTracker } from '../health.js';
import type { Clock } from './clock.js';

/** How far behind schedule playback may fall before the schedule is moved forward, ms. */
export const MAX_LAG_MS = 1000;

/** Not real time: yield to the event loop every this many samples, so timers and I/O still run. */
const YIELD_EVERY = 64;

export class Schedule {
  #base: number;
  #paced = 0;

  /** `room`, when given, makes this an as-fast-as-the-reader-takes schedule (see the file header). */
  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
    private readonly health: HealthTracker,
    private readonly room?: () => Promise<void>,
  ) {
    this.#base = clock.now();
  }

  /** Waits until `offsetMs` after the current file's start (or for room); false if aborted. */
  async until(offsetMs: number): Promise<boolean> {
    if (this.room !== undefined) {
      await this.room();
      if (++this.#paced % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      return !this.signal.aborted;
    }
    const lag = this.clock.now() - (this.#base + offsetMs);
    if (lag > MAX_LAG_MS) {
      this.#base += lag;
      this.health.count('resyncs');
    }
    const delay = this.#base + offsetMs - this.clock.now();
    try {
      await this.clock.sleep(Math.max(0, delay), this.signal);
    } catch (err) {
      if (!this.signal.aborted) throw err;
    }
    return !this.signal.aborted;
  }

  /** The current file took `ms`: later offsets count from its end. */
  advance(ms: number): void {
    this.#base += ms;
  }
}
