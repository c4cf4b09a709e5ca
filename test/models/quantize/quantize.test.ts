/**
 * Dynamic int8 quantization on generated transformer-shaped models: the int8 model agrees with
 * fp32 (cosine ≥ 0.99 on random inputs whose fp32 embeddings clearly differ), is ≥ 3× smaller,
 * and has exactly the expected rewrite; Gemm's transB/alpha/beta/bias; options and refusals.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import t from 'tap';
import { attr, GraphBuilder } from '../../../models/onnx/graph.js';
import { Ops } from '../../../models/onnx/ops.js';
import { RandomWeights } from '../../../models/onnx/random.js';
import { buildVitEncoder } from '../../../models/onnx/vit.js';
import { moveToExternalData } from '../../../models/quantize/external.js';
import { quantizeFile } from '../../../models/quantize/files.js';
import { quantizeModel } from '../../../models/quantize/quantize.js';
import { OnnxSession } from '../../../src/encoders/session.js';

const { onnx } = onnxProto;
const SHAPE = [3, 64, 64];
const E = 256;
const B = 4;

async function embed(
  dir: string,
  name: string,
  bytes: Uint8Array,
  x: Float32Array,
  dims: number[],
): Promise<Float32Array> {
  const file = join(dir, `${name}.onnx`);
  await writeFile(file, bytes);
  const s = await OnnxSession.open(file, ['cpu']);
  try {
    const out = Object.values(await s.run({ input: { dtype: 'float32', data: x, dims } }))[0];
    if (!(out.data instanceof Float32Array)) throw new Error('expected float32');
    return out.data;
  } finally {
    await s.close();
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
}

const rows = (y: Float32Array, n: number) =>
  Array.from({ length: y.length / n }, (_, i) => y.subarray(i * n, (i + 1) * n));
const opTypes = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes).graph?.node?.map((n) => n.opType) ?? [];

const fp32 = buildVitEncoder({
  inputShape: SHAPE,
  patch: 8,
  width: 256,
  depth: 4,
  heads: 4,
  embeddingDim: E,
});
const x = new RandomWeights(11).normal(B * SHAPE.reduce((a, b) => a * b, 1));

for (const perChannel of [false, true]) {
  t.test(
    `ViT (width 256, depth 4), ${perChannel ? 'per-channel' : 'per-tensor'}: cosine ≥ 0.99 to fp32, ≥ 3× smaller`,
    async (t) => {
      const dir = t.testdir();
      const { bytes, report } = await quantizeModel(fp32, { perChannel });
      t.equal(report.quantized.length, 17, 'per block QKV, output, MLP up and down (4 × 4), and the head');
      t.equal(report.skipped.length, 8, 'per block the two attention MatMuls between activations');
      t.ok(report.skipped.every((s) => /activation/.test(s.reason)));
      t.equal(report.perChannel, perChannel);
      const ratio = fp32.length / bytes.length;
      t.ok(ratio >= 3, `file ${fp32.length} → ${bytes.length} bytes (${ratio.toFixed(2)}×)`);
      const types = opTypes(bytes);
      t.equal(types.filter((o) => o === 'MatMulInteger').length, 17);
      t.equal(
        types.filter((o) => o === 'DynamicQuantizeLinear').length,
        17,
        'one per distinct activation (each projection reads its own)',
      );
      t.equal(types.filter((o) => o === 'MatMul').length, 8, 'only activation × activation stays float');
      const want = rows(await embed(dir, 'fp32', fp32, x, [B, ...SHAPE]), E);
      const got = rows(await embed(dir, 'int8', bytes, x, [B, ...SHAPE]), E);
      for (let i = 0; i < B; i++)
        t.ok(
          cosine(got[i], want[i]) >= 0.99,
          `row ${i}: cosine ${cosine(got[i], want[i]).toFixed(5)} to fp32`,
        );
      t.ok(
        cosine(want[0], want[1]) < 0.9,
        'the fp32 embeddings of different inputs differ, so agreement means something',
      );
    },
  );
}

/** Y = Gemm(A [batch, 64], W, C) with W stored [32, 64] (transB = 1), alpha 0.5, beta 2. */
function gemmModel(opset = 17, withBias = true): Uint8Array {
  const g = new GraphBuilder({ name: 'gemm' });
  const op = new Ops(g);
  const rnd = new RandomWeights(3);
  const a = g.input('input', 'float32', ['batch', 64]);
  const w = g.initializer(rnd.normal(32 * 64, 0.2), [32, 64], 'w');
  const c = withBias ? g.initializer(rnd.normal(32, 1), [32], 'c') : null;
  g.output(op.gemm(a, w, c, { alpha: 0.5, beta: 2, transB: true }), 'y', 'float32', ['batch', 32]);
  const model = g.toModel();
  model.opsetImport = [{ domain: '', version: opset }];
  return onnx.ModelProto.encode(model).finish();
}

