/**
 * Operator helpers over GraphBuilder that encode the opset-17 signature of each operator
 * (https://github.com/onnx/onnx/blob/main/docs/Operators.md, versions as of opset 17):
 * - ReduceSum takes `axes` as an int64 INPUT since opset 13; ReduceMean/Max/Min/L2/SumSquare
 *   still take an `axes` ATTRIBUTE until opset 18.
 * - Unsqueeze/Squeeze take `axes` as an input since opset 13; Slice starts/ends/axes/steps
 *   since opset 10; Reshape `shape` since opset 5; Clip min/max since opset 11; Split `split` since 13.
 * - LayerNormalization exists from opset 17; Gelu does not (it arrives in opset 20), so
 *   gelu() is built from Erf as torch's exact GELU: 0.5·x·(1 + erf(x/√2)).
 * Scalar constants become 0-d initializers and broadcast (numpy rules) in the element-wise ops.
 */
import {
  type Attr,
  type Attrs,
  attr,
  type DType,
  type GraphBuilder,
  ONNX_DTYPE,
  type Value,
} from './graph.js';

export type Operand = Value | number;

export interface PoolOptions {
  kernel: readonly number[];
  strides?: readonly number[];
  /** [begin..., end...] as in ONNX. */
  pads?: readonly number[];
  /** AveragePool: whether padded zeros count in the average (ONNX default 0). */
  countIncludePad?: boolean;
}

export interface ConvOptions {
  kernel: readonly number[];
  strides?: readonly number[];
  pads?: readonly number[];
  dilations?: readonly number[];
  group?: number;
}

export interface GemmOptions {
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}

export class Ops {
  constructor(readonly g: GraphBuilder) {}

  // ---- constants ----------------------------------------------------------------------

  /** A float32 constant; a plain number becomes a scalar (dims []). */
  f32(values: number | readonly number[] | Float32Array, dims?: readonly number[], hint = 'f32'): Value {
    const data = typeof values === 'number' ? Float32Array.of(values) : Float32Array.from(values);
    return this.g.initializer(data, dims ?? (typeof values === 'number' ? [] : [data.length]), hint);
  }

  /** An int64 constant (axes, shapes, indices); a plain number becomes a scalar. */
  i64(values: number | readonly number[], dims?: readonly number[], hint = 'i64'): Value {
    const list = typeof values === 'number' ? [values] : values;
    const data = BigInt64Array.from(list, (v) => BigInt(v));
    return this.g.initializer(data, dims ?? (typeof values === 'number' ? [] : [data.length]), hint);
  }

  private operand(x: Operand): Value {
    return typeof x === 'number' ? this.f32(x) : x;
  }

  private binary(opType: string, a: Operand, b: Operand): Value {
    return this.g.op(opType, [this.operand(a), this.operand(b)]);
  }

  // ---- element-wise -------------------------------------------------------------------

  add(a: Operand, b: Operand): Value {
    return this.binary('Add', a, b);
  }
  sub(a: Operand, b: Operand): Value {
    return this.binary('Sub', a, b);
  }
  mul(a: Operand, b: Operand): Value {
    return this.binary('Mul', a, b);
  }
  div(a: Operand, b: Operand): Value {
    return this.binary('Div', a, b);
  }
  pow(a: Operand, b: Operand): Value {
    return this.binary('Pow', a, b);
  }
  /** Element-wise maximum of two or more operands (variadic Max). */
  max(...xs: Operand[]): Value {
    return this.g.op(
      'Max',
      xs.map((x) => this.operand(x)),
    );
  }
  min(...xs: Operand[]): Value {
    return this.g.op(
      'Min',
      xs.map((x) => this.operand(x)),
    );
  }
  greater(a: Operand, b: Operand): Value {
    return this.binary('Greater', a, b);
  }
  less(a: Operand, b: Operand): Value {
    return this.binary('Less', a, b);
  }
  equal(a: Value, b: Value): Value {
    return this.g.op('Equal', [a, b]);
  }
  where(cond: Value, a: Operand, b: Operand): Value {
    return this.g.op('Where', [cond, this.operand(a), this.operand(b)]);
  }

