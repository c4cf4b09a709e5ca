/**
 * The scheduler against the hardware's limit (issue #8, DESIGN.md "Performance method"), ratios
 * measured side by side in one run, repeats interleaved so drift hits every side alike:
 *
 * 1. pipeline / raw: embeddings per second through the scheduler (4 cameras always waiting,
 *    224×224 rgb24 frames preprocessed on worker threads, Encoder.embed) over back-to-back
 *    session.run on one prepared batch, both at batch 8, on a generated ViT (models/onnx/vit.ts),
 *    with the encoder on the event loop and on the inference worker thread. Goal ≥ 0.95.
 * 2. batched / unbatched: the same pipeline at maxBatch 8 over maxBatch 1.
 * 3. gating: encoder inputs saved on a mostly static replay of the demo recordings with the
 *    default gates, and events missed (bench/schedulerGating.ts).
 * 4. latency: 4 live 640×480 cameras at half the measured capacity, capture → embedding handed
 *    to the rules, p50 / p99, and the share of it that is not the encoder run; the event loop's
 *    delay (perf_hooks.monitorEventLoopDelay) with preprocessing on workers and on the loop (the
 *    encoder on the inference worker in both).
 *
 *   npx tsx bench/scheduler.ts [out.json] [--quick]
 *
 * Prints a markdown table; the JSON goes to the path argument, or to stdout after the table.
 * --quick: a 6-layer ViT-S/16 and short runs (well under 2 minutes on 2 cores); otherwise the
 * 12-layer ViT-S/16 and longer runs.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import type { VitEncoderOptions } from '../models/onnx/vit.js';
import { gatingRun } from './schedulerGating.js';
import {
  type LatencyResult,
  latencyRun,
  openVit,
  pipelineThroughput,
  rawThroughput,
} from './schedulerRuns.js';

interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length };
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const out = args.find((a) => !a.startsWith('--'));

const SETTINGS = quick
  ? { depth: 6, repeats: 3, throughputMs: 2500, latencyMs: 6000, latencyRepeats: 1 }
  : { depth: 12, repeats: 5, throughputMs: 6000, latencyMs: 15000, latencyRepeats: 3 };
const VIT: Omit<VitEncoderOptions, 'inputShape'> = {
  patch: 16,
  width: 384,
  depth: SETTINGS.depth,
  heads: 6,
  embeddingDim: 1024,
};
const WORKERS = Math.min(2, availableParallelism());
const STREAMS = 4;

async function throughputs(vit: Awaited<ReturnType<typeof openVit>>) {
  const raw: number[] = [];
  const batched: number[] = [];
  const unbatched: number[] = [];
  const onWorker: number[] = [];
  const busy: number[] = [];
  const meanBatch: number[] = [];
  let dropped = 0;
  const base = {
    streams: STREAMS,
    workers: WORKERS,
    durationMs: SETTINGS.throughputMs,
    width: 224,
    height: 224,
  };
  for (let r = 0; r < SETTINGS.repeats; r++) {
    raw.push(await rawThroughput(vit, 8, SETTINGS.throughputMs));
    const b = await pipelineThroughput(vit, { ...base, maxBatch: 8 });
    const u = await pipelineThroughput(vit, { ...base, maxBatch: 1 });
    const w = await pipelineThroughput(vit, { ...base, maxBatch: 8, onWorker: true });
    batched.push(b.rate);
    onWorker.push(w.rate);
    unbatched.push(u.rate);
    busy.push(b.busy);
    meanBatch.push(b.meanBatch);
    dropped += b.dropped + u.dropped + w.dropped;
  }
  return {
    raw: stat(raw),
    batched: stat(batched),
    unbatched: stat(unbatched),
    onWorker: stat(onWorker),
    pipelineOverRaw: stat(batched.map((b, i) => b / raw[i])),
    /** The same with the encoder on the inference worker thread (the agent's default). */
    workerOverRaw: stat(onWorker.map((w, i) => w / raw[i])),
    batchedOverUnbatched: stat(batched.map((b, i) => b / unbatched[i])),
    encoderBusy: stat(busy),
    meanBatch: stat(meanBatch),
    dropped,
  };
}

