/**
 * The timer seam of the publish layer (style.md §15: clocks are passed in), so the score
 * throttle and the reconnect backoff can be tested without patching globals.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs fn after ms; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  schedule(fn, ms) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

/** Resolves with p's value, or false if p has not settled after ms. */
export function withTimeout(clock: Clock, p: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = clock.schedule(() => resolve(false), ms);
    void p.then((v) => {
      cancel();
      resolve(v);
    });
  });
}
