/**
 * Prometheus summary and histogram families whose samples come from counters the pipeline
 * already keeps (src/scheduler/stats.ts: whole-run count and sum, quantiles of recent values,
 * batch-size counts). prom-client's Summary and Histogram can only observe() values one by one;
 * these read a snapshot at scrape time instead, as its collectors are meant to.
 *
 * Built on Gauge: prom-client's registry only calls get() (lib/registry.js getMetricsAsString)
 * and writes `type` and each value's metricName and labels as given.
 */
import { Gauge, type MetricType } from 'prom-client';

type Labels = Record<string, string | number>;

export interface SummarySource {
  labels: Labels;
  /** Over the whole run. */
  count: number;
  sum: number;
  /** quantile (0–1) → value. */
  quantiles: ReadonlyArray<readonly [number, number]>;
}

export interface HistogramSource {
  labels: Labels;
  /** Upper bounds (ascending) with the number of observations in each bucket (not cumulative). */
  buckets: ReadonlyArray<readonly [number, number]>;
  sum: number;
}

interface FamilyValue {
  value: number;
  labels: Labels;
  metricName: string;
}

class SnapshotFamily extends Gauge<string> {
  readonly #name: string;
  readonly #help: string;
  readonly #kind: 'summary' | 'histogram';
  readonly #read: () => FamilyValue[];

  constructor(cfg: { name: string; help: string }, kind: 'summary' | 'histogram', read: () => FamilyValue[]) {
    super({ name: cfg.name, help: cfg.help, registers: [] });
    this.#name = cfg.name;
    this.#help = cfg.help;
    this.#kind = kind;
    this.#read = read;
  }

  override async get() {
    return {
      name: this.#name,
      help: this.#help,
      // prom-client's typings declare `type` as a numeric enum; its runtime writes the string
      // ('summary', 'histogram': lib/summary.js, lib/histogram.js), which is what this is.
      type: this.#kind as unknown as MetricType,
      values: this.#read(),
      aggregator: 'sum' as const,
      collect: () => {},
    };
  }
}

export function snapshotSummary(
  cfg: { name: string; help: string },
  read: () => SummarySource[],
): Gauge<string> {
  return new SnapshotFamily(cfg, 'summary', () =>
    read().flatMap((s) => [
      // A quantile of no recent values is NaN, which prom-client writes as "Nan": leave it out.
      ...s.quantiles
        .filter(([, value]) => !Number.isNaN(value))
        .map(([q, value]) => ({
          value,
          labels: { ...s.labels, quantile: q },
          metricName: cfg.name,
        })),
      { value: s.sum, labels: s.labels, metricName: `${cfg.name}_sum` },
      { value: s.count, labels: s.labels, metricName: `${cfg.name}_count` },
    ]),
  );
}

export function snapshotHistogram(
  cfg: { name: string; help: string },
  read: () => HistogramSource[],
): Gauge<string> {
  return new SnapshotFamily(cfg, 'histogram', () =>
    read().flatMap((h) => {
      let cumulative = 0;
      const buckets = h.buckets.map(([le, n]) => {
        cumulative += n;
        return { value: cumulative, labels: { ...h.labels, le }, metricName: `${cfg.name}_bucket` };
      });
      return [
        ...buckets,
        { value: cumulative, labels: { ...h.labels, le: '+Inf' }, metricName: `${cfg.name}_bucket` },
        { value: h.sum, labels: h.labels, metricName: `${cfg.name}_sum` },
        { value: cumulative, labels: h.labels, metricName: `${cfg.name}_count` },
      ];
    }),
  );
}
