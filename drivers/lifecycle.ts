/**
 * The start/stop lifecycle shared by the drivers that run one loop at a time and hand its samples
 * to readers through a bounded queue: the IMU and thermal family drivers and the replay driver.
 * Each of them says only how a run begins (`begin()`); this class owns the rest.
 *
 * - start(): concurrent calls share one start; a call while running is a no-op; a call during
 *   stop() waits for it to finish, then begins a new run. `begin()` decides what "started" means:
 *   start() resolves when it resolves, and rejects with its error (nothing is running then).
 * - stop(): waits for a pending start, discards queued samples and ends every samples() iteration,
 *   aborts the run and waits for it to end, then health `down` ("stopped"). Concurrent calls share
 *   one stop; with nothing running it changes no state.
 * - samples(): reads the queue; a reader that falls behind loses the oldest sample, counted in
 *   `dropped`. A queue closed by stop() is replaced when the next run opens it (RunContext).
 *
 * drivers/process/driver.ts keeps its own lifecycle: there stop() ends a pending start instead of
 * waiting for it.
 */
import type { HealthTracker } from './health.js';
import { SampleQueue } from './replay/queue.js';
import type { Driver, DriverHealth, Sample, SensorModality } from './types.js';

/** What one run gets from the lifecycle. */
export interface RunContext {
  /** Aborted by stop(): the run must then end and settle `done`. */
  readonly signal: AbortSignal;
  /** The queue for this run's samples: a fresh one if stop() closed the previous one. */
  openQueue(): SampleQueue<Sample>;
}

/** A run that has begun; `done` settles (and never rejects) once the run has ended. */
export interface StartedRun {
  done: Promise<void>;
}

export interface LifecycleOptions {
  id: string;
  /** The driver's health; `dropped` counts queue overflows, stop() sets `down` ("stopped"). */
  health: HealthTracker;
  /** Samples held for a slow reader before the oldest is dropped. */
  queueLength: number;
}

export abstract class LifecycleDriver implements Driver {
  readonly id: string;
  abstract readonly modality: SensorModality;
  readonly #health: HealthTracker;
  readonly #queueLength: number;
  #queue: SampleQueue<Sample>;
  #run: { abort: AbortController; done: Promise<void> } | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  protected constructor(o: LifecycleOptions) {
    this.id = o.id;
    this.#health = o.health;
    this.#queueLength = o.queueLength;
    this.#queue = this.#newQueue();
  }

  /**
   * Begins one run (see the file header). Called by start() once any stop() has finished; the run
   * ends when `run.signal` aborts.
   */
  protected abstract begin(run: RunContext): Promise<StartedRun>;

  /** The queue samples go to (the current run's). */
  protected get queue(): SampleQueue<Sample> {
    return this.#queue;
  }

  #newQueue(): SampleQueue<Sample> {
    return new SampleQueue<Sample>(this.#queueLength, () => this.#health.count('dropped'));
  }

  #openQueue(): SampleQueue<Sample> {
    if (this.#queue.closed) this.#queue = this.#newQueue();
    return this.#queue;
  }

  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    if (this.#run) return Promise.resolve();
    this.#starting = this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    if (this.#stopping) await this.#stopping;
    const abort = new AbortController();
    const { done } = await this.begin({ signal: abort.signal, openQueue: () => this.#openQueue() });
    this.#run = { abort, done };
  }

  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#stopping = this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#starting) await this.#starting.catch(() => undefined);
    const run = this.#run;
    this.#run = undefined;
    this.#queue.close(true);
    if (run === undefined) return;
    run.abort.abort();
    await run.done;
    this.#health.set('down', 'stopped');
  }

  samples(): AsyncIterable<Sample> {
    return { [Symbol.asyncIterator]: () => this.#queue.iterator() };
  }

  health(): DriverHealth {
    return this.#health.snapshot();
  }
}