async function latencies(vit: Awaited<ReturnType<typeof openVit>>, capacity: number) {
  const fps = (0.5 * capacity) / STREAMS;
  const base = {
    streams: STREAMS,
    maxBatch: 8,
    durationMs: SETTINGS.latencyMs,
    width: 640,
    height: 480,
    fps,
  };
  const onWorkers: LatencyResult[] = [];
  const onLoop: LatencyResult[] = [];
  for (let r = 0; r < SETTINGS.latencyRepeats; r++) {
    onWorkers.push(await latencyRun(vit, { ...base, workers: WORKERS }));
    onLoop.push(await latencyRun(vit, { ...base, workers: 0 }));
  }
  const summarize = (rs: LatencyResult[]) => ({
    p50: stat(rs.map((x) => x.p50)),
    p99: stat(rs.map((x) => x.p99)),
    notInference: stat(rs.map((x) => x.notInference)),
    loopDelayP99: stat(rs.map((x) => x.loopDelayP99)),
    loopDelayMax: stat(rs.map((x) => x.loopDelayMax)),
    delivered: rs.reduce((a, x) => a + x.delivered, 0),
    dropped: rs.reduce((a, x) => a + x.dropped, 0),
  });
  return { fpsPerCamera: fps, workers: summarize(onWorkers), eventLoop: summarize(onLoop) };
}

const f = (x: number, d = 1) => x.toFixed(d);
const row = (name: string, s: Stat, d = 1, unit = '') =>
  `| ${name} | ${f(s.median, d)}${unit} | ${f(s.min, d)}${unit} | ${f(s.max, d)}${unit} |`;

async function main(): Promise<void> {
  const vit = await openVit(VIT);
  let tp: Awaited<ReturnType<typeof throughputs>>;
  let lat: Awaited<ReturnType<typeof latencies>>;
  try {
    tp = await throughputs(vit);
    lat = await latencies(vit, tp.batched.median);
  } finally {
    await vit.close();
  }
  const gate = await gatingRun();
  const w = lat.workers;
  const l = lat.eventLoop;
  const lines = [
    `ViT-S/16 shape, ${VIT.depth} layers (width ${VIT.width}, ${VIT.heads} heads), ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${WORKERS} preprocessing workers, ${STREAMS} cameras`,
    '',
    '| measure | median | min | max |',
    '| --- | --- | --- | --- |',
    row('raw session.run, batch 8 (samples/s)', tp.raw),
    row('pipeline, maxBatch 8 (samples/s)', tp.batched),
    row('pipeline, maxBatch 1 (samples/s)', tp.unbatched),
    row('pipeline, maxBatch 8, encoder on the inference worker (samples/s)', tp.onWorker),
    row('**pipeline / raw** (goal ≥ 0.95)', tp.pipelineOverRaw, 3),
    row('**pipeline / raw, encoder on the inference worker**', tp.workerOverRaw, 3),
    row('pipeline: share of time the encoder runs', tp.encoderBusy, 3),
    row('pipeline: mean inputs per encoder run', tp.meanBatch, 2),
    row('**batched / unbatched**', tp.batchedOverUnbatched, 2),
    `| **gating: encoder inputs saved** (static replay) | ${f(100 * gate.saved)}% (${gate.inputsOn} of ${gate.inputsOff}) | events missed: ${gate.missed.length} of ${gate.events} | extra: ${gate.extra.length} |`,
    row(`latency p50, ${f(lat.fpsPerCamera)} fps × ${STREAMS} cameras 640×480 (ms)`, w.p50, 0),
    row('latency p99 (ms)', w.p99, 0),
    row('**share of latency not inference**', w.notInference, 2),
    row('event-loop delay p99, preprocessing on workers (ms)', w.loopDelayP99, 1),
    row('event-loop delay max, on workers (ms)', w.loopDelayMax, 1),
    row('event-loop delay p99, preprocessing on the loop (ms)', l.loopDelayP99, 1),
    row('event-loop delay max, on the loop (ms)', l.loopDelayMax, 1),
    row('latency p50 with preprocessing on the loop (ms)', l.p50, 0),
    '',
    `drops: throughput runs ${tp.dropped}, latency runs ${w.dropped} (workers) / ${l.dropped} (loop); gating runs ${gate.dropped}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const json = JSON.stringify(
    { quick, vit: VIT, workers: WORKERS, streams: STREAMS, throughput: tp, latency: lat, gating: gate },
    null,
    2,
  );
  if (out) writeFileSync(out, `${json}\n`);
  else process.stdout.write(`\n${json}\n`);
}

await main();
