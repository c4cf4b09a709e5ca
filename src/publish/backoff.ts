/**
 * Capped exponential backoff with jitter for the broker link (style.md "What to avoid":
 * fixed-interval reconnect). "Equal jitter": half of the capped delay is fixed, half random,
 * so a fleet restarting together spreads out but no attempt comes immediately.
 */
export interface BackoffOptions {
  /** Delay ceiling before jitter for the first retry. */
  initialMs: number;
  /** Cap on the delay. */
  maxMs: number;
  /** Growth per failed attempt. */
  factor: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = { initialMs: 500, maxMs: 30_000, factor: 2 };

/** Delay before retry number `attempt` (0-based): in [d/2, d] where d = min(maxMs, initialMs * factor^attempt). */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * opts.factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
