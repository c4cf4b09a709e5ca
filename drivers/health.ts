/**
 * Driver health as a small explicit state machine (style.md §6), shared by every driver.
 *
 * States: `ok` (producing samples), `degraded` (producing, but something is being dropped or
 * retried), `down` (not producing: not started, stopped, device lost).
 *
 * Transitions:
 * - `set(state, reason)` moves to any state; it is how a driver says "opened" (ok),
 *   "lost the device" (down), "recovered" (ok).
 * - `error(err)` records the error (counter `errors`, `lastError`) and moves nothing by default;
 *   `{ degrade: true }` moves ok → degraded (a degraded or down tracker stays where it is:
 *   a dropped row never hides a lost device); `{ down: true }` moves any state → down.
 * - Counters are monotonic: `count()` only adds a non-negative amount.
 *
 * Listeners registered with `on('change', …)` see each state change once, synchronously. A listener
 * that throws does not break the driver: the throw is counted in `listener_errors`.
 */
import { errorMessage } from '../src/errors.js';
import type { DriverHealth, HealthState } from './types.js';

export interface HealthChange {
  readonly from: HealthState;
  readonly to: HealthState;
  readonly reason: string;
}

export type HealthListener = (change: HealthChange) => void;

export interface HealthErrorOptions {
  /** Also add 1 to this counter (e.g. `crc_errors`, `file_errors`). */
  counter?: string;
  /** Move ok → degraded. */
  degrade?: boolean;
  /** Move any state → down. */
  down?: boolean;
}

export interface HealthTrackerOptions {
  /** Starting state; default `down` ("not started"). */
  initial?: HealthState;
  reason?: string;
  /** Counters that appear in every snapshot from the start, at 0 (`errors` always does). */
  counters?: readonly string[];
}

export class HealthTracker {
  #state: HealthState;
  #reason: string;
  #lastError: string | undefined;
  readonly #counters = new Map<string, number>();
  readonly #listeners = new Set<HealthListener>();

  constructor(options: HealthTrackerOptions = {}) {
    this.#state = options.initial ?? 'down';
    this.#reason = options.reason ?? (this.#state === 'down' ? 'not started' : this.#state);
    for (const name of ['errors', ...(options.counters ?? [])]) this.#counters.set(name, 0);
  }

  get state(): HealthState {
    return this.#state;
  }

  /** Why the tracker is in its state ("not started", "playing", "corrupt row in …"). */
  get reason(): string {
    return this.#reason;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Adds `n` (≥ 0) to a counter, creating it at 0 first. */
  count(name: string, n = 1): void {
    if (!Number.isFinite(n) || n < 0) {
      throw new RangeError(
        `health counter "${name}" is monotonic: cannot add ${n} (use a non-negative number)`,
      );
    }
    this.#counters.set(name, (this.#counters.get(name) ?? 0) + n);
  }

  counter(name: string): number {
    return this.#counters.get(name) ?? 0;
  }

  /** Records an error: `errors` + 1, `lastError`, and the transition asked for (see the file header). */
  error(err: unknown, options: HealthErrorOptions = {}): void {
    const message = errorMessage(err);
    this.#lastError = message;
    this.count('errors');
    if (options.counter !== undefined) this.count(options.counter);
    if (options.down) this.set('down', message);
    else if (options.degrade && this.#state === 'ok') this.set('degraded', message);
  }

  /** Moves to `state`; listeners run only when the state actually changes. */
  set(state: HealthState, reason: string = state): void {
    const from = this.#state;
    this.#state = state;
    this.#reason = reason;
    if (from === state) return;
    const change: HealthChange = { from, to: state, reason };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch {
        this.count('listener_errors');
      }
    }
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  on(_event: 'change', listener: HealthListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** A copy: later changes do not alter a snapshot already taken. */
  snapshot(): DriverHealth {
    const health: DriverHealth = { state: this.#state, counters: Object.fromEntries(this.#counters) };
    if (this.#lastError !== undefined) health.lastError = this.#lastError;
    return health;
  }
}
