/**
 * The random-weight transformer encoders: ImageBind's I/O for every input layout, ImageBind's
 * postprocessor (norm = outputScale; multi-clip mean), input-sensitive outputs, determinism,
 * and the text encoder's causal mask + end-marker pooling.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { RandomWeights } from '../../../models/onnx/random.js';
import { buildTextEncoder } from '../../../models/onnx/text.js';
import { buildVitEncoder, type VitEncoderOptions } from '../../../models/onnx/vit.js';
import { type HostTensor, OnnxSession } from '../../../src/encoders/session.js';

async function run(dir: string, name: string, bytes: Uint8Array, feed: HostTensor): Promise<Float32Array> {
  const file = join(dir, `${name}.onnx`);
  await writeFile(file, bytes);
  const s = await OnnxSession.open(file, ['cpu']);
  try {
    const out = await s.run({ input: feed });
    if (!(out.embedding.data instanceof Float32Array)) throw new Error('expected float32');
    return out.embedding.data;
  } finally {
    await s.close();
  }
}

const norm = (v: Float32Array) => Math.hypot(...v);
function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return d / (norm(a) * norm(b));
}

const E = 32;
const CASES: [string, VitEncoderOptions][] = [
  ['image', { inputShape: [3, 56, 56], patch: 14, width: 32, depth: 2, heads: 4, embeddingDim: E }],
  [
    'clips',
    {
      inputShape: [3, 1, 32, 40],
      patch: 16,
      stride: 10,
      width: 32,
      depth: 1,
      heads: 2,
      embeddingDim: E,
      outputScale: 20,
    },
  ],
  [
    'series',
    { inputShape: [6, 64], patch: 8, width: 32, depth: 1, heads: 2, embeddingDim: E, outputScale: 5 },
  ],
];

for (const [name, options] of CASES) {
  t.test(
    `${name} ${JSON.stringify(options.inputShape)}: [batch, ${E}] rows of the right norm that depend on the input`,
    async (t) => {
      const bytes = buildVitEncoder(options);
      t.same(bytes, buildVitEncoder(options), 'identical options give identical bytes');
      const n = options.inputShape.reduce((a, b) => a * b, 1);
      const y = await run(t.testdir(), name, bytes, {
        dtype: 'float32',
        data: new RandomWeights(7).normal(3 * n),
        dims: [3, ...options.inputShape],
      });
      t.equal(y.length, 3 * E);
      const rows = [0, 1, 2].map((i) => y.subarray(i * E, (i + 1) * E));
      const scale = options.outputScale ?? 1;
      for (const r of rows) {
        if (options.inputShape.length === 4)
          t.ok(norm(r) <= scale * 1.0001 && norm(r) > scale * 0.3, 'multi-clip mean: at most outputScale');
        else t.ok(Math.abs(norm(r) - scale) < 1e-3 * scale, 'L2-normalised × outputScale');
      }
      t.ok(
        cosine(rows[0], rows[1]) < 0.99,
        `different inputs, different embeddings (cos ${cosine(rows[0], rows[1]).toFixed(3)})`,
      );
    },
  );
}

t.test('bad shapes are refused', async (t) => {
  t.throws(
    () => buildVitEncoder({ inputShape: [5], patch: 1, width: 8, depth: 1, heads: 2, embeddingDim: 4 }),
    RangeError,
  );
  t.throws(
    () => buildVitEncoder({ inputShape: [6, 60], patch: 8, width: 8, depth: 1, heads: 2, embeddingDim: 4 }),
    /multiple of the patch/,
  );
  t.throws(
    () => buildVitEncoder({ inputShape: [6, 64], patch: 8, width: 10, depth: 1, heads: 4, embeddingDim: 4 }),
    /multiple of heads/,
  );
});

t.test('text: causal mask and end-marker pooling: tokens after the end marker change nothing', async (t) => {
  const bytes = buildTextEncoder({
    vocabSize: 100,
    contextLength: 8,
    width: 16,
    depth: 2,
    heads: 2,
    embeddingDim: E,
    outputScale: 100,
  });
  const ids = BigInt64Array.from(
    [
      [98, 5, 6, 99, 0, 0, 0, 0],
      [98, 5, 6, 99, 7, 7, 7, 7], // same prefix, different tail after the end marker (99, the largest id)
      [98, 5, 8, 99, 0, 0, 0, 0],
    ].flat(),
    BigInt,
  );
  const y = await run(t.testdir(), 'text', bytes, { dtype: 'int64', data: ids, dims: [3, 8] });
  const rows = [0, 1, 2].map((i) => y.subarray(i * E, (i + 1) * E));
  t.ok(Math.abs(norm(rows[0]) - 100) < 1e-2, 'norm = logit scale');
  t.ok(cosine(rows[0], rows[1]) > 0.99999, 'the tail is masked out');
  t.ok(cosine(rows[0], rows[2]) < 0.99, 'a different token before the end marker matters');
});
