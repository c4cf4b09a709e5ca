/**
 * Sensor encoders' sessions on a worker thread (issue #8: "the event loop never stalls for more
 * than a few milliseconds"). onnxruntime-node runs inference synchronously on the calling
 * thread (node_modules/onnxruntime-node/dist/backend.js), hundreds of ms per batch with a real
 * model; InferenceWorker moves the sessions to one worker thread (worker.ts) and RemoteSession
 * stands in for OnnxSession in the main thread, so Encoder (batching, padding, embedding health,
 * normalisation) and every check of loadPack run unchanged, here.
 *
 * - Feeds and outputs are transferred (worker-protocol.ts).
 * - A worker that dies fails every run in flight (INFERENCE_FAILED: the scheduler counts
 *   inference_failed); the next request starts a new worker, which reopens every open session
 *   before it runs anything (requests are handled in order).
 * - A run that has not answered within `runTimeoutMs` (a hung provider or driver) is treated the
 *   same way: the worker is abandoned and terminated, everything in flight fails with a message
 *   that says so, and the next request starts a new worker. Native code that never returns cannot
 *   be interrupted (worker.terminate() stops only JavaScript), so the old thread may linger; the
 *   agent keeps embedding on the new one and the warning tells what happened.
 * - close() terminates the worker; later requests are refused.
 * - The worker is started like the preprocessing workers (src/preprocess/workerPool.ts
 *   workerEntry): a tsx bootstrap from source, worker.js from dist/.
 */
import { Worker } from 'node:worker_threads';
import { BindsightError } from '../errors.js';
import { type WorkerEntry, workerEntry } from '../preprocess/workerPool.js';
import { fromWire } from '../preprocess/workerProtocol.js';
import type {
  HostTensor,
  ProviderFailure,
  ProviderName,
  SessionHandle,
  SessionOptions,
  TensorInfo,
} from './session.js';
import {
  forTransfer,
  type InferenceReply,
  type InferenceRequest,
  type OpenedSession,
} from './worker-protocol.js';

type Request = InferenceRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  what: string;
  resolve: (reply: InferenceReply & { ok: true }) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

interface OpenArgs {
  file: string;
  providers: readonly ProviderName[];
  options: SessionOptions;
}

export interface InferenceWorkerOptions {
  /** How to start the worker (default: src/encoders/worker.ts via workerEntry); tests pass crashing ones. */
  entry?: () => WorkerEntry;
  /** Told when the worker dies or hangs, and when a restarted worker cannot reopen a model. */
  onWarn?: (fields: Record<string, unknown>, message: string) => void;
  /**
   * A run not answered within this many ms abandons the worker (0 = wait for ever; default 0).
   * A session's first run at each input shape on a worker is not timed (engine builds, tuning).
   */
  runTimeoutMs?: number;
}

export class InferenceWorker {
  readonly #entry: () => WorkerEntry;
  readonly #onWarn: InferenceWorkerOptions['onWarn'];
  readonly #runTimeoutMs: number;
  /** Session and input shapes that have run on the current worker (session key:dims). */
  readonly #warmShapes = new Set<string>();
  readonly #pending = new Map<number, Pending>();
  /** Open sessions by key: what a restarted worker reopens. */
  readonly #sessions = new Map<number, OpenArgs>();
  #worker: Worker | null = null;
  #lastError: string | null = null;
  #nextId = 1;
  #nextKey = 1;
  #closed = false;
  #restarts = 0;
  #timeouts = 0;

  constructor(options: InferenceWorkerOptions = {}) {
    this.#entry = options.entry ?? (() => workerEntry(import.meta.url));
    this.#onWarn = options.onWarn;
    this.#runTimeoutMs = Math.max(0, options.runTimeoutMs ?? 0);
  }

  /** Workers started again after one died or hung. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Runs that did not answer within runTimeoutMs. */
  get timeouts(): number {
    return this.#timeouts;
  }

  /** Opens `file` on the worker thread (OnnxSession.open there: same providers, errors and fallback). */
  async open(
    file: string,
    providers: readonly ProviderName[],
    options: SessionOptions = {},
  ): Promise<RemoteSession> {
    const key = this.#nextKey++;
    const args: OpenArgs = {
      file,
      providers: [...providers],
      options: {
        intraOpThreads: options.intraOpThreads,
        interOpThreads: options.interOpThreads,
        deviceId: options.deviceId,
      },
    };
    const reply = await this.#request({ kind: 'open', key, ...args }, [], `opening ${file}`);
    if (reply.opened === undefined) throw new Error(`inference worker did not describe ${file}`);
    this.#sessions.set(key, args);
    return new RemoteSession(this, key, file, reply.opened);
  }

