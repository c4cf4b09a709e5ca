/**
 * A clock for driver tests (drivers/replay/clock.ts `Clock`), so no test waits for real time.
 * - auto: every sleep advances virtual time by its duration and resolves on the next
 *   setImmediate, so playback runs as fast as the event loop allows and readers keep up.
 * - manual: sleeps stay pending until `advance()` moves time past them (or their signal aborts),
 *   for tests that stop a driver in the middle of a wait.
 */
import type { Clock } from '../../drivers/replay/clock.js';

interface Pending {
  until: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  readonly #mode: 'auto' | 'manual';
  readonly #pending = new Set<Pending>();
  /** Every requested sleep duration, in order. */
  readonly sleeps: number[] = [];

  constructor(options: { start?: number; mode?: 'auto' | 'manual' } = {}) {
    this.#now = options.start ?? 1_700_000_000_000;
    this.#mode = options.mode ?? 'auto';
  }

  now(): number {
    return this.#now;
  }

  /** Sleeps not yet resolved (manual mode). */
  get pending(): number {
    return this.#pending.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (this.#mode === 'auto') {
      return new Promise((resolve) =>
        setImmediate(() => {
          if (!signal?.aborted) this.#now += ms;
          resolve();
        }),
      );
    }
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const entry: Pending = {
        until: this.#now + ms,
        resolve: () => {
          this.#pending.delete(entry);
          signal?.removeEventListener('abort', entry.resolve);
          resolve();
        },
      };
      this.#pending.add(entry);
      signal?.addEventListener('abort', entry.resolve, { once: true });
      if (ms <= 0) setImmediate(entry.resolve);
    });
  }

  /** Moves virtual time forward and resolves the sleeps that are due (manual mode). */
  advance(ms: number): void {
    this.#now += ms;
    for (const entry of [...this.#pending]) if (entry.until <= this.#now) entry.resolve();
  }
}
