/**
 * The supervised capture child (style.md §8), shared by every streaming driver (ffmpeg,
 * gst-launch-1.0, arecord, v4l2-ctl):
 * - the tool (and a file input) is checked before the first spawn of each start(); a missing tool
 *   is TOOL_MISSING naming the package;
 * - stdout is cut into fixed-size frames (./framer.ts); the first frame means "started";
 * - no frame within `startTimeoutMs` of a spawn, or for `stallTimeoutMs` after the last frame
 *   (the watchdog): the child's process group is killed (SENSOR_STALLED);
 * - a child that exits, stalls or cannot start is restarted with capped exponential backoff and
 *   jitter (drivers/backoff.ts), forever, once the source has started; the first attempt failing
 *   fails start() instead, with the reason;
 * - every error names the tool, the sensor and the input and carries the last 4 kB of stderr;
 * - a finite input (a file without `loop`) that exits cleanly ends the stream ('finished').
 *
 * Health: `ok` from the first frame of each run; `down` while restarting (the reason says which
 * attempt and when). Counters: spawns, restarts, exits, stalls, start_timeouts, frames, bytes,
 * partial_frames (bytes left over when a child ended mid-frame, dropped), finished.
 */
import { BindsightError } from '../../src/errors.js';
import { Backoff } from '../backoff.js';
import type { HealthTracker } from '../health.js';
import { type ChildExit, ChildRun } from './child.js';
import { type DeathWrapper, deathWrapper } from './deathsig.js';
import { FixedFramer } from './framer.js';
import { requireInputFile } from './input.js';
import { type CaptureEnv, type CaptureRun, type CaptureSource, pause, startLoop } from './source.js';
import { STDERR_TAIL_BYTES } from './tail.js';
import { requireTool, type ToolName } from './tools.js';

/** What to run and how to cut its output. Built by each family from its config. */
export interface CapturePlan {
  tool: ToolName;
  args: readonly string[];
  /** Bytes of one frame (or one audio block) on stdout. */
  frameBytes: number;
  /** Nominal time between frames, ms. */
  periodMs: number;
  /** The input ends by itself (a file without loop): a clean exit ends the stream. */
  finite: boolean;
  /** What the tool reads, for messages: a device, URL, file or pipeline. */
  input: string;
  /** A file that must exist before the tool is started. */
  requiredFile?: string;
}

export interface CaptureTiming {
  startTimeoutMs: number;
  stallTimeoutMs: number;
}

export interface SupervisorHooks {
  /** A child is about to start; run counts from 0. */
  onRun?(run: number): void;
  /** A whole frame arrived at `arrivalMs` (the clock's time). */
  onFrame(frame: Uint8Array, arrivalMs: number): void;
}

/** Counters the supervisor maintains (drivers list them so snapshots show them from the start). */
export const SUPERVISOR_COUNTERS = [
  'frames',
  'bytes',
  'spawns',
  'restarts',
  'exits',
  'stalls',
  'start_timeouts',
  'partial_frames',
  'finished',
] as const;

type Ending = { kind: 'exit'; exit: ChildExit } | { kind: 'stall' | 'start-timeout' | 'aborted' };

interface Outcome {
  ending: Ending;
  frames: number;
  received: number;
  partialBytes: number;
  stderr: string;
}

export interface SupervisorOptions {
  sensor: string;
  plan: CapturePlan;
  timing: CaptureTiming;
  env: CaptureEnv;
  health: HealthTracker;
  hooks: SupervisorHooks;
}

export class Supervisor implements CaptureSource {
  readonly #o: SupervisorOptions;
  #child: ChildRun | undefined;
  #lastStderr = '';

  constructor(options: SupervisorOptions) {
    this.#o = options;
  }

  stderr(): string {
    return this.#child ? this.#child.stderr() : this.#lastStderr;
  }

  pid(): number | undefined {
    return this.#child && !this.#child.exited ? this.#child.pid : undefined;
  }

