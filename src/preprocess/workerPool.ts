/**
 * A pool of worker threads running preprocessSample off the event loop: JPEG/PNG decoding,
 * the Pillow-exact bicubic resize and the Kaldi fbank are tens of ms of synchronous JS per
 * sample (bench/preprocess.ts), which would otherwise stall MQTT, timers and driver I/O.
 *
 * - One task per worker at a time; tasks wait FIFO. Inputs are cloned, tensors transferred
 *   (workerProtocol.ts).
 * - From source (this file is .ts, run by tsx) a worker is a small eval'd bootstrap that
 *   registers tsx's loader (tsx/esm/api) and then imports worker.ts: on Node 20 a worker's
 *   `execArgv: ['--import', 'tsx']` does not apply to its entry module (it fails with
 *   ERR_UNKNOWN_FILE_EXTENSION). From the build (dist/, .js) it runs worker.js directly.
 * - A worker that dies fails its task (the scheduler drops and counts that sample) and is
 *   started again for the next task. A worker that dies before it is ready (its modules did
 *   not load) hands its task back; after 3 such deaths in a row the pool says so once and
 *   preprocesses on the event loop from then on, so the agent keeps working.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Sample } from '../../drivers/types.js';
import type { PreprocessParams } from '../../models/manifest.js';
import { BindsightError } from '../errors.js';
import { preprocessSample } from './index.js';
import { fromWire, type TaskMessage, type WorkerMessage } from './workerProtocol.js';

/** Workers that die before they are ready, in a row, before the pool falls back to the event loop. */
const MAX_START_FAILURES = 3;

export interface PreprocessPoolOptions {
  /** Worker threads (≥ 1). */
  size: number;
  /** Told once, when workers cannot start and preprocessing falls back to the event loop. */
  onWarn?: (fields: Record<string, unknown>, message: string) => void;
  /** How to start a worker (default workerEntry()); tests pass broken workers. */
  entry?: () => WorkerEntry;
}

export interface WorkerEntry {
  script: string | URL;
  options: WorkerOptions;
}

export interface PreprocessPoolStats {
  size: number;
  busy: number;
  queued: number;
  completed: number;
  failed: number;
  /** Workers started again after one died. */
  restarts: number;
  /** True once preprocessing has fallen back to the event loop. */
  fallback: boolean;
}

interface Pending {
  msg: TaskMessage;
  resolve: (x: Float32Array) => void;
  reject: (e: Error) => void;
}

interface Slot {
  readonly index: number;
  worker: Worker | null;
  /** The worker has loaded its modules (its ReadyMessage arrived). */
  ready: boolean;
  task: Pending | null;
  lastError: string | null;
}

/** How to start a worker from here: the eval'd tsx bootstrap from source, worker.js when built. */
export function workerEntry(here: string = import.meta.url): WorkerEntry {
  if (here.endsWith('.ts')) {
    const entry = new URL('./worker.ts', here).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const script = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    return { script, options: { eval: true } };
  }
  return { script: new URL('./worker.js', here), options: {} };
}

export class PreprocessPool {
  readonly #slots: Slot[];
  readonly #queue: Pending[] = [];
  readonly #onWarn: PreprocessPoolOptions['onWarn'];
  readonly #entry: () => WorkerEntry;
  #nextId = 1;
  #closed = false;
  #startFailures = 0;
  #fallback = false;
  #completed = 0;
  #failed = 0;
  #restarts = 0;

