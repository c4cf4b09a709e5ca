/**
 * The whole agent against the limit (issue #12, DESIGN.md "Performance method"), on the bench
 * pack's vision encoder (a 12-block ViT, models/bench/benchPack.ts), sides interleaved per repeat:
 *
 * 1. pipeline / raw: images per second through the full agent — 4 replay cameras over 640×480
 *    JPEGs played as fast as the pipeline takes them (`realtime: false`, lossless), preprocessing
 *    on worker threads, the scheduler at maxBatch 8, the encoder, one rule per camera, events and
 *    scores published through the durable outbox to the embedded broker on a loopback port and
 *    read back by a subscriber — over back-to-back session.run on one pre-made batch of 8; with the
 *    event loop's longest delay during those raw runs (onnxruntime-node runs on the main thread).
 * 2. batched / unbatched: the same agent at maxBatch 8 over maxBatch 1. Gating is off (every
 *    frame differs anyway) so both encode every frame. And the agent with its sensor encoders on
 *    the inference worker thread (models.inferenceWorker, the default) over on the event loop.
 * 3. latency: the same 4 cameras live (`realtime: true`) at half the measured capacity; capture →
 *    embedding handed to the rules, p50/p99, the p99 of its non-inference part (agentHarness.ts),
 *    and the event loop's delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution); then the
 *    same with the encoders on the event loop (`models.inferenceWorker: false`) for comparison.
 *
 *   npx tsx bench/pipeline.ts [out.json] [--quick] [--pack-root DIR]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OnnxSession } from '../src/encoders/session.js';
import { encodedRateAndCpu, replayCameras, startHarness } from './agentHarness.js';
import { benchArgs, packView, withBenchPacks, writeJson, writePictures } from './packs.js';
import { CAMERA_CONTRAST, CAMERA_PROMPTS } from './prompts.js';
import { cell, interleaved, quantile, ratio, type Stat, stat } from './stats.js';

const args = benchArgs();
const S = args.quick
  ? { repeats: 3, warmMs: 1000, windowMs: 2500, latencyMs: 6000, latencyRepeats: 1 }
  : { repeats: 5, warmMs: 2000, windowMs: 8000, latencyMs: 20000, latencyRepeats: 3 };
const CAMERAS = 4;
const FRAMES_PER_CAMERA = 8;
const BATCH = 8;

function rules(cameras: number) {
  return Array.from({ length: cameras }, (_, i) => ({
    id: `lights${i}`,
    sensors: [`cam${i}`],
    prompts: CAMERA_PROMPTS,
    contrast: CAMERA_CONTRAST,
  }));
}

/**
 * Samples per second of back-to-back session.run on one pre-made batch: the limit. Also the
 * event loop's longest delay meanwhile (onnxruntime-node runs a session on the main thread).
 */
async function raw(
  file: string,
  windowMs: number,
): Promise<{ rate: number; loopDelayMaxMs: number; cpuMsPerSample: number }> {
  const session = await OnnxSession.open(file, ['cpu']);
  try {
    const data = new Float32Array(BATCH * 3 * 224 * 224);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.001);
    const feed = { [session.inputNames[0]]: { dtype: 'float32' as const, data, dims: [BATCH, 3, 224, 224] } };
    await session.run(feed);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let runs = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    while (performance.now() - t0 < windowMs) {
      await session.run(feed);
      runs++;
    }
    const cpu = process.cpuUsage(cpu0);
    const rate = (runs * BATCH) / ((performance.now() - t0) / 1000);
    loop.disable();
    return {
      rate,
      loopDelayMaxMs: loop.max / 1e6,
      cpuMsPerSample: (cpu.user + cpu.system) / 1000 / (runs * BATCH),
    };
  } finally {
    await session.close();
  }
}

