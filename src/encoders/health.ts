/**
 * Embedding health: every raw output row of one modality's encoder is checked for the ways an
 * encoder fails silently — NaN/Inf, a norm far from what the pack says its outputs have, and
 * near-identical embeddings for clearly different inputs (a collapsed encoder, the failure that
 * broken quantisation or graph optimisation produces: the model still runs, every answer is
 * the same). A problem moves the modality to `degraded` with a reason that says what was seen;
 * it returns to `ok` after `recoverRows` healthy rows in a row. State changes are logged once
 * (warn on degrade, info on recovery) and counted (drivers/health.ts HealthTracker).
 */
import type { Logger } from 'pino';
import { HealthTracker } from '../../drivers/health.js';
import type { Modality } from '../../drivers/types.js';
import type { HealthSpec } from '../../models/manifest.js';
import { cosine } from './cosine.js';

/** An encoder input row: float32 for sensors, integer ids for text. */
export type HealthInput = Float32Array | BigInt64Array | Int32Array;

export interface EmbeddingHealthOptions {
  modality: Modality;
  /** The model file, for messages. */
  file: string;
  /** pack.json outputScale: the raw row norm ImageBind-style postprocessors produce. */
  outputScale: number;
  spec: HealthSpec;
  logger?: Logger;
  /** Outputs at least this cosine apart count as near-identical (default 0.9999). */
  collapseCosine?: number;
  /** Float inputs at least this relative L2 distance apart count as clearly different (default 0.1). */
  distinctInput?: number;
  /** Consecutive near-identical pairs of different inputs that mark a collapse (default 16). */
  collapseRun?: number;
  /** Healthy rows in a row after which a degraded modality is ok again (default 64). */
  recoverRows?: number;
}

export interface EmbeddingHealthSnapshot {
  readonly modality: Modality;
  readonly state: 'ok' | 'degraded';
  readonly reason: string;
  /** rows, batches, non_finite_rows, norm_out_of_range_rows, distinct_pairs, collapsed_pairs, errors. */
  readonly counters: Readonly<Record<string, number>>;
  readonly normRange: readonly [number, number];
  /** Norm of the last finite raw row, or null before the first. */
  readonly lastNorm: number | null;
}

const COUNTERS = [
  'rows',
  'batches',
  'non_finite_rows',
  'norm_out_of_range_rows',
  'distinct_pairs',
  'collapsed_pairs',
] as const;

/** ‖a − b‖ / max(‖a‖, ‖b‖) for float rows; 1 when integer rows (token ids) differ at all, else 0. */
export function inputDistance(a: HealthInput, b: HealthInput): number {
  if (a.length !== b.length) return 1;
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return 1;
    return 0;
  }
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    diff += d * d;
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(Math.max(na, nb)), 1e-12);
}

const fmt = (x: number): string =>
  Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toFixed(4) : x.toExponential(3);

export class EmbeddingHealth {
  readonly modality: Modality;
  readonly normRange: readonly [number, number];
  private readonly tracker = new HealthTracker({
    initial: 'ok',
    reason: 'no embeddings yet',
    counters: COUNTERS,
  });
  private readonly opts: Required<Omit<EmbeddingHealthOptions, 'logger' | 'spec'>> & { spec: HealthSpec };
  private prev: { input: HealthInput; output: Float32Array } | null = null;
  private collapsedRun = 0;
  private healthyStreak = 0;
  private lastNorm: number | null = null;

  constructor(options: EmbeddingHealthOptions) {
    this.modality = options.modality;
    this.opts = {
      collapseCosine: 0.9999,
      distinctInput: 0.1,
      collapseRun: 16,
      recoverRows: 64,
      ...options,
    };
    const s = options.outputScale;
    this.normRange = options.spec.normRange ?? [0.05 * s, 1.05 * s];
    const log = options.logger;
    this.tracker.on('change', (c) => {
      const entry = { modality: this.modality, file: options.file, state: c.to, reason: c.reason };
      if (c.to === 'ok') log?.info(entry, 'embedding health recovered');
      else log?.warn(entry, 'embedding health degraded');
    });
  }

