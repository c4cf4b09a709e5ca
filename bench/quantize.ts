/**
 * Dynamic int8 quantization (`bindsight models quantize`) against fp32, measured in one run
 * (DESIGN.md "Performance method"): for transformer-shaped ViT encoders of a few sizes, the
 * median latency of the same batch through ONNX Runtime (CPU) for the fp32 and the int8 model,
 * the speed-up (fp32 ms / int8 ms), the file-size ratio and the per-row cosine of the int8
 * embeddings to fp32, per-tensor and per-channel. The fp32 session is the limit it is compared to.
 *
 *   npx tsx bench/quantize.ts [out.json]
 *
 * Prints a markdown table; the JSON goes to the path argument, or to stdout after the table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomWeights } from '../models/onnx/random.js';
import { buildVitEncoder, type VitEncoderOptions } from '../models/onnx/vit.js';
import { quantizeModel } from '../models/quantize/quantize.js';
import { OnnxSession } from '../src/encoders/session.js';

interface Case {
  name: string;
  model: VitEncoderOptions;
  batch: number;
  runs: number;
}

const CASES: Case[] = [
  {
    name: 'ViT-S/16 224 (width 384, depth 6)',
    model: { inputShape: [3, 224, 224], patch: 16, width: 384, depth: 6, heads: 6, embeddingDim: 1024 },
    batch: 4,
    runs: 10,
  },
  {
    name: 'ViT-B/16 224 (width 768, depth 4)',
    model: { inputShape: [3, 224, 224], patch: 16, width: 768, depth: 4, heads: 12, embeddingDim: 1024 },
    batch: 4,
    runs: 8,
  },
  {
    name: 'audio-shaped ViT (3 clips × 1×128×204, width 384, depth 6)',
    model: {
      inputShape: [3, 1, 128, 204],
      patch: 16,
      stride: 10,
      width: 384,
      depth: 6,
      heads: 6,
      embeddingDim: 1024,
      outputScale: 20,
    },
    batch: 2,
    runs: 8,
  },
];

interface Row {
  case: string;
  variant: 'fp32' | 'int8 per-tensor' | 'int8 per-channel';
  bytes: number;
  sizeRatio: number;
  ms: { median: number; min: number; max: number };
  speedup: number;
  minCosine: number;
}

function minRowCosine(a: Float32Array, b: Float32Array, dim: number): number {
  let worst = 1;
  for (let r = 0; r < a.length / dim; r++) {
    let d = 0;
    let na = 0;
    let nb = 0;
    for (let i = r * dim; i < (r + 1) * dim; i++) {
      d += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    worst = Math.min(worst, d / Math.sqrt(na * nb));
  }
  return worst;
}

/**
 * Runs the variants in turn, run after run (fp32, int8, int8, fp32, …), so that load from other
 * processes falls on all of them alike and the ratios stay meaningful on a busy machine.
 */
async function interleaved(sessions: OnnxSession[], x: Float32Array, dims: number[], runs: number) {
  const feed = { input: { dtype: 'float32' as const, data: x, dims } };
  const ms = sessions.map((): number[] => []);
  const ys: Float32Array[] = sessions.map(() => new Float32Array(0));
  for (const s of sessions) await s.run(feed); // warm-up
  for (let i = 0; i < runs; i++) {
    for (const [k, s] of sessions.entries()) {
      const t0 = process.hrtime.bigint();
      const out = await s.run(feed);
      ms[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      const data = out.embedding.data;
      if (data instanceof Float32Array) ys[k] = data;
    }
  }
  return { ms: ms.map((m) => m.sort((a, b) => a - b)), ys };
}

async function runCase(c: Case, dir: string): Promise<Row[]> {
  const fp32 = buildVitEncoder(c.model);
  const variants: [Row['variant'], Uint8Array][] = [['fp32', fp32]];
  for (const perChannel of [false, true]) {
    const { bytes } = await quantizeModel(fp32, { perChannel });
    variants.push([perChannel ? 'int8 per-channel' : 'int8 per-tensor', bytes]);
  }
  const sessions: OnnxSession[] = [];
  for (const [variant, bytes] of variants) {
    const file = join(dir, `${variant.replace(/ /g, '-')}.onnx`);
    writeFileSync(file, bytes);
    sessions.push(await OnnxSession.open(file, ['cpu']));
  }
  const dims = [c.batch, ...c.model.inputShape];
  const x = new RandomWeights(3).normal(dims.reduce((a, b) => a * b, 1));
  try {
    const { ms, ys } = await interleaved(sessions, x, dims, c.runs);
    const median = (m: number[]) => m[Math.floor(m.length / 2)];
    return variants.map(([variant, bytes], k) => ({
      case: c.name,
      variant,
      bytes: bytes.length,
      sizeRatio: fp32.length / bytes.length,
      ms: { median: median(ms[k]), min: ms[k][0], max: ms[k][ms[k].length - 1] },
      speedup: median(ms[0]) / median(ms[k]),
      minCosine: minRowCosine(ys[k], ys[0], c.model.embeddingDim),
    }));
  } finally {
    for (const s of sessions) await s.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bindsight-quantize-'));
  const rows: Row[] = [];
  try {
    for (const c of CASES) rows.push(...(await runCase(c, dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = [
    `CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}; onnxruntime-node CPU provider; batch per case as noted`,
    '',
    '| model | variant | file | size ratio | median ms (min–max) | speed-up vs fp32 | min row cosine to fp32 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.case} | ${r.variant} | ${(r.bytes / 1e6).toFixed(1)} MB | ${r.sizeRatio.toFixed(2)}× | ${r.ms.median.toFixed(1)} (${r.ms.min.toFixed(1)}–${r.ms.max.toFixed(1)}) | ${r.speedup.toFixed(2)}× | ${r.minCosine.toFixed(5)} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const json = JSON.stringify({ cpu: cpus()[0]?.model, cores: cpus().length, rows }, null, 2);
  const out = process.argv[2];
  if (out) writeFileSync(out, `${json}\n`);
  else process.stdout.write(`\n${json}\n`);
}

await main();
