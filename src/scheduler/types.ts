/** The scheduler's contract with the agent: what it is given and what it hands back. */
import type { Sample, SensorModality } from '../../drivers/types.js';
import type { DropReason } from './stats.js';

export interface EmbedBackend {
  /** Sample → the encoder's input tensor (flat, without batch dim). Rejects on bad input. */
  preprocess(sample: Sample): Promise<Float32Array>;
  /** One batched encoder run; returns one L2-normalised embedding per input, in order. */
  embed(modality: SensorModality, inputs: Float32Array[]): Promise<Float32Array[]>;
  /** The encoder's per-sample input shape (no batch axis); gating needs it, null turns gating off. */
  inputShape?(modality: SensorModality): readonly number[] | null;
}

export interface SensorPolicy {
  /** Take at most one sample per this many ms of capture time (0 = every sample). */
  everyMs?: number;
  /** Round-robin weight within the modality (≥ 1). */
  priority?: number;
}

/** How an embedding came about, for latency accounting. */
export interface EmbeddingInfo {
  /** True when the sample reused its sensor's last embedding (change below the gate). */
  gated: boolean;
  /** Gating change measured against the reference, −1 when not measured. */
  change: number;
  /** Queue entry → encoder run start, ms. */
  waitMs: number;
  /** The encoder run the embedding came from (0 for a gated sample delivered with no run). */
  inferenceMs: number;
  /** Inputs in that run. */
  batchSize: number;
}

export interface SchedulerDeps {
  maxBatch: number;
  maxWaitMs: number;
  /** Samples each sensor may have waiting; beyond it its oldest is dropped ('queue_full'). */
  queueLength: number;
  /** Encoder runs in flight at once across modalities (default 1). */
  concurrency?: number;
  /** Per-modality gating threshold (encoder input units; 0 or absent = off). */
  gate?: Partial<Record<SensorModality, number>>;
  /** Per-sensor rate limit and priority; sensors not listed get everyMs 0, priority 1. */
  sensors?: Readonly<Record<string, SensorPolicy>>;
  backend: EmbedBackend;
  onEmbedding(sample: Sample, embedding: Float32Array, info: EmbeddingInfo): void;
  onDrop(sample: Sample, reason: DropReason, error?: string): void;
}