  private unary(opType: string, x: Value): Value {
    return this.g.op(opType, [x]);
  }
  sqrt(x: Value): Value {
    return this.unary('Sqrt', x);
  }
  sigmoid(x: Value): Value {
    return this.unary('Sigmoid', x);
  }
  relu(x: Value): Value {
    return this.unary('Relu', x);
  }
  tanh(x: Value): Value {
    return this.unary('Tanh', x);
  }
  erf(x: Value): Value {
    return this.unary('Erf', x);
  }
  exp(x: Value): Value {
    return this.unary('Exp', x);
  }
  log(x: Value): Value {
    return this.unary('Log', x);
  }
  abs(x: Value): Value {
    return this.unary('Abs', x);
  }
  neg(x: Value): Value {
    return this.unary('Neg', x);
  }
  not(x: Value): Value {
    return this.unary('Not', x);
  }
  identity(x: Value): Value {
    return this.unary('Identity', x);
  }
  /** Clip with optional bounds (inputs since opset 11). */
  clip(x: Value, min?: number, max?: number): Value {
    const lo = min === undefined ? null : this.f32(min);
    const hi = max === undefined ? null : this.f32(max);
    return this.g.op('Clip', [x, lo, hi]);
  }
  cast(x: Value, to: DType): Value {
    return this.g.op('Cast', [x], { to: attr.int(ONNX_DTYPE[to]) });
  }
  /** Exact (erf) GELU as torch nn.GELU(): 0.5·x·(1 + erf(x/√2)); Gelu is not an op until opset 20. */
  gelu(x: Value): Value {
    const inner = this.erf(this.mul(x, Math.SQRT1_2));
    return this.mul(this.mul(x, 0.5), this.add(inner, 1));
  }

  // ---- reductions ---------------------------------------------------------------------

  /** ReduceSum: axes is an input since opset 13. */
  reduceSum(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.g.op('ReduceSum', [x, this.i64(axes, undefined, 'axes')], {
      keepdims: attr.int(keepdims ? 1 : 0),
    });
  }
  private reduceAttr(opType: string, x: Value, axes: readonly number[], keepdims: boolean): Value {
    return this.g.op(opType, [x], { axes: attr.ints(axes), keepdims: attr.int(keepdims ? 1 : 0) });
  }
  /** ReduceMean: axes is an attribute until opset 18. */
  reduceMean(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceMean', x, axes, keepdims);
  }
  reduceMax(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceMax', x, axes, keepdims);
  }
  reduceMin(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceMin', x, axes, keepdims);
  }
  reduceL2(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceL2', x, axes, keepdims);
  }
  reduceSumSquare(x: Value, axes: readonly number[], keepdims = true): Value {
    return this.reduceAttr('ReduceSumSquare', x, axes, keepdims);
  }

  // ---- linear algebra -----------------------------------------------------------------