  constructor(options: PreprocessPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new BindsightError(
        'CONFIG_INVALID',
        `preprocess worker pool size ${options.size} must be a whole number ≥ 1 (use 0 workers in the config to preprocess on the event loop)`,
        { size: options.size },
      );
    }
    this.#onWarn = options.onWarn;
    this.#entry = options.entry ?? (() => workerEntry());
    this.#slots = Array.from({ length: options.size }, (_, index) => ({
      index,
      worker: null,
      ready: false,
      task: null,
      lastError: null,
    }));
    for (const slot of this.#slots) this.#spawn(slot);
  }

  /** The encoder input for `sample`, computed on a worker thread. */
  run(sample: Sample, params: PreprocessParams): Promise<Float32Array> {
    if (this.#closed) {
      return Promise.reject(
        new BindsightError(
          'PREPROCESS_INVALID',
          `preprocess pool is closed; sample from '${sample.sensor}' not preprocessed`,
          {
            sensor: sample.sensor,
          },
        ),
      );
    }
    if (this.#fallback) return preprocessSample(sample, params);
    return new Promise((resolve, reject) => {
      this.#queue.push({ msg: { id: this.#nextId++, sample, params }, resolve, reject });
      this.#pump();
    });
  }

  stats(): PreprocessPoolStats {
    return {
      size: this.#slots.length,
      busy: this.#slots.filter((s) => s.task !== null).length,
      queued: this.#queue.length,
      completed: this.#completed,
      failed: this.#failed,
      restarts: this.#restarts,
      fallback: this.#fallback,
    };
  }

  /** Terminates every worker; queued and running tasks are rejected. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Error('preprocess pool closed before the task ran');
    for (const p of this.#queue.splice(0)) p.reject(closed);
    await Promise.all(
      this.#slots.map(async (slot) => {
        const { worker, task } = slot;
        slot.task = null;
        slot.worker = null;
        task?.reject(closed);
        if (worker) await worker.terminate();
      }),
    );
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.task !== null) continue;
      if (slot.worker === null) {
        this.#restarts++;
        this.#spawn(slot);
      }
      const task = this.#queue.shift()!;
      slot.task = task;
      slot.worker!.postMessage(task.msg);
    }
  }

  #spawn(slot: Slot): void {
    const { script, options } = this.#entry();
    const worker = new Worker(script, options);
    slot.worker = worker;
    slot.ready = false;
    slot.lastError = null;
    worker.on('message', (m: WorkerMessage) => {
      if ('ready' in m) {
        slot.ready = true;
        this.#startFailures = 0;
      } else this.#settle(slot, m);
    });
    worker.on('error', (err: Error) => {
      slot.lastError = err.message;
    });
    worker.on('exit', (code) => this.#exited(slot, worker, code));
  }

  #settle(slot: Slot, m: Exclude<WorkerMessage, { ready: true }>): void {
    const task = slot.task;
    if (task === null || task.msg.id !== m.id) return;
    slot.task = null;
    if (m.ok) {
      this.#completed++;
      task.resolve(m.tensor);
    } else {
      this.#failed++;
      task.reject(fromWire(m.error));
    }
    this.#pump();
  }

  #exited(slot: Slot, worker: Worker, code: number): void {
    if (slot.worker !== worker) return; // terminated by close()
    slot.worker = null;
    const wasReady = slot.ready;
    const task = slot.task;
    slot.task = null;
    const why = slot.lastError ?? `exit code ${code}`;
    if (task && !wasReady)
      this.#queue.unshift(task); // it never ran
    else if (task) {
      this.#failed++;
      const { sample } = task.msg;
      task.reject(
        new Error(
          `preprocessing worker ${slot.index} died (${why}) while preprocessing a ${sample.modality} sample from '${sample.sensor}'; it is started again for the next sample`,
        ),
      );
    }
    if (this.#closed) return;
    if (!wasReady && ++this.#startFailures >= MAX_START_FAILURES) this.#fallBack(why);
    else this.#pump();
  }

  /** Workers cannot start here: preprocess on the event loop from now on, and say so once. */
  #fallBack(why: string): void {
    if (this.#fallback) return;
    this.#fallback = true;
    this.#onWarn?.(
      { failures: this.#startFailures, error: why },
      'preprocessing worker threads cannot start; preprocessing on the event loop instead (set scheduler.workers: 0 to silence)',
    );
    // Tasks waiting, and tasks handed to a worker that has not started (and now never will: its
    // exit is ignored once it is terminated here), run on the event loop.
    const pending = this.#queue.splice(0);
    for (const slot of this.#slots) {
      if (slot.task) pending.push(slot.task);
      slot.task = null;
      const w = slot.worker;
      slot.worker = null;
      void w?.terminate();
    }
    for (const p of pending) preprocessSample(p.msg.sample, p.msg.params).then(p.resolve, p.reject);
  }
}
