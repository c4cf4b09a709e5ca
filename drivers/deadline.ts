/**
 * Bounds an I2C operation in time and lets stop() cut it short. A stuck bus can leave an ioctl
 * or an i2ctransfer child pending for long (and an emulated stuck bus forever), so the driver
 * never awaits an operation without a deadline. The abandoned operation's late result or error
 * is swallowed, so it can never become an unhandled rejection. No timer outlives the call: the
 * deadline sleep is cancelled through its AbortSignal.
 */

import { i2cError } from './i2c/errors.js';
import type { Clock } from './replay/clock.js';

/** Thrown when `signal` aborts while waiting: the driver is stopping. */
export class Stopped extends Error {
  constructor() {
    super('stopped');
    this.name = 'Stopped';
  }
}

export async function withDeadline<T>(
  op: Promise<T>,
  ms: number,
  clock: Clock,
  signal: AbortSignal,
  what: string,
): Promise<T> {
  op.catch(() => undefined);
  if (signal.aborted) throw new Stopped();
  const cancel = new AbortController();
  const onAbort = (): void => cancel.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const expired = clock.sleep(ms, cancel.signal).then(() => {
    if (signal.aborted) throw new Stopped();
    if (!cancel.signal.aborted) throw i2cError('ETIMEDOUT', `${what} took longer than ${ms} ms (bus stuck?)`);
    return undefined as never;
  });
  expired.catch(() => undefined);
  try {
    return await Promise.race([op, expired]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    cancel.abort();
  }
}
