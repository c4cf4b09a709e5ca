/**
 * A Driver over a capture source (./source.ts): the part every capture driver shares.
 *
 * Lifecycle and health:
 * - created: `down` ("not started").
 * - start(): runs the source; resolves at the first sample, rejects with the source's
 *   BindsightError if the first attempt fails (tool missing, input missing, the child exits or
 *   sends nothing). Concurrent calls share one start; calling it while started is a no-op; after
 *   stop() it starts a new source.
 * - running: the source restarts failed children itself; health follows it (`ok` / `down`).
 * - a finite input played out: samples() ends after the last queued sample (`finished`).
 * - stop(): aborts the source, kills its child's process group, discards queued samples, ends
 *   every iterator; `down` ("stopped"). Idempotent; a stop() during start() ends that start.
 *
 * Samples wait in a bounded queue; a reader that falls behind loses the oldest (`dropped`).
 * Every state change away from `ok` is logged at warn once, with the child's stderr tail.
 * health() adds `reason` (which restart attempt is due when), `stderr` (last 4 kB of the child's
 * stderr) and `pid` (the running child).
 */
import { HealthTracker } from '../health.js';
import type { DriverLogger } from '../replay/player.js';
import { SampleQueue } from '../replay/queue.js';
import type { Driver, DriverHealth, Sample, SensorModality } from '../types.js';
import type { CaptureEnd, CaptureSource } from './source.js';
import { SUPERVISOR_COUNTERS } from './supervisor.js';

export interface CaptureHealth extends DriverHealth {
  /** Why the driver is in its state: "capturing", or e.g. "…exited with code 1…; restart 3 in 2.0 s". */
  reason: string;
  /** Last 4 kB of the capture tool's stderr. */
  stderr: string;
  /** pid of the running capture child. */
  pid?: number;
}

export interface SourceContext {
  health: HealthTracker;
  emit(sample: Sample): void;
}

export interface CaptureDriverOptions {
  id: string;
  modality: SensorModality;
  /** Samples held for a slow reader before the oldest is dropped. */
  queueLength: number;
  logger?: DriverLogger;
  /** Counters beyond the common ones, present in every snapshot. */
  counters?: readonly string[];
  /** Builds the source for one start() (again after stop()). */
  source(ctx: SourceContext): CaptureSource;
}

export const CAPTURE_COUNTERS = ['samples', 'dropped', 'resyncs', ...SUPERVISOR_COUNTERS] as const;

interface Active {
  abort: AbortController;
  source: CaptureSource;
  done: Promise<CaptureEnd>;
}

class ProcessDriver implements Driver {
  readonly id: string;
  readonly modality: SensorModality;
  readonly #o: CaptureDriverOptions;
  readonly #health: HealthTracker;
  #queue: SampleQueue<Sample>;
  #active: Active | undefined;
  #lastSource: CaptureSource | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: CaptureDriverOptions) {
    this.id = options.id;
    this.modality = options.modality;
    this.#o = options;
    this.#health = new HealthTracker({ counters: [...CAPTURE_COUNTERS, ...(options.counters ?? [])] });
    this.#queue = this.#newQueue();
    this.#health.on('change', ({ from, to, reason }) => {
      if (to === 'ok' || reason === 'stopped') return;
      const stderr = this.#lastSource?.stderr() ?? '';
      options.logger?.warn({ sensor: this.id, from, to, reason, stderr }, `capture: sensor ${to}`);
    });
  }

  #newQueue(): SampleQueue<Sample> {
    return new SampleQueue<Sample>(this.#o.queueLength, () => this.#health.count('dropped'));
  }

  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    if (this.#active) return Promise.resolve();
    this.#starting = this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    if (this.#stopping) await this.#stopping;
    if (this.#queue.closed) this.#queue = this.#newQueue();
    const queue = this.#queue;
    const abort = new AbortController();
    const source = this.#o.source({ health: this.#health, emit: (s) => this.#emit(queue, s) });
    this.#lastSource = source;
    const run = source.run(abort.signal);
    const done = run.done.then((end) => {
      if (end === 'finished') queue.close();
      return end;
    });
    const active: Active = { abort, source, done };
    this.#active = active;
    try {
      await run.started;
    } catch (err) {
      // The source recorded the error in health; make the next start() begin afresh.
      if (this.#active === active) this.#active = undefined;
      queue.close(true);
      await done;
      throw err;
    }
  }

  #emit(queue: SampleQueue<Sample>, sample: Sample): void {
    if (queue.push(sample)) this.#health.count('samples');
  }

  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#stopping = this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    // Only a start that began before this stop is awaited: a later one waits for this stop.
    const starting = this.#starting;
    const active = this.#active;
    this.#active = undefined;
    this.#queue.close(true);
    if (active !== undefined) {
      active.abort.abort();
      await active.done;
    }
    if (starting) await starting.catch(() => undefined);
    if (active !== undefined) this.#health.set('down', 'stopped');
  }

  samples(): AsyncIterable<Sample> {
    return { [Symbol.asyncIterator]: () => this.#queue.iterator() };
  }

  health(): CaptureHealth {
    const pid = this.#active?.source.pid();
    const snapshot: CaptureHealth = {
      ...this.#health.snapshot(),
      reason: this.#health.reason,
      stderr: this.#lastSource?.stderr() ?? '',
    };
    if (pid !== undefined) snapshot.pid = pid;
    return snapshot;
  }
}

/** A capture Driver: its health() also has the child's stderr tail and pid. */
export interface CaptureDriver extends Driver {
  health(): CaptureHealth;
}

/** A Driver over `options.source` (see the file header for its lifecycle and health). */
export function createCaptureDriver(options: CaptureDriverOptions): CaptureDriver {
  return new ProcessDriver(options);
}
