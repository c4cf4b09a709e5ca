/**
 * Small sub-graphs that several encoders share: L2 normalisation as ImageBind does it, a
 * linear layer, and a gate σ(k·(x − t)). Transformer blocks built later compose these with
 * the primitives in ops.ts.
 */
import type { Value } from './graph.js';
import type { Ops } from './ops.js';

/**
 * x / max(‖x‖₂, eps) along `axis`: torch F.normalize(x, p=2, dim=axis), which ImageBind's
 * Normalize postprocessor calls (imagebind/models/helpers.py:21 at 53680b0).
 */
export function l2Normalize(op: Ops, x: Value, axis = -1, eps = 1e-12): Value {
  const norm = op.sqrt(op.reduceSum(op.mul(x, x), [axis], true));
  return op.div(x, op.max(norm, eps));
}

/**
 * y = x·W (+ b) with W stored row-major as [inDim, outDim] (the transpose of torch's
 * nn.Linear.weight, which is [out, in]).
 */
export function linear(
  op: Ops,
  x: Value,
  weight: Float32Array,
  inDim: number,
  outDim: number,
  bias?: Float32Array,
): Value {
  const y = op.matMul(x, op.g.initializer(weight, [inDim, outDim], 'weight'));
  return bias ? op.add(y, op.g.initializer(bias, [outDim], 'bias')) : y;
}

/** σ(k·(x − t)): a soft threshold that is 0.5 at x = t; a negative k turns it into "x below t". */
export function gate(op: Ops, x: Value, k: number, t: number): Value {
  return op.sigmoid(op.mul(op.sub(x, t), k));
}

/** 1 − x. */
export function complement(op: Ops, x: Value): Value {
  return op.sub(1, x);
}
