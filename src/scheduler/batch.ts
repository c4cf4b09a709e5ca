/**
 * What travels through one modality's pipeline: per-sensor state (rate limit, gating
 * reference, counters) and batch items, with the two decisions made on a batch — which items
 * are gated (reuse an embedding) and which are encoded.
 */
import type { Sample, SensorModality } from '../../drivers/types.js';
import { change, signature } from './gate.js';
import { type DropCounts, type SensorStats, zeroDrops } from './stats.js';

/**
 * A sample that was chosen for encoding: what later samples of its sensor are compared with,
 * and, once its encoder run is done, the embedding they reuse (or `failed`).
 */
export interface Ref {
  readonly signature: Float32Array | null;
  embedding?: Float32Array;
  failed: boolean;
}

export interface SensorState {
  readonly id: string;
  readonly modality: SensorModality;
  weight: number;
  everyMs: number;
  /** Capture time of the last sample taken (not rate-limited), ns. */
  lastTakenT?: bigint;
  /** The last sample chosen for encoding; null until one is, and after its encoding failed. */
  ref: Ref | null;
  /** Span of the last sample delivered (a window's duration; 0 for a frame), ms. */
  spanMs: number;
  submitted: number;
  rateLimited: number;
  encoded: number;
  gated: number;
  readonly dropped: DropCounts;
  lastChange: number;
}

export function newSensorState(id: string, modality: SensorModality, weight = 1, everyMs = 0): SensorState {
  return {
    id,
    modality,
    weight,
    everyMs,
    ref: null,
    spanMs: 0,
    submitted: 0,
    rateLimited: 0,
    encoded: 0,
    gated: 0,
    dropped: zeroDrops(),
    lastChange: -1,
  };
}

export function sensorSnapshot(s: SensorState, queued: number): SensorStats {
  return {
    modality: s.modality,
    priority: s.weight,
    queued,
    submitted: s.submitted,
    rateLimited: s.rateLimited,
    encoded: s.encoded,
    gated: s.gated,
    dropped: { ...s.dropped },
    lastChange: s.lastChange,
  };
}

export interface Item {
  readonly sample: Sample;
  readonly sensor: SensorState;
  readonly enqueuedMs: number;
  /** The encoder input; released once the batch is delivered. */
  tensor: Float32Array | null;
  signature: Float32Array | null;
  /** Set when the item is encoded: its own result, which later items may reuse. */
  own: Ref | null;
  /** Set when the item is gated: the reference whose embedding it reuses. */
  reuse: Ref | null;
  /** Gating change against the reference (−1 when not measured). */
  change: number;
}

/** Time a sample covers, ms: a window's duration, 0 for a frame. */
export function spanMs(sample: Sample): number {
  if (sample.kind !== 'window' || sample.rate <= 0 || sample.channels <= 0) return 0;
  return ((sample.data.length / sample.channels) * 1000) / sample.rate;
}

/**
 * Decides, in batch order, which items reuse their sensor's reference: those whose change
 * against it is below `threshold`. Every other item becomes its sensor's new reference, so a
 * later item of the same sensor in the same batch is compared with it. threshold 0 (or no
 * known input shape) turns gating off.
 */
export function decideGates(
  items: readonly Item[],
  threshold: number,
  shape: readonly number[] | null,
): void {
  for (const it of items) {
    const s = it.sensor;
    it.signature = threshold > 0 && shape !== null && it.tensor ? signature(it.tensor, shape) : null;
    const ref = s.ref;
    if (it.signature !== null && ref !== null && !ref.failed && ref.signature !== null) {
      it.change = change(ref.signature, it.signature);
      s.lastChange = it.change;
      if (it.change < threshold) {
        it.reuse = ref;
        continue;
      }
    }
    it.own = { signature: it.signature, failed: false };
    s.ref = it.own;
  }
}

/**
 * Just before the encoder run: an item gated on a reference whose own run has failed since is
 * encoded after all (its tensor is still there) and takes the failed reference's place; later
 * items that leaned on the same failed reference are compared with it instead.
 */
export function ungateFailed(items: readonly Item[], threshold: number): void {
  const replaced = new Map<Ref, Ref>();
  for (const it of items) {
    const failed = it.reuse;
    if (failed === null || !failed.failed) continue;
    const instead = replaced.get(failed);
    if (instead?.signature && it.signature) {
      const c = change(instead.signature, it.signature);
      if (c < threshold) {
        it.change = c;
        it.reuse = instead;
        continue;
      }
    }
    it.reuse = null;
    it.own = { signature: it.signature, failed: false };
    replaced.set(failed, it.own);
    if (it.sensor.ref === failed || it.sensor.ref === null) it.sensor.ref = it.own;
  }
}
