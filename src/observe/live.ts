/**
 * What the live page and the metrics show that the pipeline itself does not keep: each sensor's
 * latest sample and embedding and its recent sample rate, each rule's score over the last
 * minutes, the recent events and the event counts. Fed by the agent's hooks (AgentDeps.onSample,
 * onEvent, tap); memory is bounded: one sample and one embedding per sensor, `historyMs` of
 * scores in `bucketMs` buckets per rule, `maxEvents` events.
 */
import type { Sample, SensorModality } from '../../drivers/types.js';
import type { BindsightEvent } from '../publish/event.js';
import type { AgentTap } from './types.js';

export interface LiveOptions {
  /** How much score history each rule keeps, ms (default 5 minutes). */
  historyMs?: number;
  /** Scores are kept at most one per bucket (the bucket's highest value), ms (default 250). */
  bucketMs?: number;
  /** Recent events kept (default 50). */
  maxEvents?: number;
  /** Window over which sample rates are measured, ms (default 10 s). */
  rateWindowMs?: number;
  now?: () => number;
}

export interface LatestEmbedding {
  modality: SensorModality;
  /** Capture time, ns. */
  t: bigint;
  /** When it arrived, ms since the epoch. */
  at: number;
  vector: Float32Array;
}

/** [arrival ms since the epoch, value in threshold units, score 0–1] */
export type ScorePoint = [number, number, number];

export class LiveState {
  readonly #historyMs: number;
  readonly #bucketMs: number;
  readonly #maxEvents: number;
  readonly #rateWindowMs: number;
  readonly #now: () => number;
  readonly #samples = new Map<string, Sample>();
  readonly #arrivals = new Map<string, number[]>();
  readonly #embeddings = new Map<string, LatestEmbedding>();
  readonly #scores = new Map<string, ScorePoint[]>();
  readonly #events: BindsightEvent[] = [];
  readonly #eventCounts = new Map<string, Map<string, number>>();

  constructor(opts: LiveOptions = {}) {
    this.#historyMs = opts.historyMs ?? 300_000;
    this.#bucketMs = opts.bucketMs ?? 250;
    this.#maxEvents = opts.maxEvents ?? 50;
    this.#rateWindowMs = opts.rateWindowMs ?? 10_000;
    this.#now = opts.now ?? Date.now;
  }

  /** The hooks to hand to the Agent (AgentDeps.tap). */
  readonly tap: AgentTap = {
    onEmbedding: (sensor, modality, t, vector) =>
      this.#embeddings.set(sensor, { modality, t, at: this.#now(), vector }),
    onScore: (rule, score, value) => this.#onScore(rule, score, value),
  };

  onSample(sample: Sample): void {
    this.#samples.set(sample.sensor, sample);
    const list = this.#arrivals.get(sample.sensor) ?? [];
    const now = this.#now();
    list.push(now);
    // Bounded: drop what fell out of the window, and never keep more than 4096 arrivals.
    const cut = now - this.#rateWindowMs;
    let drop = 0;
    while (drop < list.length && (list[drop] < cut || list.length - drop > 4096)) drop++;
    if (drop > 0) list.splice(0, drop);
    this.#arrivals.set(sample.sensor, list);
  }

  onEvent(e: BindsightEvent): void {
    this.#events.push(e);
    if (this.#events.length > this.#maxEvents) this.#events.splice(0, this.#events.length - this.#maxEvents);
    const byType = this.#eventCounts.get(e.rule) ?? new Map<string, number>();
    byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    this.#eventCounts.set(e.rule, byType);
  }

  latestSample(sensor: string): Sample | undefined {
    return this.#samples.get(sensor);
  }

  latestEmbedding(sensor: string): LatestEmbedding | undefined {
    return this.#embeddings.get(sensor);
  }

  /** Samples per second over the last rate window (0 when none arrived in it). */
  sampleRate(sensor: string): number {
    const list = this.#arrivals.get(sensor);
    const now = this.#now();
    if (!list) return 0;
    const recent = list.filter((a) => a >= now - this.#rateWindowMs);
    if (recent.length === 0) return 0;
    // Over the time since the oldest arrival in the window (at least 1 s): a sensor that stops
    // decays towards 0 instead of keeping its last rate.
    return recent.length / (Math.max(1000, now - recent[0]) / 1000);
  }

  /** A rule's score points that arrived after `sinceMs`, oldest first. */
  scoreHistory(rule: string, sinceMs = 0): ScorePoint[] {
    const points = this.#scores.get(rule) ?? [];
    return points.filter((p) => p[0] > sinceMs);
  }

  /** The most recent events, oldest first. */
  recentEvents(): readonly BindsightEvent[] {
    return this.#events;
  }

  /** Events published since start: rule → type → count. */
  eventCounts(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.#eventCounts;
  }

  #onScore(rule: string, score: number, value: number): void {
    const now = this.#now();
    const points = this.#scores.get(rule) ?? [];
    this.#scores.set(rule, points);
    const last = points.at(-1);
    const bucket = Math.floor(now / this.#bucketMs) * this.#bucketMs;
    if (last && last[0] >= bucket) {
      // Same bucket: keep the highest value, so a short spike is never hidden by thinning.
      if (value >= last[1]) points[points.length - 1] = [last[0], value, score];
    } else {
      points.push([now, value, score]);
    }
    const cut = now - this.#historyMs;
    let drop = 0;
    while (drop < points.length && points[drop][0] < cut) drop++;
    if (drop > 0) points.splice(0, drop);
  }
}
