/**
 * Capped exponential backoff with jitter for driver reconnects (style.md "What to avoid":
 * fixed-interval reconnect). The attempt count is public so a driver can put it in `health`.
 * `random` is injected so tests get exact delays.
 */

export interface BackoffOptions {
  /** Delay before the first retry, ms (default 500). */
  initialMs?: number;
  /** Upper bound of any delay, ms (default 30 000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is randomised, 0…1 (default 0.2): delay · (1 − jitter · random()). */
  jitter?: number;
  /** Uniform [0, 1) source (default Math.random). */
  random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 500;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 0.2;
    this.#random = options.random ?? Math.random;
    if (!(this.#initialMs > 0) || !(this.#maxMs >= this.#initialMs) || !(this.#factor >= 1)) {
      throw new RangeError(
        `backoff needs initialMs > 0, maxMs >= initialMs and factor >= 1; got initialMs=${this.#initialMs}, maxMs=${this.#maxMs}, factor=${this.#factor}`,
      );
    }
    if (!(this.#jitter >= 0 && this.#jitter <= 1)) {
      throw new RangeError(`backoff jitter must be within 0…1; got ${this.#jitter}`);
    }
  }

  /** Retries attempted since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next retry, in ms; counts the attempt. */
  next(): number {
    const exp = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempt);
    this.#attempt += 1;
    return exp * (1 - this.#jitter * this.#random());
  }

  /** Call after a successful (re)connect. */
  reset(): void {
    this.#attempt = 0;
  }
}