  /** Runs session `key` on the worker; the feeds' buffers are transferred. */
  async run(
    key: number,
    file: string,
    feeds: Readonly<Record<string, HostTensor>>,
  ): Promise<Record<string, HostTensor>> {
    // The first run of a session at an input shape is not timed: TensorRT builds its engine for
    // a new shape there (minutes for a large model), and CUDA tunes its kernels.
    const shape = `${key}:${Object.values(feeds)
      .map((f) => f.dims.join('x'))
      .join(',')}`;
    const worker = this.#worker;
    const timed = this.#warmShapes.has(shape);
    const { tensors, buffers } = forTransfer(feeds);
    const reply = await this.#request(
      { kind: 'run', key, feeds: tensors },
      buffers,
      `running ${file}`,
      timed ? this.#runTimeoutMs : 0,
    );
    // Only on the worker that ran it: a restarted worker reopens its sessions and warms up again.
    if (worker === this.#worker || worker === null) this.#warmShapes.add(shape);
    return reply.outputs ?? {};
  }

  async release(key: number): Promise<void> {
    if (!this.#sessions.delete(key) || this.#worker === null) return;
    await this.#request({ kind: 'close', key }, [], 'closing a session').catch(() => {});
  }

  /** Terminates the worker; requests in flight and later ones are refused. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    this.#failAll('the inference worker was closed');
    this.#sessions.clear();
    if (worker) await worker.terminate();
  }

  #request(
    req: Request,
    transfer: ArrayBuffer[],
    what: string,
    timeoutMs = 0,
  ): Promise<InferenceReply & { ok: true }> {
    if (this.#closed) {
      return Promise.reject(
        new BindsightError('INFERENCE_FAILED', `inference worker is closed; not ${what}`, { what }),
      );
    }
    const worker = this.#worker ?? this.#spawn();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { what, resolve, reject };
      if (timeoutMs > 0) pending.timer = setTimeout(() => this.#hung(worker, what, timeoutMs), timeoutMs);
      this.#pending.set(id, pending);
      worker.postMessage({ ...req, id }, transfer);
    });
  }

  /** A run did not answer in time: abandon the worker, fail what is in flight, start afresh next time. */
  #hung(worker: Worker, what: string, timeoutMs: number): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    this.#restarts++;
    this.#timeouts++;
    void worker.terminate();
    this.#onWarn?.(
      { what, timeoutMs, inFlight: this.#pending.size },
      'inference worker did not answer a run in time; it is stopped and started again for the next batch',
    );
    this.#failAll(`the inference worker did not answer within ${timeoutMs} ms (models.runTimeoutMs)`);
  }

  /** Starts a worker and has it reopen every open session before anything else. */
  #spawn(): Worker {
    this.#warmShapes.clear();
    const { script, options } = this.#entry();
    const worker = new Worker(script, options);
    this.#worker = worker;
    this.#lastError = null;
    worker.on('message', (m: InferenceReply) => this.#settle(m));
    worker.on('error', (err: Error) => {
      this.#lastError = err.message;
    });
    worker.on('exit', (code) => this.#exited(worker, code));
    for (const [key, args] of this.#sessions) {
      const id = this.#nextId++;
      this.#pending.set(id, {
        what: `reopening ${args.file}`,
        resolve: () => {},
        reject: (err) =>
          this.#onWarn?.(
            { file: args.file, error: err.message },
            'inference worker could not reopen a model',
          ),
      });
      worker.postMessage({ kind: 'open', id, key, ...args });
    }
    return worker;
  }

  #settle(m: InferenceReply): void {
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m);
    else p.reject(fromWire(m.error));
  }

  #exited(worker: Worker, code: number): void {
    if (this.#worker !== worker) return; // terminated by close()
    this.#worker = null;
    this.#restarts++;
    const why = this.#lastError ?? `exit code ${code}`;
    this.#onWarn?.(
      { error: why, inFlight: this.#pending.size },
      'inference worker died; it is started again for the next batch',
    );
    this.#failAll(`the inference worker died (${why})`);
  }

  #failAll(why: string): void {
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(p.timer);
      p.reject(
        new BindsightError(
          'INFERENCE_FAILED',
          `${why} while ${p.what}; the worker is started again for the next batch`,
          { what: p.what },
        ),
      );
    }
  }
}

/** An OnnxSession that lives on the inference worker thread. */
export class RemoteSession implements SessionHandle {
  readonly provider: ProviderName;
  readonly failures: readonly ProviderFailure[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];

  constructor(
    private readonly host: InferenceWorker,
    private readonly key: number,
    readonly file: string,
    opened: OpenedSession,
  ) {
    this.provider = opened.provider;
    this.failures = opened.failures;
    this.inputs = opened.inputs;
    this.outputs = opened.outputs;
  }

  run(feeds: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>> {
    return this.host.run(this.key, this.file, feeds);
  }

  close(): Promise<void> {
    return this.host.release(this.key);
  }
}
