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

async function timeRuns(
  session: OnnxSession,
  x: Float32Array,
  dims: number[],
  runs: number,
): Promise<{ ms: number[]; y: Float32Array }> {
  const feed = { input: { dtype: 'float32' as const, data: x, dims } };
  let y = new Float32Array(0);
  for (let i = 0; i < 2; i++) await session.run(feed); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const out = await session.run(feed);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const data = out.embedding.data;
    if (data instanceof Float32Array) y = data;
  }
  return { ms: ms.sort((a, b) => a - b), y };
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

async function runCase(c: Case, dir: string): Promise<Row[]> {
  const fp32 = buildVitEncoder(c.model);
  const variants: [Row['variant'], Uint8Array][] = [['fp32', fp32]];
  for (const perChannel of [false, true]) {
    const { bytes } = await quantizeModel(fp32, { perChannel });
    variants.push([perChannel ? 'int8 per-channel' : 'int8 per-tensor', bytes]);
  }
  const dims = [c.batch, ...c.model.inputShape];
  const x = new RandomWeights(3).normal(dims.reduce((a, b) => a * b, 1));
  const rows: Row[] = [];
  let base: { median: number; y: Float32Array } | null = null;
  for (const [variant, bytes] of variants) {
    const file = join(dir, `${variant.replace(/ /g, '-')}.onnx`);
    writeFileSync(file, bytes);
    const session = await OnnxSession.open(file, ['cpu']);
    const { ms, y } = await timeRuns(session, x, dims, c.runs);
    await session.close();
    const median = ms[Math.floor(ms.length / 2)];
    base ??= { median, y };
    rows.push({
      case: c.name,
      variant,
      bytes: bytes.length,
      sizeRatio: fp32.length / bytes.length,
      ms: { median, min: ms[0], max: ms[ms.length - 1] },
      speedup: base.median / median,
      minCosine: minRowCosine(y, base.y, c.model.embeddingDim),
    });
  }
  return rows;
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
