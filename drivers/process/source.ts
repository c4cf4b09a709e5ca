/**
 * What a capture driver runs: a source that starts child processes and emits Samples until its
 * signal aborts. Two kinds exist: the continuous supervisor (./supervisor.ts: one long-lived
 * ffmpeg / gst-launch / arecord / v4l2-ctl child, restarted when it fails) and the snapshot loop
 * (drivers/camera/webcam.ts: one fswebcam child per picture).
 */
import { spawn as nodeSpawn } from 'node:child_process';
import type { BackoffOptions } from '../backoff.js';
import { type Clock, systemClock } from '../replay/clock.js';
import type { SpawnFn } from './child.js';

/** finished: a finite input (a file) played to its end. aborted: stopped. failed: the first start failed. */
export type CaptureEnd = 'finished' | 'aborted' | 'failed';

export interface CaptureRun {
  /** Resolves at the first sample (or when stopped before one); rejects if the first attempt fails. */
  started: Promise<void>;
  /** Settles when the source has stopped and its child is gone; never rejects. */
  done: Promise<CaptureEnd>;
}

export interface CaptureSource {
  run(signal: AbortSignal): CaptureRun;
  /** The last 4 kB of the current (or last) child's stderr. */
  stderr(): string;
  /** The running child's pid, if one runs. */
  pid(): number | undefined;
}

/** Everything a capture source takes from its environment (style.md §1, §15: injected, not global). */
export interface CaptureEnv {
  spawn: SpawnFn;
  clock: Clock;
  /** Where tools are looked up (PATH syntax). */
  searchPath: string;
  /** 'auto': children die with the agent through setpriv when available (./deathsig.ts). */
  deathSignal: 'auto' | 'off';
  /** Restart delays after a child fails. */
  backoff: BackoffOptions;
  /** Time a child gets to exit after SIGTERM before SIGKILL, ms. */
  termGraceMs: number;
}

export function captureEnv(overrides: Partial<CaptureEnv> = {}): CaptureEnv {
  return {
    spawn: nodeSpawn,
    clock: systemClock,
    searchPath: process.env.PATH ?? '',
    deathSignal: 'auto',
    backoff: { initialMs: 500, maxMs: 30_000 },
    termGraceMs: 2000,
    ...overrides,
  };
}

/**
 * Runs `loop` as a CaptureRun: `markStarted` resolves `started`; a throw rejects `started` (when it
 * has not resolved yet) and ends `done` as 'failed'.
 */
export function startLoop(loop: (markStarted: () => void) => Promise<'finished' | 'aborted'>): CaptureRun {
  let resolveStarted = (): void => {};
  let rejectStarted = (_err: unknown): void => {};
  const started = new Promise<void>((resolve, reject) => {
    resolveStarted = resolve;
    rejectStarted = reject;
  });
  const done = loop(() => resolveStarted()).then(
    (end) => {
      resolveStarted();
      return end;
    },
    (err: unknown) => {
      rejectStarted(err);
      return 'failed' as const;
    },
  );
  return { started, done };
}

/** Sleeps on the injected clock; an abort ends the sleep early and is not an error. */
export async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  try {
    await clock.sleep(Math.max(0, ms), signal);
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}
