/**
 * The bench pack (issue #12): random-weight transformers with realistic cost for `npm run bench`.
 * Every sensor encoder is a 12-block ViT (patch embedding, attention + MLP blocks: models/onnx/vit.ts
 * through buildRandomPack, with ImageBind's stems and I/O) and the text encoder a 12-block causal
 * transformer over a CLIP-sized token table (49,408 rows, 77 positions). Two trunk sizes:
 * `quick` is ViT-Ti's (width 192, 3 heads), `full` ViT-S's (width 384, 6 heads). The int8 twin is
 * made by the project's own quantizer (models/quantize). Embeddings mean nothing.
 *
 * Text uses the `words` tokenizer over a small built-in vocabulary (BENCH_WORDS), not CLIP's BPE:
 * the bench must run on any machine with nothing to download, and the tokenizer costs nothing
 * next to the encoder. Ids 1…N are words, 0 pads, and sot/eot are CLIP's 49406/49407 (eot is
 * the highest id, which the text graph's end-of-text pooling relies on).
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Modality } from '../../drivers/types.js';
import { IMAGEBIND_IO, type PackManifest, packManifestSchema, type TextParams } from '../manifest.js';
import { buildTextEncoder } from '../onnx/text.js';
import { type FileResult, quantizePack } from '../quantize/files.js';
import { buildRandomPack, type TrunkSize } from './pack.js';

/** 12 blocks each: ViT-Ti/16's width for --quick, ViT-S/16's for the full run. */
export const BENCH_TRUNKS = {
  quick: { width: 192, depth: 12, heads: 3 },
  full: { width: 384, depth: 12, heads: 6 },
} as const satisfies Record<string, TrunkSize>;
export type BenchSize = keyof typeof BENCH_TRUNKS;

export const BENCH_SENSORS = [
  'vision',
  'thermal',
  'depth',
  'audio',
  'imu',
] as const satisfies readonly Modality[];

/** CLIP's table size and special ids (sot 49406, eot 49407), zero padding as ImageBind pads. */
export const BENCH_TEXT = {
  kind: 'text',
  tokenizer: 'words',
  vocab: 'vocab.json',
  contextLength: 77,
  sot: 49406,
  eot: 49407,
  pad: 0,
} as const satisfies Omit<TextParams, 'vocabSha256'>;
export const BENCH_TEXT_ROWS = 49408;

/** The words the bench pack knows: the bench prompts, the demo's, and transformers.js's template. */
export const BENCH_WORDS: readonly string[] = [
  ...'a an the of in on at is this that photo picture room person people someone nobody empty'.split(' '),
  ...'bright dark light lights kitchen door window car dog cat bird tiger horse street night day'.split(' '),
  ...'fell falling walking running sitting lying still siren alarm glass breaking quiet noise'.split(' '),
  ...'hot cold warm fire smoke water near far wall object close open closed moving static'.split(' '),
];

/** vocab.json of the bench pack: word → id, ids from 1 (0 is padding). */
export function benchVocabulary(): Record<string, number> {
  return Object.fromEntries(BENCH_WORDS.map((w, i) => [w, i + 1]));
}

export interface BenchPackOptions {
  trunk: TrunkSize;
  embeddingDim?: number;
  seed?: number;
  name?: string;
}

type ManifestInput = z.input<typeof packManifestSchema>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes the fp32 bench pack into `dir` (pack.json, vocab.json, one ONNX file per modality). */
export async function buildBenchPack(dir: string, o: BenchPackOptions): Promise<PackManifest> {
  const dim = o.embeddingDim ?? 1024;
  const seed = o.seed ?? 12;
  const sensors = await buildRandomPack(dir, {
    modalities: BENCH_SENSORS,
    size: o.trunk,
    embeddingDim: dim,
    seed,
    writeManifest: false,
  });
  const text = buildTextEncoder({
    ...o.trunk,
    vocabSize: BENCH_TEXT_ROWS,
    contextLength: BENCH_TEXT.contextLength,
    embeddingDim: dim,
    outputScale: IMAGEBIND_IO.text.outputScale,
    seed: seed + BENCH_SENSORS.length,
    name: 'bench_text',
  });
  const vocab = new TextEncoder().encode(`${JSON.stringify(benchVocabulary(), null, 2)}\n`);
  await writeFile(join(dir, 'text.onnx'), text);
  await writeFile(join(dir, BENCH_TEXT.vocab), vocab);
  const { width, depth, heads } = o.trunk;
  const manifest: ManifestInput = {
    ...sensors,
    name: o.name ?? `bench-${width}x${depth}`,
    version: '1.0.0',
    description: `bindsight bench pack: random-weight ${depth}-block transformers of width ${width} (${heads} heads), ImageBind I/O; embeddings mean nothing`,
    modalities: {
      ...sensors.modalities,
      text: {
        file: 'text.onnx',
        sha256: sha256(text),
        precision: 'fp32',
        input: { name: 'input', shape: ['batch', BENCH_TEXT.contextLength], dtype: 'int64' },
        output: { name: 'embedding', shape: ['batch', dim], dtype: 'float32' },
        outputScale: IMAGEBIND_IO.text.outputScale,
        preprocess: { ...BENCH_TEXT, vocabSha256: sha256(vocab) },
      },
    },
  };
  await writeFile(join(dir, 'pack.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return packManifestSchema.parse(manifest);
}

export interface BenchPacks {
  fp32: string;
  int8: string;
  /** Per modality file: fp32 and int8 bytes (from the quantizer's report). */
  quantized: FileResult[];
  buildMs: number;
  quantizeMs: number;
}

/** The fp32 bench pack in `<root>/fp32` and its int8 twin in `<root>/int8`. */
export async function buildBenchPacks(root: string, o: BenchPackOptions): Promise<BenchPacks> {
  const fp32 = join(root, 'fp32');
  const int8 = join(root, 'int8');
  const t0 = performance.now();
  await buildBenchPack(fp32, o);
  const t1 = performance.now();
  const quantized = await quantizePack(fp32, int8);
  return { fp32, int8, quantized, buildMs: t1 - t0, quantizeMs: performance.now() - t1 };
}
