/**
 * The stable keys of bench/results.json (issue #12): each headline figure as a median with min and
 * max, taken from whichever benchmark measured it. A key lists candidate paths into the benches'
 * JSON, best first (the full agent before the scheduler-only bench), so one bench's absence or a
 * change of its JSON leaves the key null and says so, instead of failing the run.
 */
import { type Stat, stat } from './stats.js';

export interface KeySpec {
  /** What the figure is, for the tables. */
  what: string;
  /** Candidate sources: "bench.path.to.value"; a Stat ({median, min, max}) or a plain number. */
  from: readonly string[];
}

export const STABLE_KEYS = {
  pipeline_vs_raw_throughput: {
    what: 'full agent (replay → preprocess → scheduler → encoder → rules → MQTT) ÷ raw session.run, images/s, batch 8',
    from: ['pipeline.pipelineOverRaw', 'scheduler.throughput.pipelineOverRaw'],
  },
  pipeline_vs_transformersjs_throughput: {
    what: 'bindsight full agent ÷ transformers.js zero-shot pipeline (1 image per call), images/s, same weights',
    from: ['transformersjs.overPipeline1'],
  },
  // bench/quantize.ts (the quantizer's own bench) gives one ratio of medians and the worst cosine
  // per model size, not per-repeat ratios with min and max: its table is shown, the keys come
  // from bench/int8.ts on the bench pack itself.
  int8_vs_fp32_speed: {
    what: 'int8 ÷ fp32 samples/s, bench pack vision encoder, batch 8',
    from: ['int8.speedVision'],
  },
  int8_vs_fp32_cosine: {
    what: 'cosine of fp32 and int8 embeddings of the same inputs, all six encoders',
    from: ['int8.cosineAll'],
  },
  batched_vs_unbatched_throughput: {
    what: 'full agent maxBatch 8 ÷ maxBatch 1, images/s, 4 replay cameras',
    from: ['pipeline.batchedOverUnbatched', 'scheduler.throughput.batchedOverUnbatched'],
  },
  gating_encoder_calls_saved: {
    what: 'share of encoder inputs saved by change gating on a mostly static multi-sensor replay',
    from: ['scheduler.gating.saved'],
  },
  latency_non_inference_p99_ms: {
    what: 'p99 of capture → rules latency minus the encoder run, 4 live cameras at half capacity, ms',
    from: ['pipeline.live.notInferenceP99Ms'],
  },
  rss_demo_mb: {
    what: 'peak RSS of the agent with the demo pack (config/default.yaml), MB',
    from: ['resources.cases.demo.peakRssMb'],
  },
  event_loop_delay_p99_ms: {
    what: 'event-loop delay p99, 4 live cameras at half capacity on the bench pack, ms',
    from: ['pipeline.live.loopDelayP99Ms', 'scheduler.latency.workers.loopDelayP99'],
  },
  // Beyond the list.
  rss_bench_mb: {
    what: 'peak RSS of the agent with the bench pack (6 encoders, 5 sensors), MB',
    from: ['resources.cases.bench.peakRssMb'],
  },
  memory_per_stream_mb: {
    what: 'peak RSS per extra 640×480 camera at 1 fps, MB',
    from: ['resources.perCameraRssMb'],
  },
  cpu_per_stream_pct: {
    what: 'CPU per extra 640×480 camera at 1 fps, % of one core',
    from: ['resources.perCameraCpuPct'],
  },
  int8_vs_fp32_size: {
    what: 'int8 ÷ fp32 bytes, whole bench pack',
    from: ['int8.packBytes.ratio'],
  },
  event_loop_delay_p99_encoders_on_loop_ms: {
    what: 'the same, with the sensor encoders on the event loop (models.inferenceWorker: false), ms',
    from: ['pipeline.liveOnLoop.loopDelayP99Ms'],
  },
  inference_worker_vs_event_loop_throughput: {
    what: 'full agent with the sensor encoders on the inference worker ÷ on the event loop, images/s',
    from: ['pipeline.workerOverOnLoop'],
  },
  scheduler_vs_raw_throughput: {
    what: 'scheduler stage alone (no replay, rules or MQTT) ÷ raw session.run (bench/scheduler.ts)',
    from: ['scheduler.throughput.pipelineOverRaw'],
  },
  pipeline_cpu_ceiling: {
    what: 'raw CPU per image ÷ full agent CPU per image: the highest full agent ÷ raw these CPU cores allow',
    from: ['pipeline.cpuCeiling'],
  },
  scheduler_worker_vs_raw_throughput: {
    what: 'the same with the encoder on the inference worker thread (the agent default) ÷ raw session.run',
    from: ['scheduler.throughput.workerOverRaw'],
  },
} as const satisfies Record<string, KeySpec>;

export type StableKey = keyof typeof STABLE_KEYS;

export interface KeyValue extends Stat {
  /** The path it came from. */
  source: string;
}

function at(root: unknown, path: string): unknown {
  let x = root;
  for (const part of path.split('.')) {
    if (typeof x !== 'object' || x === null) return undefined;
    x = (x as Record<string, unknown>)[part];
  }
  return x;
}

/** A Stat from a JSON value: {median, min, max[, runs]} or a finite number (one run); else null. */
export function asStat(x: unknown): Stat | null {
  if (typeof x === 'number') return Number.isFinite(x) ? stat([x]) : null;
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  const nums = [o.median, o.min, o.max];
  if (!nums.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  const runs = typeof o.runs === 'number' ? o.runs : 1;
  return { median: o.median as number, min: o.min as number, max: o.max as number, runs };
}

/** Every stable key from the benches' JSON (keyed by bench name); null where no source has it. */
export function stableKeys(benches: Readonly<Record<string, unknown>>): Record<StableKey, KeyValue | null> {
  const out = {} as Record<StableKey, KeyValue | null>;
  for (const [key, spec] of Object.entries(STABLE_KEYS) as [StableKey, KeySpec][]) {
    out[key] = null;
    for (const source of spec.from) {
      const s = asStat(at(benches, source));
      if (s) {
        out[key] = { ...s, source };
        break;
      }
    }
  }
  return out;
}