  run(signal: AbortSignal): CaptureRun {
    return startLoop((markStarted) => this.#loop(signal, markStarted));
  }

  async #loop(signal: AbortSignal, markStarted: () => void): Promise<'finished' | 'aborted'> {
    const { plan, env, health, sensor } = this.#o;
    let toolPath: string;
    try {
      if (plan.requiredFile !== undefined) await requireInputFile(plan.requiredFile, sensor);
      toolPath = await requireTool(plan.tool, sensor, env.searchPath);
    } catch (err) {
      health.error(err, { down: true });
      throw err;
    }
    const wrapper = env.deathSignal === 'auto' ? await deathWrapper() : undefined;
    const backoff = new Backoff(env.backoff);
    let started = false;
    for (let run = 0; !signal.aborted; run++) {
      const outcome = await this.#attempt(run, toolPath, wrapper, signal, () => {
        started = true;
        backoff.reset();
        health.set('ok', 'capturing');
        markStarted();
      });
      if (signal.aborted || outcome.ending.kind === 'aborted') break;
      const { ending } = outcome;
      if (plan.finite && ending.kind === 'exit' && ending.exit.code === 0 && outcome.frames > 0) {
        health.count('finished');
        return 'finished';
      }
      const err = this.#failure(outcome);
      health.error(err, { down: true });
      if (!started) throw err;
      const delay = backoff.next();
      const firstLine = err.message.split('\n')[0];
      health.set('down', `${firstLine}; restart ${backoff.attempt} in ${(delay / 1000).toFixed(1)} s`);
      await pause(env.clock, delay, signal);
      if (!signal.aborted) health.count('restarts');
    }
    return 'aborted';
  }

  async #attempt(
    run: number,
    command: string,
    wrapper: DeathWrapper | undefined,
    signal: AbortSignal,
    onFirstFrame: () => void,
  ): Promise<Outcome> {
    const { plan, env, health, hooks, timing } = this.#o;
    const framer = new FixedFramer(plan.frameBytes);
    let frames = 0;
    let received = 0;
    let accepting = true;
    const spawnedAt = env.clock.now();
    let lastFrameAt = spawnedAt;
    const onFrame = (frame: Uint8Array): void => {
      lastFrameAt = env.clock.now();
      if (frames++ === 0) onFirstFrame();
      health.count('frames');
      health.count('bytes', frame.length);
      hooks.onFrame(frame, lastFrameAt);
    };
    hooks.onRun?.(run);
    const child = new ChildRun({
      spawn: env.spawn,
      command,
      args: plan.args,
      wrapper,
      onStdout: (chunk) => {
        if (!accepting) return;
        received += chunk.length;
        framer.push(chunk, onFrame);
      },
    });
    this.#child = child;
    health.count('spawns');
    const watch = new AbortController();
    const deadline = () =>
      frames > 0
        ? { at: lastFrameAt, limitMs: timing.stallTimeoutMs, kind: 'stall' as const }
        : { at: spawnedAt, limitMs: timing.startTimeoutMs, kind: 'start-timeout' as const };
    const ending = await Promise.race([
      child.closed.then((exit): Ending => ({ kind: 'exit', exit })),
      this.#watchdog(deadline, AbortSignal.any([signal, watch.signal])),
    ]);
    watch.abort();
    accepting = false;
    if (ending.kind !== 'exit') await child.terminate(env.termGraceMs);
    const partialBytes = framer.reset();
    if (partialBytes > 0 && ending.kind !== 'aborted') health.count('partial_frames');
    this.#lastStderr = child.stderr();
    this.#child = undefined;
    return { ending, frames, received, partialBytes, stderr: this.#lastStderr };
  }

  async #watchdog(
    deadline: () => { at: number; limitMs: number; kind: 'stall' | 'start-timeout' },
    signal: AbortSignal,
  ): Promise<Ending> {
    const { clock } = this.#o.env;
    const { stallTimeoutMs } = this.#o.timing;
    while (!signal.aborted) {
      const d = deadline();
      const wait = d.at + d.limitMs - clock.now();
      if (wait <= 0) return { kind: d.kind };
      // Wake at least once per stall timeout: the first frame switches the deadline from the
      // start timeout to the (usually shorter) stall timeout.
      await pause(clock, Math.min(wait, stallTimeoutMs), signal);
    }
    return { kind: 'aborted' };
  }

  /** The error for a failed run, counted; its message names tool, sensor, input and adds stderr. */
  #failure(o: Outcome): BindsightError {
    const { plan, sensor, health, timing } = this.#o;
    const who = `${plan.tool} for sensor "${sensor}" (reading ${plan.input})`;
    const context = { sensor, tool: plan.tool, input: plan.input, frames: o.frames };
    const partial =
      o.partialBytes > 0
        ? `; its last ${o.partialBytes} bytes were less than one ${plan.frameBytes}-byte frame and were dropped`
        : '';
    const hint =
      o.frames === 0 && o.received > 0
        ? ` (it wrote ${o.received} bytes, less than one frame: check width, height and format)`
        : '';
    const ending = o.ending;
    if (ending.kind === 'exit') {
      if (ending.exit.error !== undefined) {
        return new BindsightError(
          'SENSOR_FAILED',
          `cannot start ${who}: ${ending.exit.error.message}`,
          context,
        );
      }
      health.count('exits');
      const how = ending.exit.code !== null ? `code ${ending.exit.code}` : `signal ${ending.exit.signal}`;
      const what = `${who} exited with ${how} after ${o.frames} frame(s)${partial}${hint}`;
      return new BindsightError('SENSOR_FAILED', withStderr(what, plan.tool, o.stderr), context);
    }
    if (ending.kind === 'stall') {
      health.count('stalls');
      const what = `${who} sent no frame for ${timing.stallTimeoutMs / 1000} s (one expected every ${round(plan.periodMs)} ms); killed it${partial}`;
      return new BindsightError('SENSOR_STALLED', withStderr(what, plan.tool, o.stderr), context);
    }
    health.count('start_timeouts');
    const what = `${who} sent no frame within ${timing.startTimeoutMs / 1000} s of starting; killed it${hint}`;
    return new BindsightError('SENSOR_STALLED', withStderr(what, plan.tool, o.stderr), context);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function withStderr(message: string, tool: string, stderr: string): string {
  const tail = stderr.trim();
  if (tail === '') return `${message}; it wrote nothing to stderr`;
  return `${message}; ${tool} stderr (last ${STDERR_TAIL_BYTES / 1024} kB):\n${tail}`;
}
