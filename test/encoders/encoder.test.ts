import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { ModalitySpec, TensorSpec } from '../../models/manifest.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { type Dim, type DType, GraphBuilder } from '../../models/onnx/graph.js';
import { Ops } from '../../models/onnx/ops.js';
import { Encoder, normalizeRows } from '../../src/encoders/encoder.js';
import { OnnxSession } from '../../src/encoders/session.js';

// W maps a 4-value sample to 3 values: y = x·W, W = [[1,0,0],[0,1,0],[0,0,1],[1,1,1]].
const W = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1);

/** A model reading `dtype` [batch, 2, 2] and returning float32 (or float16) [batch, 3] = flatten(x)·W. */
async function encoderFor(
  dir: string,
  opts: { batch?: Dim; dtype?: DType & TensorSpec['dtype']; embeddingDim?: number } = {},
): Promise<Encoder> {
  const { batch = 'batch', dtype = 'float32', embeddingDim = 3 } = opts;
  const g = new GraphBuilder({ name: 'enc' });
  const op = new Ops(g);
  const x = g.input('input', dtype, [batch, 2, 2]);
  const asFloat = dtype === 'float32' ? x : op.cast(x, 'float32');
  let y = op.matMul(op.flatten(asFloat, 1), g.initializer(W, [4, 3], 'w'));
  if (dtype === 'float16') y = op.cast(y, 'float16');
  const outType = dtype === 'float16' ? 'float16' : 'float32';
  g.output(y, 'embedding', outType, [batch, 3]);
  const file = join(dir, `enc-${String(batch)}-${dtype}.onnx`);
  await writeFile(file, g.toBytes());
  const session = await OnnxSession.open(file, ['cpu']);
  const spec: ModalitySpec = {
    file: 'enc.onnx',
    sha256: '0'.repeat(64),
    externalData: [],
    precision: 'fp32',
    health: { collapse: true },
    input: { name: 'input', shape: [batch, 2, 2], dtype },
    output: { name: 'embedding', shape: [batch, 3], dtype: outType },
    outputScale: 1,
    preprocess: { ...IMAGEBIND_PREPROCESS.imu },
  };
  return new Encoder({ modality: 'imu', spec, session, embeddingDim });
}

/** The expected unit row for a sample. */
function expected(x: readonly number[]): number[] {
  const y = [x[0] + x[3], x[1] + x[3], x[2] + x[3]];
  const n = Math.hypot(...y);
  return y.map((v) => v / n);
}

const near = (a: ArrayLike<number>, b: readonly number[]) => b.every((v, i) => Math.abs(a[i] - v) < 1e-3);

t.test('batches samples into one run and returns unit rows in order', async (t) => {
  const enc = await encoderFor(t.testdir());
  t.teardown(() => enc.close());
  t.same(enc.sampleShape, [2, 2]);
  t.equal(enc.sampleSize, 4);
  t.equal(enc.fixedBatch, null);
  t.equal(enc.provider, 'cpu');
  const samples = [
    [1, 2, 3, 0],
    [0, 0, 0, 5],
    [-3, 4, 0, 0],
  ];
  const out = await enc.embed(samples.map((s) => Float32Array.from(s)));
  t.equal(out.length, 3);
  out.forEach((row, i) => {
    t.ok(near(row, expected(samples[i])), `row ${i}: ${[...row]}`);
  });
  t.same(await enc.embed([]), []);
});

t.test('refuses samples of the wrong size or type (PREPROCESS_INVALID)', async (t) => {
  const enc = await encoderFor(t.testdir());
  t.teardown(() => enc.close());
  await t.rejects(enc.embed([new Float32Array(4), new Float32Array(5)]), {
    code: 'PREPROCESS_INVALID',
    message:
      /imu sample 1 is a Float32Array of 5 values; enc\.onnx input 'input' needs a Float32Array of 4 \(2×2, pack\.json shape \[batch,2,2\]\)/,
  });
  await t.rejects(enc.embed([new BigInt64Array(4)]), {
    code: 'PREPROCESS_INVALID',
    message: /BigInt64Array of 4 values/,
  });
});

