/**
 * Latest-value rate limiting per key (the score topic): the first value goes out at once,
 * values within the interval replace each other, and the latest pending one goes out when
 * the interval has elapsed, so the final value is never lost.
 */
import { type Clock, systemClock } from './timers.js';

interface KeyState<T> {
  lastEmit: number;
  pending?: { value: T };
  cancel?: () => void;
}

export class LatestThrottle<T> {
  readonly #intervalMs: number;
  readonly #emit: (key: string, value: T) => void;
  readonly #clock: Clock;
  readonly #keys = new Map<string, KeyState<T>>();
  #superseded = 0;

  constructor(intervalMs: number, emit: (key: string, value: T) => void, clock: Clock = systemClock) {
    if (!(intervalMs >= 0)) throw new RangeError(`throttle interval must be >= 0 ms, got ${intervalMs}`);
    this.#intervalMs = intervalMs;
    this.#emit = emit;
    this.#clock = clock;
  }

  /** Values replaced by a newer one before they were emitted (expected, not a loss). */
  get superseded(): number {
    return this.#superseded;
  }

  push(key: string, value: T): void {
    const now = this.#clock.now();
    const state = this.#keys.get(key);
    if (!state || now - state.lastEmit >= this.#intervalMs) {
      state?.cancel?.();
      if (state?.pending) this.#superseded++;
      this.#keys.set(key, { lastEmit: now });
      this.#emit(key, value);
      return;
    }
    if (state.pending) this.#superseded++;
    state.pending = { value };
    state.cancel ??= this.#clock.schedule(() => this.#fire(key), state.lastEmit + this.#intervalMs - now);
  }

  /** Emits every pending value now (used on close) and cancels the timers. */
  flush(): void {
    for (const key of [...this.#keys.keys()]) this.#fire(key);
  }

  /** Cancels the timers; pending values are discarded. */
  stop(): void {
    for (const state of this.#keys.values()) state.cancel?.();
    this.#keys.clear();
  }

  #fire(key: string): void {
    const state = this.#keys.get(key);
    if (!state) return;
    state.cancel?.();
    state.cancel = undefined;
    const pending = state.pending;
    if (!pending) return;
    state.pending = undefined;
    state.lastEmit = this.#clock.now();
    this.#emit(key, pending.value);
  }
}
