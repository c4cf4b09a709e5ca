/**
 * The clock a replay driver runs on. Injected (style.md §15) so tests drive time with a fake
 * clock instead of waiting. `now()` is wall-clock milliseconds since the Unix epoch (fractions
 * allowed); `sleep()` resolves after `ms`, or early (it may also reject) when `signal` aborts,
 * and leaves no timer behind either way.
 */

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Wall-clock time that does not jump with NTP steps during a run: the process start time plus
 * the monotonic `performance.now()`. A zero or negative sleep still yields to the event loop
 * (setImmediate), so a replay running far behind schedule cannot starve `stop()`.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      let cancel: () => void;
      if (ms > 0) {
        const timer = setTimeout(done, ms);
        cancel = () => clearTimeout(timer);
      } else {
        const immediate = setImmediate(done);
        cancel = () => clearImmediate(immediate);
      }
      const onAbort = (): void => {
        cancel();
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Milliseconds since the epoch (possibly fractional) to integer nanoseconds, without float overflow. */
export function msToNs(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}