async function pipeline(
  dir: string,
  pack: string,
  cams: string[][],
  maxBatch: number,
  inferenceWorker = true,
) {
  const runDir = await mkdtemp(join(dir, 'run-'));
  const h = await startHarness({
    dir: runDir,
    pack,
    sensors: replayCameras(cams),
    rules: rules(cams.length),
    scheduler: { maxBatch, gate: { vision: 0 } },
    inferenceWorker,
  });
  try {
    const { rate, cpuMsPerSample } = await encodedRateAndCpu(h, 'vision', S.warmMs, S.windowMs);
    return { rate, cpuMsPerSample, received: h.received() };
  } finally {
    await h.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

async function latency(dir: string, pack: string, cams: string[][], fps: number, inferenceWorker: boolean) {
  const runDir = await mkdtemp(join(dir, 'live-'));
  const h = await startHarness({
    dir: runDir,
    pack,
    inferenceWorker,
    sensors: replayCameras(cams, { realtime: true, rate: fps }),
    rules: rules(cams.length),
    scheduler: { maxBatch: BATCH, gate: { vision: 0 } },
    trackLatency: true,
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  try {
    await new Promise((r) => setTimeout(r, S.warmMs));
    const skip = h.latencies().length;
    loop.enable();
    await new Promise((r) => setTimeout(r, S.latencyMs));
    loop.disable();
    const xs = h.latencies().slice(skip);
    const total = xs.map((x) => x.total).sort((a, b) => a - b);
    const other = xs.map((x) => x.notInference).sort((a, b) => a - b);
    const stats = h.agent.schedulerStats()?.modalities.vision;
    return {
      delivered: xs.length,
      dropped: Object.values(stats?.dropped ?? {}).reduce((a, b) => a + b, 0),
      p50: quantile(total, 0.5),
      p99: quantile(total, 0.99),
      notInferenceP50: quantile(other, 0.5),
      notInferenceP99: quantile(other, 0.99),
      loopDelayP99: loop.percentile(99) / 1e6,
      loopDelayMax: loop.max / 1e6,
      received: h.received(),
    };
  } finally {
    await h.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await withBenchPacks(args, 'pipeline', async (packs, dir) => {
    const view = await packView(packs.fp32, join(dir, 'pack'), ['vision', 'text']);
    await mkdir(join(dir, 'img'));
    const cams = await Promise.all(
      Array.from({ length: CAMERAS }, (_, c) =>
        writePictures(join(dir, 'img'), FRAMES_PER_CAMERA, { prefix: `cam${c}`, seed: c + 1 }),
      ),
    );
    const rawLoopDelayMaxMs: number[] = [];
    const rawCpu: number[] = [];
    const batchedCpu: number[] = [];
    const runs = await interleaved(S.repeats, {
      raw: async () => {
        const r = await raw(join(view, 'vision.onnx'), S.windowMs);
        rawLoopDelayMaxMs.push(r.loopDelayMaxMs);
        rawCpu.push(r.cpuMsPerSample);
        return r.rate;
      },
      batched: async () => {
        const r = await pipeline(dir, view, cams, BATCH);
        batchedCpu.push(r.cpuMsPerSample);
        return r.rate;
      },
      unbatched: async () => (await pipeline(dir, view, cams, 1)).rate,
      onLoop: async () => (await pipeline(dir, view, cams, BATCH, false)).rate,
    });
    const capacity = stat(runs.batched).median;
    const fps = Math.max(0.2, (0.5 * capacity) / CAMERAS);
    const live = [];
    const onLoop = [];
    for (let r = 0; r < S.latencyRepeats; r++) {
      live.push(await latency(dir, view, cams, fps, true));
      onLoop.push(await latency(dir, view, cams, fps, false));
    }
    const result = {
      quick: args.quick,
      size: packs.size,
      cameras: CAMERAS,
      batch: BATCH,
      raw: stat(runs.raw),
      rawLoopDelayMaxMs: stat(rawLoopDelayMaxMs),
      batched: stat(runs.batched),
      unbatched: stat(runs.unbatched),
      /** The full agent at maxBatch 8 with the encoders on the event loop (models.inferenceWorker: false). */
      onLoop: stat(runs.onLoop),
      workerOverOnLoop: ratio(runs.batched, runs.onLoop),
      pipelineOverRaw: ratio(runs.batched, runs.raw),
      /** CPU time of the whole process per image: raw session.run, and the full agent at maxBatch 8. */
      cpuMsPerImage: { raw: stat(rawCpu), pipeline: stat(batchedCpu) },
      /**
       * raw CPU per image ÷ the agent's: the highest full agent ÷ raw that cores already busy
       * with inference allow, once each image also costs the agent's decode, resize, rules and
       * MQTT. (A GPU provider takes inference off the cores, and this ceiling with it.)
       */
      cpuCeiling: ratio(rawCpu, batchedCpu),
      batchedOverUnbatched: ratio(runs.batched, runs.unbatched),
      live: {
        fpsPerCamera: fps,
        p50Ms: stat(live.map((x) => x.p50)),
        p99Ms: stat(live.map((x) => x.p99)),
        notInferenceP50Ms: stat(live.map((x) => x.notInferenceP50)),
        notInferenceP99Ms: stat(live.map((x) => x.notInferenceP99)),
        loopDelayP99Ms: stat(live.map((x) => x.loopDelayP99)),
        loopDelayMaxMs: stat(live.map((x) => x.loopDelayMax)),
        delivered: live.reduce((a, x) => a + x.delivered, 0),
        dropped: live.reduce((a, x) => a + x.dropped, 0),
        mqttReceived: live.reduce((a, x) => a + x.received, 0),
      },
      /** The same live run with the encoders on the event loop (models.inferenceWorker: false). */
      liveOnLoop: {
        p99Ms: stat(onLoop.map((x) => x.p99)),
        loopDelayP99Ms: stat(onLoop.map((x) => x.loopDelayP99)),
        loopDelayMaxMs: stat(onLoop.map((x) => x.loopDelayMax)),
      },
    };
    printTable(result);
    await writeJson(args, result);
  });
}

function printTable(r: {
  size: string;
  raw: Stat;
  rawLoopDelayMaxMs: Stat;
  batched: Stat;
  unbatched: Stat;
  onLoop: Stat;
  workerOverOnLoop: Stat;
  pipelineOverRaw: Stat;
  cpuMsPerImage: { raw: Stat; pipeline: Stat };
  cpuCeiling: Stat;
  batchedOverUnbatched: Stat;
  live: Record<string, Stat | number>;
  liveOnLoop: Record<string, Stat>;
}): void {
  const l = r.live as Record<string, Stat> & { fpsPerCamera: number; delivered: number; dropped: number };
  const lines = [
    `Full agent vs raw session.run — bench pack (${r.size}) vision ViT, ${CAMERAS} replay cameras (640×480 JPEG), batch ${BATCH}`,
    '',
    '| measure | median (min–max) |',
    '| --- | --- |',
    `| raw session.run, batch ${BATCH} (images/s) | ${cell(r.raw)} |`,
    `| raw session.run on the main thread: event-loop delay max (ms) | ${cell(r.rawLoopDelayMaxMs, 0)} |`,
    `| full agent, maxBatch ${BATCH} (images/s) | ${cell(r.batched)} |`,
    `| full agent, maxBatch 1 (images/s) | ${cell(r.unbatched)} |`,
    `| full agent, maxBatch ${BATCH}, encoders on the event loop (images/s) | ${cell(r.onLoop)} |`,
    `| **full agent / raw** | ${cell(r.pipelineOverRaw, 3)} |`,
    `| CPU per image, all threads: raw session.run (ms) | ${cell(r.cpuMsPerImage.raw, 1)} |`,
    `| CPU per image, all threads: full agent (ms) | ${cell(r.cpuMsPerImage.pipeline, 1)} |`,
    `| CPU ceiling for full agent / raw (raw CPU ÷ agent CPU per image) | ${cell(r.cpuCeiling, 3)} |`,
    `| **batched / unbatched** | ${cell(r.batchedOverUnbatched, 2)} |`,
    `| encoders on the inference worker / on the event loop | ${cell(r.workerOverOnLoop, 2)} |`,
    `| live: ${l.fpsPerCamera.toFixed(2)} fps × ${CAMERAS} cameras, capture → rules p50 (ms) | ${cell(l.p50Ms, 0)} |`,
    `| live: capture → rules p99 (ms) | ${cell(l.p99Ms, 0)} |`,
    `| live: **non-inference part, p99** (ms) | ${cell(l.notInferenceP99Ms, 0)} |`,
    `| live: event-loop delay p99 (ms) | ${cell(l.loopDelayP99Ms, 1)} |`,
    `| live: event-loop delay max (ms) | ${cell(l.loopDelayMaxMs, 1)} |`,
    `| live, encoders on the event loop (\`inferenceWorker: false\`): capture → rules p99 (ms) | ${cell(r.liveOnLoop.p99Ms, 0)} |`,
    `| live, encoders on the event loop: event-loop delay p99 (ms) | ${cell(r.liveOnLoop.loopDelayP99Ms, 1)} |`,
    `| live, encoders on the event loop: event-loop delay max (ms) | ${cell(r.liveOnLoop.loopDelayMaxMs, 1)} |`,
    '',
    `live runs: ${l.delivered} embeddings, ${l.dropped} dropped`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
