/**
 * The replay driver: plays recorded files as timed Samples, so the whole pipeline runs without
 * hardware (DESIGN.md "Testing without hardware").
 *
 * Lifecycle and health:
 * - created: `down` ("not started").
 * - start(): checks every file (FILE_INVALID for an extension the modality does not accept,
 *   FIXTURE_MISSING listing every missing file; health `down` with lastError), then `ok` and
 *   playback begins. Calling it again while started is a no-op; after stop() it plays again
 *   from the first file (counters keep counting).
 * - corrupt rows or files: `degraded`, and it stays degraded for the rest of the run, so a
 *   finished run still shows that something was dropped.
 * - all files played (no loop): the samples() iterator ends after the last queued sample;
 *   counter `finished` = 1 and the state is left as it was (`ok` for clean files): a replay that
 *   reached its end is not a failed sensor.
 * - a pass that yields no sample at all: `down`, iterator ends (looping would never produce one).
 * - stop(): aborts the pending sleep, discards queued samples, ends every iterator, leaves no
 *   timer; `down` ("stopped"). Idempotent.
 *
 * The queue between playback and the reader holds `queueLength` samples; a reader that falls
 * further behind loses the oldest, counted in `dropped` — except with `realtime: false`, where
 * playback waits for room in the queue instead (nothing is dropped).
 *
 * MCAP files (mcapPlay.ts) emit the recorded capture times; plain files are stamped with the
 * replay clock at emission (player.ts).
 */
import type { ReplaySensorConfig } from '../../src/config/schema.js';
import { BindsightError } from '../../src/errors.js';
import { HealthTracker } from '../health.js';
import { LifecycleDriver, type RunContext, type StartedRun } from '../lifecycle.js';
import type { Driver, Sample, SensorModality } from '../types.js';
import { type Clock, systemClock } from './clock.js';
import { checkFiles } from './formats.js';
import { type DriverLogger, type PlayResult, play } from './player.js';
import type { SampleQueue } from './queue.js';

export type { Clock } from './clock.js';
export type { DriverLogger } from './player.js';

export interface ReplayDeps {
  clock?: Clock;
  logger?: DriverLogger;
  /** Samples held for a slow reader before the oldest is dropped (default 256). */
  queueLength?: number;
}

/** Counters every replay health snapshot has from the start. */
export const REPLAY_COUNTERS = [
  'samples',
  'bytes',
  'dropped',
  'corrupt_rows',
  'file_errors',
  'files_played',
  'loops',
  'resyncs',
  'finished',
  // MCAP files (mcapPlay.ts): undecodable messages, damaged chunks, unreadable bytes, files without index.
  'corrupt_messages',
  'corrupt_chunks',
  'unreadable_bytes',
  'unindexed_files',
] as const;

class ReplayDriver extends LifecycleDriver {
  readonly modality: SensorModality;
  readonly #cfg: ReplaySensorConfig;
  readonly #clock: Clock;
  readonly #logger: DriverLogger | undefined;
  readonly #health: HealthTracker;

  constructor(cfg: ReplaySensorConfig, deps: ReplayDeps) {
    const health = new HealthTracker({ counters: REPLAY_COUNTERS });
    super({ id: cfg.id, health, queueLength: deps.queueLength ?? 256 });
    this.modality = cfg.modality;
    this.#cfg = cfg;
    this.#clock = deps.clock ?? systemClock;
    this.#logger = deps.logger;
    this.#health = health;
  }

  /** Checks every file (rejecting when one is missing or unplayable), then begins playback. */
  protected async begin(run: RunContext): Promise<StartedRun> {
    let files: Awaited<ReturnType<typeof checkFiles>>;
    try {
      files = await checkFiles(this.id, this.modality, this.#cfg.files);
    } catch (err) {
      this.#health.error(err, { down: true });
      throw err;
    }
    // Opened after the file check: a start() that fails it leaves a stopped driver's samples() ended.
    const queue = run.openQueue();
    this.#health.set('ok', 'playing');
    const playing = play({
      cfg: this.#cfg,
      files,
      clock: this.#clock,
      health: this.#health,
      signal: run.signal,
      emit: (sample) => this.#emit(queue, sample),
      logger: this.#logger,
      room: () => queue.room(),
    });
    const done = playing.then(
      (result) => this.#ended(queue, result),
      (err: unknown) => {
        this.#health.error(err, { down: true });
        queue.close();
      },
    );
    return { done };
  }

  #emit(queue: SampleQueue<Sample>, sample: Sample): void {
    if (!queue.push(sample)) return;
    this.#health.count('samples');
    this.#health.count('bytes', sample.data.byteLength);
  }

  #ended(queue: SampleQueue<Sample>, result: PlayResult): void {
    if (result === 'finished') {
      this.#health.count('finished');
    } else if (result === 'exhausted') {
      const message = `sensor "${this.id}": a full pass over ${this.#cfg.files.length} file(s) produced no sample (each file invalid or shorter than half a window); replay stopped`;
      this.#health.error(new BindsightError('SENSOR_FAILED', message, { sensor: this.id }), { down: true });
    }
    queue.close();
  }
}

/** A Driver that plays `cfg.files` (see the file header for its lifecycle and health). */
export function createReplayDriver(cfg: ReplaySensorConfig, deps: ReplayDeps = {}): Driver {
  return new ReplayDriver(cfg, deps);
}
