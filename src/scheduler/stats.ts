/**
 * The scheduler's metrics as plain data, for logs, the bench and a /metrics endpoint: counters
 * per modality and per sensor, and summaries of timings. A summary has Prometheus summary
 * semantics: `count` and `sum` over the whole run, quantiles over the most recent observations.
 */

/** Why a sample was not encoded (and its embedding not reused either). */
export type DropReason = 'queue_full' | 'preprocess_failed' | 'inference_failed';
export const DROP_REASONS: readonly DropReason[] = ['queue_full', 'preprocess_failed', 'inference_failed'];

export interface SummarySnapshot {
  /** Observations over the whole run. */
  count: number;
  /** Their sum (ms), over the whole run. */
  sum: number;
  /** Over the most recent observations (up to Summary.window); 0 when there is none. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** A streaming summary: whole-run count and sum, quantiles over a ring of recent values. */
export class Summary {
  static readonly window = 1024;
  #count = 0;
  #sum = 0;
  readonly #ring = new Float64Array(Summary.window);

  observe(value: number): void {
    this.#ring[this.#count % Summary.window] = value;
    this.#count++;
    this.#sum += value;
  }

  snapshot(): SummarySnapshot {
    const n = Math.min(this.#count, Summary.window);
    const recent = this.#ring.slice(0, n).sort();
    // Nearest-rank quantile over the recent window.
    const q = (p: number) => (n === 0 ? 0 : recent[Math.min(n - 1, Math.ceil(p * n) - 1)]);
    return {
      count: this.#count,
      sum: this.#sum,
      p50: q(0.5),
      p90: q(0.9),
      p99: q(0.99),
      max: n === 0 ? 0 : recent[n - 1],
    };
  }
}

export type DropCounts = Record<DropReason, number>;

export function zeroDrops(): DropCounts {
  return { queue_full: 0, preprocess_failed: 0, inference_failed: 0 };
}

export interface SensorStats {
  modality: string;
  /** Round-robin weight: the highest priority of the rules that use the sensor (1 if none). */
  priority: number;
  /** Samples waiting now. */
  queued: number;
  /** Samples handed to submit(). */
  submitted: number;
  /** Samples skipped because they came sooner than the sensor's everyMs after the last one taken. */
  rateLimited: number;
  /** Samples run through the encoder. */
  encoded: number;
  /** Samples that reused the sensor's last embedding because they barely differed from it. */
  gated: number;
  dropped: DropCounts;
  /** The last gating change measured for this sensor (encoder input units; -1 before any). */
  lastChange: number;
}

export interface ModalityStats {
  /** Samples waiting now, all sensors of the modality. */
  queued: number;
  /** Encoder runs. */
  batches: number;
  encoded: number;
  gated: number;
  dropped: DropCounts;
  /** batchSizes[n] = encoder runs with n inputs (index 0 unused). */
  batchSizes: number[];
  lastBatchSize: number;
  /** Queue entry → start of the encoder run (or reuse, for gated samples), ms. */
  waitMs: SummarySnapshot;
  /** Preprocessing one sample, ms (on a worker or on the event loop). */
  preprocessMs: SummarySnapshot;
  /** One encoder run, ms. */
  inferenceMs: SummarySnapshot;
  /** Capture time → embedding handed to the rules, ms. */
  latencyMs: SummarySnapshot;
}

export interface SchedulerStats {
  modalities: Record<string, ModalityStats>;
  sensors: Record<string, SensorStats>;
  /** Capture time of the sample that caused an event → the event's hand-over to the publisher, ms. */
  eventLatencyMs: SummarySnapshot;
}

/** Live counters of one modality; snapshot() copies them. */
export class ModalityCounters {
  batches = 0;
  encoded = 0;
  gated = 0;
  readonly dropped = zeroDrops();
  readonly batchSizes: number[];
  lastBatchSize = 0;
  readonly waitMs = new Summary();
  readonly preprocessMs = new Summary();
  readonly inferenceMs = new Summary();
  readonly latencyMs = new Summary();

  constructor(maxBatch: number) {
    this.batchSizes = new Array<number>(maxBatch + 1).fill(0);
  }

  recordBatch(size: number, ms: number): void {
    this.batches++;
    this.encoded += size;
    this.lastBatchSize = size;
    this.batchSizes[size] = (this.batchSizes[size] ?? 0) + 1;
    this.inferenceMs.observe(ms);
  }

  snapshot(queued: number): ModalityStats {
    return {
      queued,
      batches: this.batches,
      encoded: this.encoded,
      gated: this.gated,
      dropped: { ...this.dropped },
      batchSizes: [...this.batchSizes],
      lastBatchSize: this.lastBatchSize,
      waitMs: this.waitMs.snapshot(),
      preprocessMs: this.preprocessMs.snapshot(),
      inferenceMs: this.inferenceMs.snapshot(),
      latencyMs: this.latencyMs.snapshot(),
    };
  }
}