t.test('a fixed-batch model runs in chunks, padding the last one', async (t) => {
  const enc = await encoderFor(t.testdir(), { batch: 2 });
  t.teardown(() => enc.close());
  t.equal(enc.fixedBatch, 2);
  const samples = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 1],
  ];
  const out = await enc.embed(samples.map((s) => Float32Array.from(s)));
  t.equal(out.length, 3);
  out.forEach((row, i) => {
    t.ok(near(row, expected(samples[i])), `row ${i}`);
  });
});

t.test('float16 models are fed and read through float32', async (t) => {
  const enc = await encoderFor(t.testdir(), { dtype: 'float16' });
  t.teardown(() => enc.close());
  const [row] = await enc.embed([Float32Array.of(1, 2, 3, 0)]);
  t.ok(row instanceof Float32Array);
  t.ok(near(row, expected([1, 2, 3, 0])));
});

t.test('an output of the wrong width is INFERENCE_FAILED', async (t) => {
  const enc = await encoderFor(t.testdir(), { embeddingDim: 4 });
  t.teardown(() => enc.close());
  await t.rejects(enc.embed([new Float32Array(4)]), {
    code: 'INFERENCE_FAILED',
    message: /enc\.onnx output 'embedding' is float32 \[1,3\]; expected float32 \[1,4\]/,
  });
});

t.test('normalizeRows divides by max(norm, 1e-12)', async (t) => {
  const rows = normalizeRows(Float32Array.of(3, 4, 0, 0), 2, 2);
  t.same([...rows[0]], [Math.fround(0.6), Math.fround(0.8)]);
  t.same([...rows[1]], [0, 0]);
});

t.test(
  'NaN/Inf embeddings are INFERENCE_FAILED and mark the modality degraded; health counts rows',
  async (t) => {
    const g = new GraphBuilder({ name: 'nan' });
    const op = new Ops(g);
    const x = g.input('input', 'float32', ['batch', 2, 2]);
    // x / sum(x): a sample summing to 0 gives NaN or ±Inf, like a broken export would.
    const flat = op.flatten(x, 1);
    g.output(op.div(op.slice(flat, [0], [3], [1]), op.reduceSum(flat, [1], true)), 'embedding', 'float32', [
      'batch',
      3,
    ]);
    const file = join(t.testdir(), 'nan.onnx');
    await writeFile(file, g.toBytes());
    const session = await OnnxSession.open(file, ['cpu']);
    const spec: ModalitySpec = {
      file: 'nan.onnx',
      sha256: '0'.repeat(64),
      externalData: [],
      precision: 'fp32',
      health: { collapse: true },
      input: { name: 'input', shape: ['batch', 2, 2], dtype: 'float32' },
      output: { name: 'embedding', shape: ['batch', 3], dtype: 'float32' },
      outputScale: 1,
      preprocess: { ...IMAGEBIND_PREPROCESS.imu },
    };
    const enc = new Encoder({ modality: 'imu', spec, session, embeddingDim: 3 });
    t.teardown(() => enc.close());
    const seen: string[] = [];
    enc.onHealthChange((s) => seen.push(s.state));
    const [ok] = await enc.embed([Float32Array.of(1, 0, 0, 0)]);
    t.same([...ok], [1, 0, 0]);
    t.equal(enc.health().state, 'ok');
    await t.rejects(enc.embed([Float32Array.of(1, 2, 3, 4), Float32Array.of(1, -1, 0, 0)]), {
      code: 'INFERENCE_FAILED',
      message:
        /nan\.onnx returned NaN or Inf in 1 of 2 imu embeddings; imu \(nan\.onnx\): output row 2 of 2 holds NaN or Inf/,
    });
    t.match(enc.health(), { state: 'degraded', counters: { rows: 3, non_finite_rows: 1 } });
    t.same(seen, ['degraded']);
  },
);
