/**
 * bindsight against what a Node.js user would otherwise write for zero-shot image matching
 * (issue #12): @huggingface/transformers 4's zero-shot-image-classification pipeline, run offline
 * (env.allowRemoteModels = false) on a local CLIP model folder holding the SAME weights as the bench
 * pack's vision and text encoders (models/bench/transformersFolder.ts), on the same 640×480 JPEG
 * files, sides interleaved per repeat, all after a warm-up call:
 *
 * - transformers.js pipeline, one image per call (`classifier(file, labels)`, the documented use);
 * - transformers.js pipeline, 8 images per call;
 * - transformers.js by hand at its best: CLIPVisionModelWithProjection on 8 images per call with the
 *   label embeddings computed once (the pipeline re-encodes the labels on every call);
 * - bindsight: the full agent (agentHarness.ts) with one replay camera over the same files played
 *   as fast as the pipeline takes them, one rule scoring the same 4 labels, MQTT on loopback.
 *
 * Agreement check: cosine between transformers.js's and bindsight's embeddings of the same image
 * and of the same text (they differ only by the image resize implementations).
 *
 *   npx tsx bench/transformersjs.ts [out.json] [--quick] [--pack-root DIR]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  env,
  pipeline,
  RawImage,
  type Tensor,
} from '@huggingface/transformers';
import { writeClipFolder } from '../models/bench/transformersFolder.js';
import { loadPack } from '../src/encoders/pack.js';
import { preprocessSample } from '../src/preprocess/index.js';
import { encodedRate, replayCameras, startHarness } from './agentHarness.js';
import { benchArgs, packView, withBenchPacks, writeJson, writePictures } from './packs.js';
import { LABEL_TEXTS, LABELS, TEMPLATE } from './prompts.js';
import { cell, cosine, interleaved, ratio, type Stat, stat } from './stats.js';

const args = benchArgs();
const S = args.quick
  ? { repeats: 3, images: 8, warmMs: 1000, windowMs: 2500 }
  : { repeats: 5, images: 16, warmMs: 2000, windowMs: 6000 };
/** transformers.js's default hypothesis template around each label; bindsight's rule uses the same full texts. */
const TEXTS = LABEL_TEXTS;
const MODEL_ID = 'clip';

interface Classifier {
  (images: string | string[], labels: string[]): Promise<unknown>;
  dispose(): Promise<void>;
}

/** Rows of a [n, d] tensor, each divided by its norm. */
function unitRows(t: Tensor): Float32Array[] {
  const [n, d] = t.dims;
  const data = t.data as Float32Array;
  return Array.from({ length: n }, (_, i) => {
    const row = data.slice(i * d, (i + 1) * d);
    const norm = Math.hypot(...row) || 1;
    return row.map((x) => x / norm);
  });
}

async function transformersSides(root: string, files: string[]) {
  env.allowRemoteModels = false;
  env.localModelPath = root;
  env.useFSCache = false;
  const classifier = (await pipeline('zero-shot-image-classification', MODEL_ID, {
    dtype: 'fp32',
    device: 'cpu',
  })) as unknown as Classifier;
  const processor = await AutoProcessor.from_pretrained(MODEL_ID);
  const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
  const vision = await CLIPVisionModelWithProjection.from_pretrained(MODEL_ID, {
    dtype: 'fp32',
    device: 'cpu',
  });
  const text = await CLIPTextModelWithProjection.from_pretrained(MODEL_ID, { dtype: 'fp32', device: 'cpu' });
  const { text_embeds } = (await text(tokenizer(TEXTS, { padding: true, truncation: true }))) as {
    text_embeds: Tensor;
  };
  const labels = unitRows(text_embeds);
  const embedImages = async (batch: string[]) => {
    const images = await Promise.all(batch.map((f) => RawImage.read(f)));
    const { image_embeds } = (await vision(await processor(images))) as { image_embeds: Tensor };
    // Scores as the pipeline gives them: cosine to each cached label (softmax is order-preserving).
    return unitRows(image_embeds).map((e) => labels.map((l) => cosine(e, l)));
  };
  const perSecond = async (n: number, f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return n / ((performance.now() - t0) / 1000);
  };
  const chunks = (size: number) =>
    Array.from({ length: Math.ceil(files.length / size) }, (_, i) => files.slice(i * size, (i + 1) * size));
  await classifier(files[0], LABELS);
  await embedImages(files.slice(0, 8));
  return {
    sides: {
      pipeline1: () =>
        perSecond(files.length, async () => {
          for (const f of files) await classifier(f, LABELS);
        }),
      pipeline8: () =>
        perSecond(files.length, async () => {
          for (const c of chunks(8)) await classifier(c, LABELS);
        }),
      byHand8: () =>
        perSecond(files.length, async () => {
          for (const c of chunks(8)) await embedImages(c);
        }),
    },
    imageEmbedding: async (file: string) =>
      unitRows(
        ((await vision(await processor([await RawImage.read(file)]))) as { image_embeds: Tensor })
          .image_embeds,
      )[0],
    labels,
    dispose: async () => {
      await classifier.dispose();
      await vision.dispose();
      await text.dispose();
    },
  };
}

