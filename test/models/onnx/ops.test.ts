/**
 * Every helper in ops.ts runs in onnxruntime (opset 17) and gives the value computed by hand
 * in JS. A helper that put `axes` in the wrong place for opset 17 (input vs attribute) fails
 * at session creation or gives another reduction, so these also pin the opset rules.
 */
import t from 'tap';
import { GraphBuilder, type Value } from '../../../models/onnx/graph.js';
import { Ops } from '../../../models/onnx/ops.js';
import { close, f32, floats, runGraph } from './run.js';

/** Builds `body(op, x)` for x = float32 `data` of `dims`, runs it, returns the named outputs' data. */
async function evaluate(
  dir: string,
  data: readonly number[],
  dims: readonly number[],
  body: (op: Ops, x: Value) => Record<string, Value>,
): Promise<Record<string, { data: number[]; dims: readonly number[] }>> {
  const g = new GraphBuilder({ name: 'ops' });
  const op = new Ops(g);
  const x = g.input('x', 'float32', dims);
  const outs = body(op, x);
  for (const [name, v] of Object.entries(outs)) g.output(v, name, 'float32');
  const result = await runGraph(dir, g, { x: f32(data, dims) });
  return Object.fromEntries(
    Object.keys(outs).map((k) => [k, { data: floats(result[k]), dims: result[k].dims }]),
  );
}

// x = [[1, 2, 3], [4, 5, 6]]
const X = [1, 2, 3, 4, 5, 6];

t.test('reductions: ReduceSum axes as input, the others as attribute (opset 17)', async (t) => {
  const r = await evaluate(t.testdir(), X, [2, 3], (op, x) => ({
    sum1: op.reduceSum(x, [1], false),
    sum0: op.reduceSum(x, [0], true),
    mean: op.reduceMean(x, [1], false),
    max: op.reduceMax(x, [0], false),
    min: op.reduceMin(x, [1], true),
    l2: op.reduceL2(x, [1], false),
    sumsq: op.reduceSumSquare(x, [0, 1], false),
  }));
  t.same(r.sum1.data, [6, 15]);
  t.same(r.sum0.dims, [1, 3]);
  t.same(r.sum0.data, [5, 7, 9]);
  t.same(r.mean.data, [2, 5]);
  t.same(r.max.data, [4, 5, 6]);
  t.same(r.min.dims, [2, 1]);
  t.same(r.min.data, [1, 4]);
  t.equal(close(r.l2.data, [Math.sqrt(14), Math.sqrt(77)]), true);
  t.same(r.sumsq.data, [91]);
});

t.test('element-wise arithmetic, comparisons, Where and Cast', async (t) => {
  const r = await evaluate(t.testdir(), [-1, 0, 4], [3], (op, x) => ({
    add: op.add(x, 1),
    sub: op.sub(10, x),
    mul: op.mul(x, x),
    div: op.div(x, 2),
    pow: op.pow(x, 2),
    max: op.max(x, 0, op.f32([0.5, 0.5, 0.5], [3])),
    min: op.min(x, 1),
    sqrt: op.sqrt(op.abs(x)),
    sigmoid: op.sigmoid(x),
    relu: op.relu(x),
    tanh: op.tanh(x),
    exp: op.exp(x),
    log: op.log(op.add(op.abs(x), 1)),
    neg: op.neg(x),
    clip: op.clip(x, -0.5, 2),
    clipHigh: op.clip(x, undefined, 1),
    where: op.where(op.greater(x, 0), x, -7),
    lessCast: op.cast(op.less(x, 0), 'float32'),
    notCast: op.cast(op.not(op.greater(x, 0)), 'float32'),
    identity: op.identity(x),
  }));
  t.same(r.add.data, [0, 1, 5]);
  t.same(r.sub.data, [11, 10, 6]);
  t.same(r.mul.data, [1, 0, 16]);
  t.same(r.div.data, [-0.5, 0, 2]);
  t.same(r.pow.data, [1, 0, 16]);
  t.same(r.max.data, [0.5, 0.5, 4]);
  t.same(r.min.data, [-1, 0, 1]);
  t.same(r.sqrt.data, [1, 0, 2]);
  t.equal(close(r.sigmoid.data, [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-4))]), true);
  t.same(r.relu.data, [0, 0, 4]);
  t.equal(close(r.tanh.data, [Math.tanh(-1), 0, Math.tanh(4)]), true);
  t.equal(close(r.exp.data, [Math.exp(-1), 1, Math.exp(4)], 1e-4), true);
  t.equal(close(r.log.data, [Math.log(2), 0, Math.log(5)]), true);
  t.same(r.neg.data, [1, -0, -4]);
  t.same(r.clip.data, [-0.5, 0, 2]);
  t.same(r.clipHigh.data, [-1, 0, 1]);
  t.same(r.where.data, [-7, -7, 4]);
  t.same(r.lessCast.data, [1, 0, 0]);
  t.same(r.notCast.data, [1, 1, 0]);
  t.same(r.identity.data, [-1, 0, 4]);
});