  /** Subscribes to ok ⇄ degraded changes; returns the unsubscribe function. */
  onChange(listener: (snapshot: EmbeddingHealthSnapshot) => void): () => void {
    return this.tracker.on('change', () => listener(this.snapshot()));
  }

  snapshot(): EmbeddingHealthSnapshot {
    const { state, counters } = this.tracker.snapshot();
    return {
      modality: this.modality,
      state: state === 'ok' ? 'ok' : 'degraded',
      reason: this.tracker.reason,
      counters,
      normRange: this.normRange,
      lastNorm: this.lastNorm,
    };
  }

  private degrade(reason: string): void {
    this.tracker.set('degraded', `${this.modality} (${this.opts.file}): ${reason}`);
  }

  /**
   * Checks one batch: `raw` holds inputs.length rows of `dim` values as the model returned them.
   * Returns how many rows hold NaN or Inf (the caller refuses those rows).
   */
  observe(inputs: readonly HealthInput[], raw: Float32Array, dim: number): { nonFinite: number } {
    this.tracker.count('batches');
    let nonFinite = 0;
    inputs.forEach((input, r) => {
      const row = raw.subarray(r * dim, (r + 1) * dim);
      this.tracker.count('rows');
      const verdict = this.checkRow(row, r, inputs.length);
      if (verdict === 'non-finite') {
        nonFinite++;
        this.healthyStreak = 0;
        return;
      }
      const collapsed = this.opts.spec.collapse ? this.checkCollapse(input, row) : false;
      this.prev = { input, output: row.slice() };
      this.healthyStreak = verdict === 'ok' && !collapsed ? this.healthyStreak + 1 : 0;
      if (this.tracker.state !== 'ok' && this.healthyStreak >= this.opts.recoverRows) {
        this.tracker.set('ok', `${this.opts.recoverRows} healthy rows in a row`);
      }
    });
    return { nonFinite };
  }

  /** NaN/Inf and norm checks. */
  private checkRow(row: Float32Array, r: number, rows: number): 'ok' | 'bad-norm' | 'non-finite' {
    let sum = 0;
    for (const v of row) sum += v * v;
    if (!Number.isFinite(sum)) {
      this.tracker.count('non_finite_rows');
      this.degrade(`output row ${r + 1} of ${rows} holds NaN or Inf`);
      return 'non-finite';
    }
    const norm = Math.sqrt(sum);
    this.lastNorm = norm;
    const [lo, hi] = this.normRange;
    if (norm < lo || norm > hi) {
      this.tracker.count('norm_out_of_range_rows');
      this.degrade(
        `output norm ${fmt(norm)} is outside [${fmt(lo)}, ${fmt(hi)}] (pack.json outputScale ${this.opts.outputScale}; ` +
          'set health.normRange for a model whose outputs are not normalised)',
      );
      return 'bad-norm';
    }
    return 'ok';
  }

  /** Compares the row with the previous one; true when it is a near-identical pair of different inputs. */
  private checkCollapse(input: HealthInput, row: Float32Array): boolean {
    if (this.prev === null) return false;
    const distance = inputDistance(this.prev.input, input);
    if (distance < this.opts.distinctInput) return false;
    this.tracker.count('distinct_pairs');
    const cos = cosine(this.prev.output, row);
    if (cos < this.opts.collapseCosine) {
      this.collapsedRun = 0;
      return false;
    }
    this.tracker.count('collapsed_pairs');
    this.collapsedRun++;
    if (this.collapsedRun >= this.opts.collapseRun) {
      this.degrade(
        `${this.collapsedRun} consecutive pairs of clearly different inputs (distance ≥ ${this.opts.distinctInput}) ` +
          `gave near-identical embeddings (cosine ${fmt(cos)} ≥ ${this.opts.collapseCosine}): the encoder looks collapsed ` +
          '(a broken export or quantisation?)',
      );
    }
    return true;
  }
}