async function bindsightRate(dir: string, pack: string, files: string[]): Promise<number> {
  const runDir = await mkdtemp(join(dir, 'run-'));
  const h = await startHarness({
    dir: runDir,
    pack,
    sensors: replayCameras([files]),
    rules: [{ id: 'dog', sensors: ['cam0'], prompts: [TEXTS[0]], contrast: TEXTS.slice(1) }],
    scheduler: { maxBatch: 8, gate: { vision: 0 } },
  });
  try {
    return await encodedRate(h, 'vision', S.warmMs, S.windowMs);
  } finally {
    await h.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** bindsight's own embeddings of `file` and of TEXTS, through the pack and its preprocessing. */
async function bindsightEmbeddings(pack: string, file: string) {
  const p = await loadPack(pack);
  try {
    const data = new Uint8Array(await readFile(file));
    const spec = p.manifest.modalities.vision!.preprocess;
    const sample = {
      kind: 'frame',
      sensor: 'x',
      modality: 'vision',
      t: 0n,
      width: 0,
      height: 0,
      format: 'jpeg',
      data,
    } as const;
    const [image] = await p.encoders.get('vision')!.embed([await preprocessSample(sample, spec)]);
    return { image, texts: await p.embedTexts(TEXTS) };
  } finally {
    await p.close();
  }
}

async function main(): Promise<void> {
  await withBenchPacks(args, 'tjs', async (packs, dir) => {
    const view = await packView(packs.fp32, join(dir, 'pack'), ['vision', 'text']);
    const folder = await writeClipFolder(view, join(dir, 'models', MODEL_ID));
    const files = await writePictures(join(dir, 'img'), S.images, { seed: 7 });
    const tjs = await transformersSides(join(dir, 'models'), files);
    let runs: Record<'pipeline1' | 'pipeline8' | 'byHand8' | 'bindsight', number[]>;
    let agreement: { image: number; texts: Stat };
    try {
      runs = await interleaved(S.repeats, {
        ...tjs.sides,
        bindsight: () => bindsightRate(dir, view, files),
      });
      const ours = await bindsightEmbeddings(view, files[0]);
      agreement = {
        image: cosine(ours.image, await tjs.imageEmbedding(files[0])),
        texts: stat(ours.texts.map((t, i) => cosine(t, tjs.labels[i]))),
      };
    } finally {
      await tjs.dispose();
    }
    const result = {
      quick: args.quick,
      size: packs.size,
      images: files.length,
      labels: LABELS,
      template: TEMPLATE,
      folderFiles: folder.files,
      transformersPipeline1: stat(runs.pipeline1),
      transformersPipeline8: stat(runs.pipeline8),
      transformersByHand8: stat(runs.byHand8),
      bindsight: stat(runs.bindsight),
      overPipeline1: ratio(runs.bindsight, runs.pipeline1),
      overPipeline8: ratio(runs.bindsight, runs.pipeline8),
      overByHand8: ratio(runs.bindsight, runs.byHand8),
      agreement,
    };
    printTable(result);
    await writeJson(args, result);
  });
}

function printTable(r: {
  size: string;
  images: number;
  transformersPipeline1: Stat;
  transformersPipeline8: Stat;
  transformersByHand8: Stat;
  bindsight: Stat;
  overPipeline1: Stat;
  overPipeline8: Stat;
  overByHand8: Stat;
  agreement: { image: number; texts: Stat };
}): void {
  const lines = [
    `bindsight vs @huggingface/transformers (offline, same ONNX weights: bench pack ${r.size} vision + text), ${r.images} 640×480 JPEGs, ${LABELS.length} labels`,
    '',
    '| side | images/s, median (min–max) | bindsight ÷ side |',
    '| --- | --- | --- |',
    `| transformers.js zero-shot pipeline, 1 image per call | ${cell(r.transformersPipeline1, 2)} | **${cell(r.overPipeline1, 2)}** |`,
    `| transformers.js zero-shot pipeline, 8 images per call | ${cell(r.transformersPipeline8, 2)} | ${cell(r.overPipeline8, 2)} |`,
    `| transformers.js by hand: vision model ×8, labels encoded once | ${cell(r.transformersByHand8, 2)} | ${cell(r.overByHand8, 2)} |`,
    `| bindsight full agent (replay → … → MQTT), maxBatch 8 | ${cell(r.bindsight, 2)} | 1 |`,
    '',
    `Same computation: cosine of the two sides' embeddings of one image ${r.agreement.image.toFixed(4)}, of the label texts ${cell(r.agreement.texts, 4)}.`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
