/**
 * int8 against fp32 (issue #12): the bench pack and its twin from bindsight's own dynamic int8
 * quantizer (models/quantize), per modality:
 * - size: bytes of each ONNX file, int8 ÷ fp32;
 * - speed: samples per second of Encoder.embed on one batch of real preprocessed inputs
 *   (bench/inputs.ts), int8 ÷ fp32, the two sides interleaved per repeat;
 * - output cosine: cosine between the fp32 and int8 embeddings of the same inputs (text: the bench
 *   prompts through the pack's tokenizer).
 *
 *   npx tsx bench/int8.ts [out.json] [--quick] [--pack-root DIR]
 */
import { stat as fileStat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Modality, SENSOR_MODALITIES, type SensorModality } from '../drivers/types.js';
import type { Encoder, EncoderInput } from '../src/encoders/encoder.js';
import { type LoadedPack, loadPack } from '../src/encoders/pack.js';
import { benchInputs } from './inputs.js';
import { benchArgs, benchPacks, writeJson } from './packs.js';
import { INT8_PROMPTS } from './prompts.js';
import { cell, cosine, interleaved, ratio, type Stat, stat } from './stats.js';

const args = benchArgs();
const S = args.quick
  ? { repeats: 5, windowMs: 1000, speed: ['vision', 'text'] as Modality[] }
  : {
      repeats: 5,
      windowMs: 2000,
      speed: ['vision', 'audio', 'depth', 'thermal', 'imu', 'text'] as Modality[],
    };
const BATCH = 8;
const COSINE_INPUTS = 8;

/** Samples per second of back-to-back embed() calls on one batch (at least one call). */
async function rate(encoder: Encoder, batch: readonly EncoderInput[], windowMs: number): Promise<number> {
  let calls = 0;
  const t0 = performance.now();
  while (calls < 1 || performance.now() - t0 < windowMs) {
    await encoder.embed(batch);
    calls++;
  }
  return (calls * batch.length) / ((performance.now() - t0) / 1000);
}

/** Token ids of the bench prompts, as the pack feeds them. */
function textInputs(pack: LoadedPack): BigInt64Array[] {
  const tok = pack.tokenizer;
  if (!tok) throw new RangeError('the bench pack has no tokenizer');
  return INT8_PROMPTS.map((p) => tok.encode(p));
}

async function inputsFor(pack: LoadedPack, m: Modality, n: number): Promise<EncoderInput[]> {
  if (m === 'text') return textInputs(pack).slice(0, n);
  const spec = pack.manifest.modalities[m];
  if (!spec) throw new RangeError(`the bench pack has no ${m} encoder`);
  return benchInputs(m as SensorModality, spec.preprocess, n);
}

interface Row {
  modality: Modality;
  bytes: { fp32: number; int8: number; ratio: number };
  fp32: Stat | null;
  int8: Stat | null;
  speed: Stat | null;
  cosine: Stat;
  /** fp32 ↔ int8 cosine of each input. */
  cosines: number[];
}

async function measure(fp32: LoadedPack, int8: LoadedPack, m: Modality): Promise<Row> {
  const a = fp32.encoders.get(m)!;
  const b = int8.encoders.get(m)!;
  const size = async (p: LoadedPack) => (await fileStat(join(p.dir, p.manifest.modalities[m]!.file))).size;
  const bytes = { fp32: await size(fp32), int8: await size(int8), ratio: 0 };
  bytes.ratio = bytes.int8 / bytes.fp32;
  const inputs = await inputsFor(fp32, m, Math.max(BATCH, COSINE_INPUTS));
  const [ea, eb] = [
    await a.embed(inputs.slice(0, COSINE_INPUTS)),
    await b.embed(inputs.slice(0, COSINE_INPUTS)),
  ];
  const cosines = ea.map((e, i) => cosine(e, eb[i]));
  const cos = stat(cosines);
  if (!S.speed.includes(m))
    return { modality: m, bytes, fp32: null, int8: null, speed: null, cosine: cos, cosines };
  const batch = inputs.slice(0, BATCH);
  await a.embed(batch); // warm-up: first runs allocate
  await b.embed(batch);
  const runs = await interleaved(S.repeats, {
    fp32: () => rate(a, batch, S.windowMs),
    int8: () => rate(b, batch, S.windowMs),
  });
  return {
    modality: m,
    bytes,
    fp32: stat(runs.fp32),
    int8: stat(runs.int8),
    speed: ratio(runs.int8, runs.fp32),
    cosine: cos,
    cosines,
  };
}

async function main(): Promise<void> {
  const packs = await benchPacks(args);
  try {
    const fp32 = await loadPack(packs.fp32);
    const int8 = await loadPack(packs.int8);
    const rows: Row[] = [];
    try {
      for (const m of [...SENSOR_MODALITIES, 'text'] as Modality[]) rows.push(await measure(fp32, int8, m));
    } finally {
      await fp32.close();
      await int8.close();
    }
    const vision = rows.find((r) => r.modality === 'vision')!;
    const total = (k: 'fp32' | 'int8') => rows.reduce((s, r) => s + r.bytes[k], 0);
    const result = {
      quick: args.quick,
      size: packs.size,
      batch: BATCH,
      rows,
      /** The headline figures: vision speed, the cosines of every input of every modality, the pack's size. */
      speedVision: vision.speed,
      cosineAll: stat(rows.flatMap((r) => r.cosines)),
      packBytes: { fp32: total('fp32'), int8: total('int8'), ratio: total('int8') / total('fp32') },
    };
    printTable(result.rows, result.packBytes);
    await writeJson(args, result);
  } finally {
    await packs.dispose();
  }
}

function printTable(rows: Row[], pack: { fp32: number; int8: number; ratio: number }): void {
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const lines = [
    `int8 vs fp32 — bench pack, Encoder.embed at batch ${BATCH}, dynamic int8 by models/quantize`,
    '',
    '| modality | fp32 MB | int8 MB | size int8 ÷ fp32 | fp32 samples/s | int8 samples/s | **speed int8 ÷ fp32** | cosine fp32 ↔ int8, median (min–max) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.modality} | ${mb(r.bytes.fp32)} | ${mb(r.bytes.int8)} | ${r.bytes.ratio.toFixed(2)} | ${cell(r.fp32 ?? undefined, 1)} | ${cell(r.int8 ?? undefined, 1)} | ${cell(r.speed ?? undefined, 2)} | ${cell(r.cosine, 4)} |`,
    ),
    `| whole pack | ${mb(pack.fp32)} | ${mb(pack.int8)} | ${pack.ratio.toFixed(2)} | | | | |`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
