import t from 'tap';
import { mulberry32 } from '../../../models/demo/concepts.js';
import { GraphBuilder } from '../../../models/onnx/graph.js';
import { complement, gate, l2Normalize, linear } from '../../../models/onnx/nn.js';
import { Ops } from '../../../models/onnx/ops.js';
import { erf } from '../../helpers/math.js';
import { close, f32, floats, runGraph } from './run.js';

t.test('l2Normalize is x / max(‖x‖, 1e-12): unit rows, and a zero row stays zero', async (t) => {
  const g = new GraphBuilder({ name: 'l2' });
  const op = new Ops(g);
  const x = g.input('x', 'float32', ['batch', 2]);
  g.output(l2Normalize(op, x), 'y', 'float32', ['batch', 2]);
  const r = await runGraph(t.testdir(), g, { x: f32([3, 4, 0, 0, -1e-3, 0], [3, 2]) });
  t.equal(close(floats(r.y), [0.6, 0.8, 0, 0, -1, 0]), true);
});

t.test('linear, gate and complement', async (t) => {
  const g = new GraphBuilder({ name: 'lin' });
  const op = new Ops(g);
  const x = g.input('x', 'float32', [1, 2]);
  g.output(linear(op, x, Float32Array.of(1, 2, 3, 4), 2, 2, Float32Array.of(0.5, -0.5)), 'lin', 'float32');
  g.output(gate(op, x, 2, 1), 'gate', 'float32');
  g.output(complement(op, gate(op, x, -2, 1)), 'comp', 'float32');
  const r = await runGraph(t.testdir(), g, { x: f32([1, 3], [1, 2]) });
  // [1,3]·[[1,2],[3,4]] = [10, 14] + b
  t.same(floats(r.lin), [10.5, 13.5]);
  t.equal(close(floats(r.gate), [0.5, 1 / (1 + Math.exp(-4))]), true);
  t.equal(close(floats(r.comp), [0.5, 1 / (1 + Math.exp(-4))]), true);
});

// ---- a transformer-shaped encoder, checked against a plain-JS forward pass ------------

const D = 4; // width
const HEADS = 2;
const DH = D / HEADS;
const N = 4; // tokens: a 4×4 image in 2×2 patches
const HIDDEN = 8;

function weights(seed: number, n: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => next() - 0.5);
}

type Mat = number[][];
const matmul = (a: Mat, b: Float32Array, cols: number): Mat =>
  a.map((row) => Array.from({ length: cols }, (_, j) => row.reduce((s, v, k) => s + v * b[k * cols + j], 0)));
const layerNorm = (a: Mat): Mat =>
  a.map((row) => {
    const m = row.reduce((s, v) => s + v, 0) / row.length;
    const v = row.reduce((s, x) => s + (x - m) ** 2, 0) / row.length;
    return row.map((x) => (x - m) / Math.sqrt(v + 1e-6));
  });

function reference(img: readonly number[], w: Record<string, Float32Array>): number[] {
  // Patch embedding: Conv k = s = 2, no bias → token p (row-major patch order), channel d.
  const tokens: Mat = Array.from({ length: N }, (_, p) => {
    const py = Math.floor(p / 2);
    const px = p % 2;
    return Array.from({ length: D }, (_, d) => {
      let s = 0;
      for (let ky = 0; ky < 2; ky++)
        for (let kx = 0; kx < 2; kx++)
          s += w.conv[d * 4 + ky * 2 + kx] * img[(py * 2 + ky) * 4 + px * 2 + kx];
      return s;
    });
  });
  const h = layerNorm(tokens);
  const q = matmul(h, w.q, D);
  const k = matmul(h, w.k, D);
  const v = matmul(h, w.v, D);
  const attn: Mat = tokens.map(() => new Array(D).fill(0));
  for (let head = 0; head < HEADS; head++) {
    const o = head * DH;
    for (let i = 0; i < N; i++) {
      const logits = k.map(
        (kj) => q[i].slice(o, o + DH).reduce((s, x, c) => s + x * kj[o + c], 0) / Math.sqrt(DH),
      );
      const mx = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - mx));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < DH; c++) attn[i][o + c] = e.reduce((s, ej, j) => s + (ej / sum) * v[j][o + c], 0);
    }
  }
  const x1 = matmul(attn, w.o, D).map((row, i) => row.map((x, d) => x + tokens[i][d]));
  const hidden = matmul(layerNorm(x1), w.fc1, HIDDEN).map((row) =>
    row.map((x) => 0.5 * x * (1 + erf(x / Math.SQRT2))),
  );
  const x2 = matmul(hidden, w.fc2, D).map((row, i) => row.map((x, d) => x + x1[i][d]));
  return x2.flat();
}

t.test(
  'a transformer-shaped block (patch conv, 2-head attention, GELU MLP) matches a JS forward pass',
  async (t) => {
    const w = {
      conv: weights(1, D * 4),
      q: weights(2, D * D),
      k: weights(3, D * D),
      v: weights(4, D * D),
      o: weights(5, D * D),
      fc1: weights(6, D * HIDDEN),
      fc2: weights(7, HIDDEN * D),
    };
    const g = new GraphBuilder({ name: 'block' });
    const op = new Ops(g);
    const img = g.input('image', 'float32', ['batch', 1, 4, 4]);
    const patches = op.conv(img, g.initializer(w.conv, [D, 1, 2, 2], 'patch'), null, {
      kernel: [2, 2],
      strides: [2, 2],
    });
    const tokens = op.transpose(op.reshape(patches, [0, D, N]), [0, 2, 1]); // [B, N, D]
    const ones = op.f32(new Array(D).fill(1), [D]);
    const zeros = op.f32(new Array(D).fill(0), [D]);
    const h = op.layerNorm(tokens, ones, zeros, 1e-6);
    const heads = (m: Float32Array) =>
      op.transpose(op.reshape(linear(op, h, m, D, D), [0, N, HEADS, DH]), [0, 2, 1, 3]);
    const scores = op.div(op.matMul(heads(w.q), op.transpose(heads(w.k), [0, 1, 3, 2])), Math.sqrt(DH));
    const mixed = op.matMul(op.softmax(scores, -1), heads(w.v)); // [B, H, N, DH]
    const merged = op.reshape(op.transpose(mixed, [0, 2, 1, 3]), [0, N, D]);
    const x1 = op.add(tokens, linear(op, merged, w.o, D, D));
    const mlp = linear(
      op,
      op.gelu(linear(op, op.layerNorm(x1, ones, zeros, 1e-6), w.fc1, D, HIDDEN)),
      w.fc2,
      HIDDEN,
      D,
    );
    g.output(op.add(x1, mlp), 'tokens', 'float32', ['batch', N, D]);

    const a = Array.from({ length: 16 }, (_, i) => Math.sin(i));
    const b = Array.from({ length: 16 }, (_, i) => (i % 5) - 2);
    const r = await runGraph(t.testdir(), g, { image: f32([...a, ...b], [2, 1, 4, 4]) });
    t.same(r.tokens.dims, [2, N, D]);
    const got = floats(r.tokens);
    t.equal(close(got.slice(0, N * D), reference(a, w), 1e-4), true, 'sample 0');
    t.equal(close(got.slice(N * D), reference(b, w), 1e-4), true, 'sample 1');
  },
);