t.test(
  'shape ops: Reshape, Flatten, Transpose, Slice, Concat, Split, (Un)squeeze, Gather, Expand',
  async (t) => {
    const r = await evaluate(t.testdir(), X, [2, 3], (op, x) => ({
      reshape: op.reshape(x, [3, -1]),
      flatten: op.flatten(op.unsqueeze(x, [0]), 1),
      transpose: op.transpose(x, [1, 0]),
      slice: op.slice(x, [1], [3], [1]),
      sliceSteps: op.slice(x, [0, 2], [2, -4], undefined, [1, -2]),
      concat: op.concat([x, x], 0),
      split0: op.split(x, [1, 2], 1)[0],
      split1: op.split(x, [1, 2], 1)[1],
      squeeze: op.squeeze(op.unsqueeze(x, [0, 3]), [0, 3]),
      gather: op.gather(x, op.i64([2, 0], [2]), 1),
      expand: op.expand(op.reduceMean(x, [0, 1], true), op.i64([2, 2], [2])),
      shape: op.cast(op.shape(x), 'float32'),
    }));
    t.same(r.reshape.dims, [3, 2]);
    t.same(r.flatten.dims, [1, 6]);
    t.same(r.transpose.data, [1, 4, 2, 5, 3, 6]);
    t.same(r.slice.data, [2, 3, 5, 6]);
    t.same(r.sliceSteps.data, [3, 1, 6, 4]);
    t.same(r.concat.dims, [4, 3]);
    t.same(r.split0.data, [1, 4]);
    t.same(r.split1.data, [2, 3, 5, 6]);
    t.same(r.squeeze.dims, [2, 3]);
    t.same(r.gather.data, [3, 1, 6, 4]);
    t.same(r.expand.data, [3.5, 3.5, 3.5, 3.5]);
    t.same(r.shape.data, [2, 3]);
  },
);

t.test('Softmax, LayerNormalization, exact GELU and Gemm', async (t) => {
  const r = await evaluate(t.testdir(), X, [2, 3], (op, x) => ({
    softmax: op.softmax(x, -1),
    layerNorm: op.layerNorm(x, op.f32([1, 2, 1], [3]), op.f32([0, 0, 1], [3]), 1e-5),
    gelu: op.gelu(op.sub(x, 3.5)),
    gemm: op.gemm(x, op.f32([1, 0, 0, 1, 1, 1], [2, 3]), op.f32([100, 200], [2]), { transB: true, alpha: 2 }),
  }));
  const e = [Math.exp(-2), Math.exp(-1), 1];
  const s = e[0] + e[1] + e[2];
  t.equal(
    close(
      r.softmax.data.slice(0, 3),
      e.map((v) => v / s),
    ),
    true,
  );
  // Each row is mean ± 1 apart: normalised values −√1.5, 0, +√1.5 (variance 2/3, eps 1e-5).
  const z = 1 / Math.sqrt(2 / 3 + 1e-5);
  t.equal(close(r.layerNorm.data.slice(0, 3), [-z, 0, z + 1], 1e-4), true);
  // GELU(x) = 0.5·x·(1 + erf(x/√2)); erf(2.5/√2) = 0.987580669, erf(0.5/√2) = 0.382924923.
  t.equal(
    close(
      [r.gelu.data[0], r.gelu.data[2]],
      [0.5 * -2.5 * (1 - 0.987580669), 0.5 * -0.5 * (1 - 0.382924923)],
      1e-5,
    ),
    true,
  );
  t.equal(close([r.gelu.data[5]], [0.5 * 2.5 * (1 + 0.987580669)], 1e-5), true);
  // 2·x·Bᵀ + c, B = [[1,0,0],[1,1,1]] → row 1: [2·1+100, 2·6+200]
  t.same(r.gemm.data, [102, 212, 108, 230]);
});

t.test('Conv as a patch embedding and AveragePool as a moving average', async (t) => {
  // 1×1×4×4 image 0..15, kernel 2×2 stride 2 of ones → sum of each 2×2 patch, plus bias 1.
  const img = Array.from({ length: 16 }, (_, i) => i);
  const r = await evaluate(t.testdir(), img, [1, 1, 4, 4], (op, x) => ({
    conv: op.conv(x, op.f32([1, 1, 1, 1], [1, 1, 2, 2]), op.f32([1], [1]), {
      kernel: [2, 2],
      strides: [2, 2],
    }),
    pool: op.averagePool(op.reshape(x, [1, 1, 16]), { kernel: [4], strides: [1] }),
    padded: op.averagePool(op.reshape(x, [1, 1, 16]), {
      kernel: [3],
      strides: [3],
      pads: [1, 0],
      countIncludePad: true,
    }),
    maxPool: op.maxPool(x, { kernel: [2, 2], strides: [2, 2] }),
  }));
  t.same(r.conv.dims, [1, 1, 2, 2]);
  t.same(r.conv.data, [0 + 1 + 4 + 5 + 1, 2 + 3 + 6 + 7 + 1, 8 + 9 + 12 + 13 + 1, 10 + 11 + 14 + 15 + 1]);
  t.same(r.pool.dims, [1, 1, 13]);
  t.same(
    r.pool.data,
    Array.from({ length: 13 }, (_, i) => i + 1.5),
  );
  t.equal(close(r.padded.data.slice(0, 2), [(0 + 0 + 1) / 3, (2 + 3 + 4) / 3]), true);
  t.same(r.maxPool.data, [5, 7, 13, 15]);
});
