/**
 * Measurements for bench/scheduler.ts on a generated ViT (models/onnx/vit.ts): raw
 * session.run throughput, the scheduler pipeline's throughput on saturated camera streams,
 * and capture-to-embedding latency on live-rate streams with the event loop's delay.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Frame } from '../drivers/types.js';
import { IMAGEBIND_PREPROCESS, modalitySpecSchema } from '../models/manifest.js';
import { buildVitEncoder, type VitEncoderOptions } from '../models/onnx/vit.js';
import { Encoder } from '../src/encoders/encoder.js';
import { InferenceWorker } from '../src/encoders/remote.js';
import { OnnxSession } from '../src/encoders/session.js';
import { preprocessSample } from '../src/preprocess/index.js';
import { PreprocessPool } from '../src/preprocess/workerPool.js';
import { Scheduler } from '../src/scheduler/scheduler.js';

export interface Vit {
  session: OnnxSession;
  encoder: Encoder;
  /** The same model on the agent's inference worker thread (models.inferenceWorker, the default). */
  workerEncoder: Encoder;
  close(): Promise<void>;
}

const INPUT = 'input';
const OUTPUT = 'embedding';

/** A ViT vision encoder of ImageBind's vision I/O ([batch, 3, 224, 224] → [batch, embeddingDim]). */
export async function openVit(o: Omit<VitEncoderOptions, 'inputShape'>): Promise<Vit> {
  const dir = mkdtempSync(join(tmpdir(), 'bindsight-vit-'));
  const file = join(dir, 'vision.onnx');
  const shape = [3, 224, 224];
  writeFileSync(file, buildVitEncoder({ ...o, inputShape: shape, inputName: INPUT, outputName: OUTPUT }));
  const session = await OnnxSession.open(file, ['cpu']);
  const spec = modalitySpecSchema.parse({
    file: 'vision.onnx',
    sha256: '0'.repeat(64),
    input: { name: INPUT, shape: ['batch', ...shape], dtype: 'float32' },
    output: { name: OUTPUT, shape: ['batch', o.embeddingDim], dtype: 'float32' },
    preprocess: IMAGEBIND_PREPROCESS.vision,
  });
  const encoder = new Encoder({ modality: 'vision', spec, session, embeddingDim: o.embeddingDim });
  const worker = new InferenceWorker();
  const remote = await worker.open(file, ['cpu']);
  const workerEncoder = new Encoder({
    modality: 'vision',
    spec,
    session: remote,
    embeddingDim: o.embeddingDim,
  });
  return {
    session,
    encoder,
    workerEncoder,
    close: async () => {
      await session.close();
      await worker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A deterministic rgb24 test picture with texture (so preprocessing has real work). */
export function picture(w: number, h: number, seed: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = ((i * 2654435761 + seed * 40503) >>> 13) & 0xff;
  return px;
}

export function frame(sensor: string, data: Uint8Array, w: number, h: number, tMs = Date.now()): Frame {
  return {
    kind: 'frame',
    sensor,
    modality: 'vision',
    t: BigInt(Math.round(tMs * 1e6)),
    width: w,
    height: h,
    format: 'rgb24',
    data,
  };
}

/** Samples per second of back-to-back session.run calls on one prepared batch: the limit. */
export async function rawThroughput(vit: Vit, batch: number, durationMs: number): Promise<number> {
  const size = vit.encoder.sampleSize;
  const data = new Float32Array(batch * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
  const feed = { [INPUT]: { dtype: 'float32' as const, data, dims: [batch, ...vit.encoder.sampleShape] } };
  await vit.session.run(feed);
  let runs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < durationMs) {
    await vit.session.run(feed);
    runs++;
  }
  return (runs * batch) / ((performance.now() - t0) / 1000);
}

function preprocessor(vit: Vit, workers: number) {
  const pool = workers > 0 ? new PreprocessPool({ size: workers }) : null;
  const p = vit.encoder.spec.preprocess;
  return {
    run: (s: Frame) => (pool ? pool.run(s, p) : preprocessSample(s, p)),
    close: async () => pool?.close(),
  };
}

export interface PipelineOptions {
  streams: number;
  maxBatch: number;
  workers: number;
  durationMs: number;
  /** Camera frame size (rgb24). */
  width: number;
  height: number;
  /** Run the encoder on the inference worker thread (as the agent does by default). */
  onWorker?: boolean;
}

/**
 * Embeddings per second through the scheduler (preprocessing on workers, Encoder.embed) with
 * `streams` cameras that always have frames waiting: each delivered frame is replaced at once,
 * so a full batch is always waiting and nothing is dropped.
 */
export interface PipelineResult {
  /** Embeddings per second. */
  rate: number;
  /** Share of the wall time the encoder was running (1 = never idle). */
  busy: number;
  /** Mean inputs per encoder run. */
  meanBatch: number;
  dropped: number;
}

export async function pipelineThroughput(vit: Vit, o: PipelineOptions): Promise<PipelineResult> {
  const pre = preprocessor(vit, o.workers);
  const pics = Array.from({ length: 4 }, (_, i) => picture(o.width, o.height, i));
  let delivered = 0;
  let dropped = 0;
  let counting = false;
  let n = 0;
  let first: number | undefined;
  let last = 0;
  let firstGroup = 0;
  const next = (sensor: string) =>
    scheduler.submit(frame(sensor, pics[n++ % pics.length], o.width, o.height));
  const scheduler: Scheduler = new Scheduler({
    maxBatch: o.maxBatch,
    maxWaitMs: 50,
    queueLength: 1000,
    backend: {
      preprocess: (s) => pre.run(s as Frame),
      embed: (_m, xs) => (o.onWorker ? vit.workerEncoder : vit.encoder).embed(xs),
    },
    onEmbedding: (s) => {
      if (counting) {
        const now = performance.now();
        if (first === undefined) {
          first = now;
          // A run's embeddings are handed over in one synchronous turn: count from its end.
          queueMicrotask(() => {
            firstGroup = delivered;
          });
        }
        last = now;
        delivered++;
      }
      next(s.sensor);
    },
    onDrop: () => {
      dropped++;
    },
  });
  const backlog = Math.max(2, Math.ceil((3 * o.maxBatch) / o.streams));
  for (let s = 0; s < o.streams; s++) for (let i = 0; i < backlog; i++) next(`cam${s}`);
  await new Promise((r) => setTimeout(r, Math.min(1000, o.durationMs / 4))); // warm-up
  const vision = () => scheduler.stats().modalities.vision;
  const before = vision();
  counting = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, o.durationMs));
  const elapsed = performance.now() - t0;
  counting = false;
  const after = vision();
  await scheduler.stop();
  await pre.close();
  const runs = after.inferenceMs.count - before.inferenceMs.count;
  // Timed over whole encoder runs, from the first to the last one completing in the window, so
  // the few large batches of a slow model do not quantise the rate (as bench/agentHarness.ts).
  const rate = first !== undefined && last > first ? (delivered - firstGroup) / ((last - first) / 1000) : 0;
  return {
    rate,
    busy: (after.inferenceMs.sum - before.inferenceMs.sum) / elapsed,
    meanBatch: runs > 0 ? (after.encoded - before.encoded) / runs : 0,
    dropped,
  };
}

export interface LatencyOptions extends PipelineOptions {
  /** Frames per second per camera. */
  fps: number;
}

export interface LatencyResult {
  delivered: number;
  dropped: number;
  p50: number;
  p99: number;
  /** Of all capture-to-embedding time, the share not spent in the encoder run. */
  notInference: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

const quantile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/**
 * Live-rate cameras (capture time = submit time): capture → embedding handed to the rules. The
 * encoder runs on the inference worker (the agent's default), so the event loop's delay shows where
 * preprocessing runs, not a session blocking the loop.
 */
export async function latencyRun(vit: Vit, o: LatencyOptions): Promise<LatencyResult> {
  const pre = preprocessor(vit, o.workers);
  const pics = Array.from({ length: 4 }, (_, i) => picture(o.width, o.height, i));
  const latencies: number[] = [];
  let inference = 0;
  let dropped = 0;
  const scheduler = new Scheduler({
    maxBatch: o.maxBatch,
    maxWaitMs: 50,
    queueLength: 4,
    backend: {
      preprocess: (s) => pre.run(s as Frame),
      embed: (_m, xs) => vit.workerEncoder.embed(xs),
    },
    onEmbedding: (s, _e, info) => {
      latencies.push(Date.now() - Number(s.t) / 1e6);
      inference += info.inferenceMs;
    },
    onDrop: () => {
      dropped++;
    },
  });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let n = 0;
  const timers = Array.from({ length: o.streams }, (_, s) =>
    setInterval(
      () => scheduler.submit(frame(`cam${s}`, pics[n++ % pics.length], o.width, o.height)),
      1000 / o.fps,
    ),
  );
  await new Promise((r) => setTimeout(r, o.durationMs));
  for (const timer of timers) clearInterval(timer);
  await scheduler.idle();
  loop.disable();
  await scheduler.stop();
  await pre.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = latencies.reduce((a, b) => a + b, 0);
  return {
    delivered: latencies.length,
    dropped,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    notInference: total > 0 ? 1 - inference / total : 0,
    loopDelayP99: loop.percentile(99) / 1e6,
    loopDelayMax: loop.max / 1e6,
  };
}
