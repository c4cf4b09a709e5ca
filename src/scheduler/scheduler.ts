/**
 * Batches Samples into the encoders, one queue per modality (DESIGN.md "src/scheduler").
 * A batch is flushed when it reaches maxBatch or when its oldest sample has waited
 * maxWaitMs, whichever comes first. Queues are bounded: on overflow the oldest sample is
 * dropped and counted against its sensor (freshness over completeness for live streams).
 * One batch per modality is in flight at a time; samples arriving meanwhile queue up.
 */
import type { Sample, SensorModality } from '../../drivers/types.js';
import { errorMessage } from '../errors.js';

export interface EmbedBackend {
  /** Sample → the encoder's input tensor (flat, without batch dim). Throws on bad input. */
  preprocess(sample: Sample): Promise<Float32Array>;
  /** One batched encoder run; returns one L2-normalised embedding per input. */
  embed(modality: SensorModality, inputs: Float32Array[]): Promise<Float32Array[]>;
}

export type DropReason = 'queue_full' | 'preprocess_failed' | 'inference_failed';

export interface SchedulerDeps {
  maxBatch: number;
  maxWaitMs: number;
  queueLength: number;
  backend: EmbedBackend;
  onEmbedding(sample: Sample, embedding: Float32Array): void;
  onDrop(sample: Sample, reason: DropReason, error?: string): void;
}

export interface ModalityStats {
  queued: number;
  batches: number;
  encoded: number;
  dropped: Record<DropReason, number>;
  lastBatchSize: number;
  lastInferenceMs: number;
}

interface ModalityQueue {
  items: Sample[];
  running: boolean;
  timer: NodeJS.Timeout | undefined;
  stats: ModalityStats;
}

export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #queues = new Map<SensorModality, ModalityQueue>();
  readonly #idleWaiters: Array<() => void> = [];
  #stopped = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  submit(sample: Sample): void {
    if (this.#stopped) return;
    const q = this.#queue(sample.modality);
    q.items.push(sample);
    while (q.items.length > this.#deps.queueLength) {
      const dropped = q.items.shift()!;
      q.stats.dropped.queue_full++;
      this.#deps.onDrop(dropped, 'queue_full');
    }
    this.#schedule(sample.modality, q);
  }

  /** Resolves once every queue is empty and no batch is running. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stats(): Record<string, ModalityStats> {
    const out: Record<string, ModalityStats> = {};
    for (const [m, q] of this.#queues)
      out[m] = { ...q.stats, queued: q.items.length, dropped: { ...q.stats.dropped } };
    return out;
  }

  /** Stops taking samples; queued ones are discarded, a running batch finishes. */
  stop(): void {
    this.#stopped = true;
    for (const q of this.#queues.values()) {
      clearTimeout(q.timer);
      q.timer = undefined;
      q.items.length = 0;
    }
    this.#notifyIdle();
  }

  #queue(modality: SensorModality): ModalityQueue {
    let q = this.#queues.get(modality);
    if (!q) {
      q = {
        items: [],
        running: false,
        timer: undefined,
        stats: {
          queued: 0,
          batches: 0,
          encoded: 0,
          dropped: { queue_full: 0, preprocess_failed: 0, inference_failed: 0 },
          lastBatchSize: 0,
          lastInferenceMs: 0,
        },
      };
      this.#queues.set(modality, q);
    }
    return q;
  }

  #schedule(modality: SensorModality, q: ModalityQueue): void {
    if (q.running || q.items.length === 0 || this.#stopped) return;
    if (q.items.length >= this.#deps.maxBatch) {
      clearTimeout(q.timer);
      q.timer = undefined;
      void this.#run(modality, q);
    } else if (!q.timer) {
      q.timer = setTimeout(() => {
        q.timer = undefined;
        void this.#run(modality, q);
      }, this.#deps.maxWaitMs);
    }
  }

  async #run(modality: SensorModality, q: ModalityQueue): Promise<void> {
    if (q.running || q.items.length === 0) return;
    q.running = true;
    const batch = q.items.splice(0, this.#deps.maxBatch);
    try {
      const prepared = await Promise.allSettled(batch.map((s) => this.#deps.backend.preprocess(s)));
      const ok: Sample[] = [];
      const inputs: Float32Array[] = [];
      prepared.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          ok.push(batch[i]);
          inputs.push(r.value);
        } else {
          q.stats.dropped.preprocess_failed++;
          this.#deps.onDrop(batch[i], 'preprocess_failed', errorMessage(r.reason));
        }
      });
      if (inputs.length > 0) await this.#embed(modality, q, ok, inputs);
    } finally {
      q.running = false;
      this.#schedule(modality, q);
      this.#notifyIdle();
    }
  }

  async #embed(
    modality: SensorModality,
    q: ModalityQueue,
    samples: Sample[],
    inputs: Float32Array[],
  ): Promise<void> {
    const started = performance.now();
    let embeddings: Float32Array[];
    try {
      embeddings = await this.#deps.backend.embed(modality, inputs);
    } catch (err) {
      for (const s of samples) {
        q.stats.dropped.inference_failed++;
        this.#deps.onDrop(s, 'inference_failed', errorMessage(err));
      }
      return;
    }
    q.stats.lastInferenceMs = performance.now() - started;
    q.stats.batches++;
    q.stats.encoded += samples.length;
    q.stats.lastBatchSize = samples.length;
    for (const [i, s] of samples.entries()) this.#deps.onEmbedding(s, embeddings[i]);
  }

  #isIdle(): boolean {
    for (const q of this.#queues.values()) if (q.running || q.items.length > 0) return false;
    return true;
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