  matMul(a: Value, b: Value): Value {
    return this.g.op('MatMul', [a, b]);
  }
  gemm(a: Value, b: Value, c: Value | null = null, o: GemmOptions = {}): Value {
    return this.g.op('Gemm', c === null ? [a, b] : [a, b, c], {
      alpha: attr.float(o.alpha ?? 1),
      beta: attr.float(o.beta ?? 1),
      transA: attr.int(o.transA ? 1 : 0),
      transB: attr.int(o.transB ? 1 : 0),
    });
  }
  softmax(x: Value, axis = -1): Value {
    return this.g.op('Softmax', [x], { axis: attr.int(axis) });
  }
  /** LayerNormalization (opset 17): normalises over dims axis..last. */
  layerNorm(x: Value, scale: Value, bias: Value | null, epsilon = 1e-5, axis = -1): Value {
    return this.g.op('LayerNormalization', bias === null ? [x, scale] : [x, scale, bias], {
      axis: attr.int(axis),
      epsilon: attr.float(epsilon),
    });
  }
  conv(x: Value, w: Value, b: Value | null, o: ConvOptions): Value {
    const attrs: Record<string, Attr> = { kernel_shape: attr.ints(o.kernel) };
    if (o.strides) attrs.strides = attr.ints(o.strides);
    if (o.pads) attrs.pads = attr.ints(o.pads);
    if (o.dilations) attrs.dilations = attr.ints(o.dilations);
    if (o.group !== undefined) attrs.group = attr.int(o.group);
    return this.g.op('Conv', b === null ? [x, w] : [x, w, b], attrs);
  }
  averagePool(x: Value, o: PoolOptions): Value {
    const attrs: Record<string, Attr> = { kernel_shape: attr.ints(o.kernel) };
    if (o.strides) attrs.strides = attr.ints(o.strides);
    if (o.pads) attrs.pads = attr.ints(o.pads);
    if (o.countIncludePad !== undefined) attrs.count_include_pad = attr.int(o.countIncludePad ? 1 : 0);
    return this.g.op('AveragePool', [x], attrs);
  }
  maxPool(x: Value, o: PoolOptions): Value {
    const attrs: Attrs = {
      kernel_shape: attr.ints(o.kernel),
      ...(o.strides ? { strides: attr.ints(o.strides) } : {}),
      ...(o.pads ? { pads: attr.ints(o.pads) } : {}),
    };
    return this.g.op('MaxPool', [x], attrs);
  }

  // ---- shape --------------------------------------------------------------------------

  /** Reshape; 0 copies the input dim, -1 is inferred (allowzero = 0, the default). */
  reshape(x: Value, shape: readonly number[]): Value {
    return this.g.op('Reshape', [x, this.i64(shape, undefined, 'shape')]);
  }
  /** Flatten to 2-D: dims before `axis` become rows. */
  flatten(x: Value, axis = 1): Value {
    return this.g.op('Flatten', [x], { axis: attr.int(axis) });
  }
  transpose(x: Value, perm: readonly number[]): Value {
    return this.g.op('Transpose', [x], { perm: attr.ints(perm) });
  }
  /** Slice [starts, ends) along axes (all as int64 inputs, opset 10+). */
  slice(
    x: Value,
    starts: readonly number[],
    ends: readonly number[],
    axes?: readonly number[],
    steps?: readonly number[],
  ): Value {
    const inputs: (Value | null)[] = [
      x,
      this.i64(starts, undefined, 'starts'),
      this.i64(ends, undefined, 'ends'),
    ];
    // Optional inputs are positional: omitted axes before given steps is the empty name.
    if (axes || steps) inputs.push(axes ? this.i64(axes, undefined, 'axes') : null);
    if (steps) inputs.push(this.i64(steps, undefined, 'steps'));
    return this.g.op('Slice', inputs);
  }
  concat(xs: readonly Value[], axis: number): Value {
    return this.g.op('Concat', xs, { axis: attr.int(axis) });
  }
  /** Split into parts of the given sizes along axis (sizes as an input since opset 13). */
  split(x: Value, sizes: readonly number[], axis: number): Value[] {
    return this.g.node(
      'Split',
      [x, this.i64(sizes, undefined, 'split')],
      { axis: attr.int(axis) },
      { outputs: sizes.length },
    );
  }
  unsqueeze(x: Value, axes: readonly number[]): Value {
    return this.g.op('Unsqueeze', [x, this.i64(axes, undefined, 'axes')]);
  }
  squeeze(x: Value, axes: readonly number[]): Value {
    return this.g.op('Squeeze', [x, this.i64(axes, undefined, 'axes')]);
  }
  gather(data: Value, indices: Value, axis = 0): Value {
    return this.g.op('Gather', [data, indices], { axis: attr.int(axis) });
  }
  shape(x: Value): Value {
    return this.g.op('Shape', [x]);
  }
  expand(x: Value, shape: Value): Value {
    return this.g.op('Expand', [x, shape]);
  }
}
