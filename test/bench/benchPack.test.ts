/**
 * The bench pack's I/O contract (models/bench/benchPack.ts) and the transformers.js CLIP folder made
 * from it (models/bench/transformersFolder.ts, clipGraphs.ts): the pack loads through the real
 * loadPack (hashes, ONNX I/O, words tokenizer), its int8 twin too; the folder's graphs compute what
 * the pack computes, and its tokenizer.json gives the pack tokenizer's ids. On a tiny trunk: the
 * contract does not depend on the size.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';
import t from 'tap';
import { parse } from 'yaml';
import { packView } from '../../bench/packs.js';
import { ALL_PROMPTS } from '../../bench/prompts.js';
import { cosine } from '../../bench/stats.js';
import { BENCH_SENSORS, BENCH_TEXT, buildBenchPacks } from '../../models/bench/benchPack.js';
import { writeClipFolder } from '../../models/bench/transformersFolder.js';
import { loadPack } from '../../src/encoders/pack.js';
import { OnnxSession } from '../../src/encoders/session.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TINY = { width: 32, depth: 1, heads: 2 };

t.test(
  'bench pack: six encoders, words tokenizer, every bench and demo prompt known; int8 twin',
  async (t) => {
    const dir = t.testdir();
    const built = await buildBenchPacks(dir, { trunk: TINY, embeddingDim: 64 });
    const fp32 = await loadPack(built.fp32);
    t.teardown(() => fp32.close());
    t.same([...fp32.encoders.keys()].sort(), [...BENCH_SENSORS, 'text'].sort());
    t.equal(fp32.tokenizer?.kind, 'words');
    const demo = parse(await readFile(join(REPO, 'config', 'default.yaml'), 'utf8')) as {
      rules: Array<{ prompts: string[]; contrast: string[] }>;
    };
    const texts = [...ALL_PROMPTS, ...demo.rules.flatMap((r) => [...r.prompts, ...r.contrast])];
    for (const text of texts) t.same(fp32.tokenizer?.unknownWords(text), [], text);
    const ids = fp32.tokenizer!.encode('a bright room');
    t.equal(ids.length, BENCH_TEXT.contextLength);
    t.equal(ids[0], BigInt(BENCH_TEXT.sot));
    t.equal(ids[4], BigInt(BENCH_TEXT.eot));
    const [e] = await fp32.embedTexts(['a bright room']);
    t.equal(e.length, 64);
    const int8 = await loadPack(built.int8);
    t.teardown(() => int8.close());
    for (const m of [...BENCH_SENSORS, 'text'] as const)
      t.equal(int8.manifest.modalities[m]?.precision, 'int8', m);
    t.ok(
      built.quantized.every((q) => q.bytesOut < q.bytesIn),
      'int8 files are smaller',
    );
    const view = await packView(built.fp32, join(dir, 'view'), ['vision', 'text']);
    const v = await loadPack(view);
    t.teardown(() => v.close());
    t.same([...v.encoders.keys()].sort(), ['text', 'vision']);
  },
);

async function run(file: string, feeds: Parameters<OnnxSession['run']>[0]) {
  const s = await OnnxSession.open(file, ['cpu']);
  try {
    return await s.run(feeds);
  } finally {
    await s.close();
  }
}

t.test('transformers.js folder: same tokens, same embeddings, CLIP logits', async (t) => {
  const dir = t.testdir();
  const built = await buildBenchPacks(join(dir, 'packs'), { trunk: TINY, embeddingDim: 64 });
  const folder = await writeClipFolder(built.fp32, join(dir, 'models', 'clip'), built.int8);
  t.same(Object.keys(folder.files).sort(), [
    'model.onnx',
    'model_quantized.onnx',
    'text_model.onnx',
    'text_model_quantized.onnx',
    'vision_model.onnx',
    'vision_model_quantized.onnx',
  ]);
  const pack = await loadPack(built.fp32);
  t.teardown(() => pack.close());

  env.allowRemoteModels = false;
  env.localModelPath = join(dir, 'models');
  env.useFSCache = false;
  const tokenizer = await AutoTokenizer.from_pretrained('clip');
  const texts = ['This is a photo of a dog', 'a bright room'];
  const enc = tokenizer(texts, { padding: true, truncation: true });
  const [n, len] = enc.input_ids.dims;
  t.equal(n, 2);
  t.ok(len < BENCH_TEXT.contextLength, 'transformers.js pads to the longest text, not the context');
  const hfIds = enc.input_ids.data as BigInt64Array;
  for (let i = 0; i < n; i++) {
    const ours = pack.tokenizer!.encode(texts[i]);
    t.same([...hfIds.slice(i * len, (i + 1) * len)], [...ours.slice(0, len)], texts[i]);
  }

  const clip = join(dir, 'models', 'clip', 'onnx');
  const text = await run(join(clip, 'text_model.onnx'), {
    input_ids: { dtype: 'int64', data: hfIds, dims: [n, len] },
  });
  const ours = await pack.embedTexts(texts);
  const rows = (x: Float32Array, d: number) =>
    Array.from({ length: x.length / d }, (_, i) => x.slice(i * d, (i + 1) * d));
  const hfText = rows(text.text_embeds.data as Float32Array, 64);
  for (let i = 0; i < n; i++) t.ok(cosine(hfText[i], ours[i]) > 0.99999, `text ${i} embeds as in the pack`);

  const pixels = Float32Array.from({ length: 2 * 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.01));
  const [a, b] = await pack.encoders
    .get('vision')!
    .embed([pixels.slice(0, 3 * 224 * 224), pixels.slice(3 * 224 * 224)]);
  const all = await run(join(clip, 'model.onnx'), {
    input_ids: { dtype: 'int64', data: hfIds, dims: [n, len] },
    pixel_values: { dtype: 'float32', data: pixels, dims: [2, 3, 224, 224] },
  });
  const images = rows(all.image_embeds.data as Float32Array, 64);
  t.ok(cosine(images[0], a) > 0.99999 && cosine(images[1], b) > 0.99999, 'images embed as in the pack');
  t.same(all.logits_per_image.dims, [2, n]);
  t.same(all.logits_per_text.dims, [n, 2]);
  const logits = all.logits_per_image.data as Float32Array;
  t.ok(Math.abs(logits[1] - pack.manifest.logitScale * cosine(a, ours[1])) < 1e-2, 'logit = scale · cosine');
});
