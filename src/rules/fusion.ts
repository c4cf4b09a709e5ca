/**
 * Fusion of one rule's sensors (issue #9). Sensors run at very different rates (a 30 fps
 * camera, a 4 Hz thermal array, 1 s IMU and audio windows), so each sample is aligned with the
 * other sensors' samples on capture time: a sample covers [t, t + span] (a Window spans its
 * samples, a Frame is an instant) and two samples align when those intervals are at most
 * `align` apart. The nearest aligned sample of each sensor is used.
 *
 * - any: the highest sensor value (one sensor seeing it is enough);
 * - all: the lowest (every sensor must see it);
 * - mean: the weighted mean;
 * - embedding: the weighted sum of the unit embeddings, re-normalised, scored as one embedding
 *   (ImageBind's embedding arithmetic: e.g. thermal + audio for "a person talking").
 * any uses the sensors that have an aligned sample; the others need every sensor.
 */
import type { SensorModality } from '../../drivers/types.js';
import type { FusionMode } from './config.js';

export interface SensorReading {
  sensor: string;
  modality: SensorModality;
  /** Capture time of the sample and the end of what it covers, ns. */
  t: bigint;
  end: bigint;
  /** Threshold units; undefined while a z-score baseline warms up. */
  value: number | undefined;
  /** 0–1 score for the wire. */
  score: number;
  /** Index of the best-matching prompt. */
  best: number;
  embedding: Float32Array;
}

/** How many samples per sensor a rule keeps for alignment, and how far back (beyond `align`). */
const MAX_ENTRIES = 64;
const HORIZON_NS = 30_000_000_000n;

export class SensorHistory {
  readonly #entries: SensorReading[] = [];

  push(r: SensorReading): void {
    this.#entries.push(r);
    let newest = r.end;
    for (const e of this.#entries) if (e.end > newest) newest = e.end;
    while (
      this.#entries.length > MAX_ENTRIES ||
      (this.#entries.length > 1 && this.#entries[0].end < newest - HORIZON_NS)
    )
      this.#entries.shift();
  }

  latest(): SensorReading | undefined {
    return this.#entries.at(-1);
  }

  /** The sample nearest to [t, end], if within alignNs; ties go to the newer one. */
  nearest(t: bigint, end: bigint, alignNs: bigint): SensorReading | undefined {
    let best: SensorReading | undefined;
    let bestGap = 0n;
    for (const e of this.#entries) {
      const gap = intervalGap(t, end, e.t, e.end);
      if (gap <= alignNs && (best === undefined || gap <= bestGap)) {
        best = e;
        bestGap = gap;
      }
    }
    return best;
  }
}

function intervalGap(a0: bigint, a1: bigint, b0: bigint, b1: bigint): bigint {
  if (b0 > a1) return b0 - a1;
  if (a0 > b1) return a0 - b1;
  return 0n;
}

/** The cause reading plus, for every other sensor, its sample aligned with it (missing ones left out). */
export function alignReadings(
  sensors: readonly string[],
  histories: ReadonlyMap<string, SensorHistory>,
  cause: SensorReading,
  alignNs: bigint,
): SensorReading[] {
  const out: SensorReading[] = [];
  for (const sensor of sensors) {
    if (sensor === cause.sensor) out.push(cause);
    else {
      const r = histories.get(sensor)?.nearest(cause.t, cause.end, alignNs);
      if (r) out.push(r);
    }
  }
  return out;
}

export interface FusedValue {
  value: number | undefined;
  /** The reading that decided (the highest for any/mean, the lowest for all). */
  top: SensorReading;
}

/** Fuses per-sensor values (any, all, mean); undefined when a needed sensor has no value. */
export function fuseValues(
  mode: Exclude<FusionMode, 'embedding'>,
  readings: readonly SensorReading[],
  sensors: readonly string[],
  weights: Readonly<Record<string, number>> = {},
): FusedValue {
  const valued = readings.filter((r) => r.value !== undefined);
  const byValue = [...valued].sort((a, b) => (b.value as number) - (a.value as number));
  const top = byValue[0] ?? readings[0];
  if (mode === 'any') return { value: byValue[0]?.value, top };
  if (valued.length < sensors.length) return { value: undefined, top };
  if (mode === 'all') return { value: byValue.at(-1)?.value, top: byValue.at(-1) ?? top };
  let sum = 0;
  let total = 0;
  for (const r of valued) {
    const w = weights[r.sensor] ?? 1;
    sum += w * (r.value as number);
    total += w;
  }
  return { value: sum / total, top };
}

/** Weighted sum of unit embeddings, re-normalised; undefined unless every sensor has one. */
export function fuseEmbeddings(
  readings: readonly SensorReading[],
  sensors: readonly string[],
  weights: Readonly<Record<string, number>> = {},
): Float32Array | undefined {
  if (readings.length < sensors.length || readings.length === 0) return undefined;
  const out = new Float32Array(readings[0].embedding.length);
  for (const r of readings) {
    const w = weights[r.sensor] ?? 1;
    for (let i = 0; i < out.length; i++) out[i] += w * r.embedding[i];
  }
  return normalize(out);
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.max(Math.sqrt(s), 1e-12);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}