t.test('Gemm with transB, alpha, beta and a bias agrees with fp32', async (t) => {
  const dir = t.testdir();
  const input = new RandomWeights(5).normal(3 * 64);
  for (const withBias of [true, false]) {
    const model = gemmModel(17, withBias);
    const { bytes, report } = await quantizeModel(model, { perChannel: true });
    t.same(
      report.quantized.map((q) => [q.op, q.shape]),
      [['Gemm', [64, 32]]],
    );
    t.notOk(opTypes(bytes).includes('Gemm'));
    const want = await embed(dir, `g${withBias}`, model, input, [3, 64]);
    const got = await embed(dir, `q${withBias}`, bytes, input, [3, 64]);
    t.ok(cosine(got, want) > 0.999, `cosine ${cosine(got, want).toFixed(5)}`);
    const err = Math.max(...got.map((v, i) => Math.abs(v - want[i])));
    t.ok(err < 0.05 * Math.max(...want.map(Math.abs)), `max error ${err.toFixed(4)}`);
  }
});

t.test('options: small weights and excluded nodes stay float; int8 twice changes nothing', async (t) => {
  const all = await quantizeModel(fp32, { minElements: 256 * 257 });
  t.equal(
    all.report.quantized.length,
    12,
    'QKV (256 × 768) and MLP (256 × 1024); the 256 × 256 ones stay float',
  );
  const first = (await quantizeModel(fp32)).report.quantized[0].node;
  const some = await quantizeModel(fp32, { exclude: [first] });
  t.equal(some.report.quantized.length, 16);
  t.ok(some.report.skipped.some((s) => s.node === first && s.reason === 'excluded'));
  const twice = await quantizeModel(all.bytes);
  t.equal(twice.report.quantized.length, 5, 'the rest; the int8 weights are left as they are');
});

t.test('refusals: an opset below 11, bytes that are not ONNX', async (t) => {
  await t.rejects(quantizeModel(gemmModel(10)), {
    code: 'FILE_INVALID',
    message: /opset 10; .* needs opset 11 or later/,
  });
  await t.rejects(quantizeModel(Uint8Array.of(1, 2, 3, 4, 5)), {
    code: 'FILE_INVALID',
    message: /not an ONNX model/,
  });
});

t.test('quantizeFile reads external tensor data beside the input and writes one file', async (t) => {
  const dir = t.testdir();
  const model = onnx.ModelProto.decode(gemmModel());
  const data = moveToExternalData(model, 'gemm.onnx.data', 64);
  await writeFile(join(dir, 'gemm.onnx'), onnx.ModelProto.encode(model).finish());
  await writeFile(join(dir, 'gemm.onnx.data'), data);
  const r = await quantizeFile(join(dir, 'gemm.onnx'), join(dir, 'out', 'gemm-int8.onnx'));
  t.equal(r.report.externalTensors, 2, 'weight and bias were external');
  t.equal(r.bytesIn, (await readFile(join(dir, 'gemm.onnx'))).length + data.length);
  const input = new RandomWeights(5).normal(64);
  const want = await embed(dir, 'inline', gemmModel(), input, [1, 64]);
  const got = await embed(dir, 'copy', await readFile(r.output), input, [1, 64]);
  t.ok(cosine(got, want) > 0.999);
  await t.rejects(quantizeFile(join(dir, 'gemm.onnx'), join(dir, 'gemm.onnx')), { code: 'USAGE' });
  await t.rejects(quantizeFile(join(dir, 'none.onnx'), join(dir, 'x.onnx')), {
    code: 'PACK_FILE_MISSING',
    message: /none\.onnx/,
  });
});

t.test('two weights on one activation share one DynamicQuantizeLinear', async (t) => {
  const g = new GraphBuilder({ name: 'shared' });
  const op = new Ops(g);
  const rnd = new RandomWeights(2);
  const a = g.input('input', 'float32', ['batch', 64]);
  const q = op.matMul(a, g.initializer(rnd.normal(64 * 32, 0.1), [64, 32], 'wq'));
  const k = op.matMul(a, g.initializer(rnd.normal(64 * 32, 0.1), [64, 32], 'wk'));
  g.output(op.add(q, k), 'y', 'float32', ['batch', 32]);
  const model = g.toBytes();
  const { bytes } = await quantizeModel(model);
  t.equal(opTypes(bytes).filter((o) => o === 'DynamicQuantizeLinear').length, 1);
  const input = new RandomWeights(9).normal(2 * 64);
  const dir = t.testdir();
  const want = await embed(dir, 'f', model, input, [2, 64]);
  const got = await embed(dir, 'q', bytes, input, [2, 64]);
  t.ok(cosine(got, want) > 0.999);
});

t.test('a Gemm with transA is left float, with the reason', async (t) => {
  const g = new GraphBuilder({ name: 'ta' });
  const a = g.input('input', 'float32', [64, 'batch']);
  const w = g.initializer(new RandomWeights(1).normal(64 * 32), [64, 32], 'w');
  g.output(g.op('Gemm', [a, w], { transA: attr.int(1) }), 'y', 'float32');
  const { report } = await quantizeModel(g.toBytes());
  t.same(
    report.skipped.map((s) => s.reason),
    ['Gemm with transA = 1'],
  );
});
