/**
 * Helpers for IMU driver tests: a fake clock that also moves emulated devices forward, a logger
 * that records warnings, and a reader that collects Windows.
 */
import type { Clock } from '../../../drivers/replay/clock.js';
import type { Driver, Sample, Window } from '../../../drivers/types.js';
import { FakeClock } from '../fakeClock.js';
import { waitFor } from '../poll.js';

/** A FakeClock (auto mode) that calls `onAdvance(now)` after every sleep, so devices stream in emulated time. */
export class DeviceClock implements Clock {
  readonly fake: FakeClock;
  readonly #listeners: ((now: number) => void)[] = [];

  constructor(start = 1_700_000_000_000) {
    this.fake = new FakeClock({ start, mode: 'auto' });
  }

  onAdvance(listener: (now: number) => void): void {
    this.#listeners.push(listener);
  }

  now(): number {
    return this.fake.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    await this.fake.sleep(ms, signal);
    const now = this.fake.now();
    for (const l of this.#listeners) l(now);
  }
}

export interface Logged {
  obj: Record<string, unknown>;
  msg: string;
}

export function recordingLogger(): {
  warn(obj: Record<string, unknown>, msg: string): void;
  lines: Logged[];
} {
  const lines: Logged[] = [];
  return { lines, warn: (obj, msg) => lines.push({ obj, msg }) };
}

/** Reads windows in the background until stopped; `windows` fills as they arrive. */
export function collect(driver: Driver): { windows: Window[]; done: Promise<void> } {
  const windows: Window[] = [];
  const done = (async () => {
    for await (const s of driver.samples()) if (isWindow(s)) windows.push(s);
  })();
  return { windows, done };
}

function isWindow(s: Sample): s is Window {
  return s.kind === 'window';
}

/** Waits until `n` windows have arrived. */
export async function windowsArrive(got: { windows: Window[] }, n: number): Promise<void> {
  await waitFor(() => got.windows.length >= n, `${n} windows`);
}

/** Values of channel `c` in a channel-major 6-channel window. */
export function channel(w: Window, c: number): Float32Array {
  const n = w.data.length / w.channels;
  return w.data.subarray(c * n, (c + 1) * n);
}
