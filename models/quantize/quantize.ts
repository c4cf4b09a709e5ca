/**
 * Dynamic int8 quantization of an ONNX model without Python, the graph rewrite that
 * onnxruntime's `quantize_dynamic` makes for MatMul/Gemm (its "QOperator-free" integer form):
 *
 *   Y = A·W (+ C)   becomes   (A_q, a_scale, a_zp) = DynamicQuantizeLinear(A)
 *                              Y = Cast<float>(MatMulInteger(A_q, W_q, a_zp, w_zp)) · (a_scale · w_scale) (+ C)
 *
 * Weights W (initializers, 2-D float32) become symmetric int8 (weights.ts), per tensor or per
 * output column; activations are quantized to uint8 at run time, one scale per tensor (so an
 * embedding can move slightly with the rest of its batch). Everything else — convolutions,
 * LayerNorm, attention score MatMuls between activations, Gather tables — stays float.
 * onnxruntime fuses the pattern into DynamicQuantizeMatMul / MatMulIntegerToFloat at load.
 * DynamicQuantizeLinear needs opset ≥ 11; MatMulInteger ≥ 10.
 */
import onnxProto from 'onnx-proto';
import { BindsightError, errorMessage } from '../../src/errors.js';
import { inlineExternalData } from './external.js';
import { dimsOf, floatValues, initializer, quantizeWeight, transpose2d } from './weights.js';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type GraphProto = onnxProto.onnx.IGraphProto;

export interface QuantizeOptions {
  /** One scale per output column instead of one per weight (default false). */
  perChannel?: boolean;
  /** Weights with fewer elements stay float (default 1024). */
  minElements?: number;
  /** Node names (or their first output names) to leave float. */
  exclude?: readonly string[];
  /** Folder of the input model, where its external data files are (default: none allowed). */
  baseDir?: string;
}

export interface QuantizedNode {
  readonly node: string;
  readonly op: 'MatMul' | 'Gemm';
  readonly weight: string;
  /** [K, N] of the weight as multiplied. */
  readonly shape: readonly [number, number];
}

export interface QuantizeReport {
  readonly quantized: readonly QuantizedNode[];
  readonly skipped: readonly { node: string; op: string; reason: string }[];
  readonly perChannel: boolean;
  readonly externalTensors: number;
}

interface Rewrite {
  readonly g: GraphProto;
  readonly inits: Map<string, TensorProto>;
  readonly names: Set<string>;
  readonly opts: Required<Omit<QuantizeOptions, 'baseDir' | 'exclude'>> & { exclude: ReadonlySet<string> };
  /** activation name → its DynamicQuantizeLinear outputs (one per activation). */
  readonly dynamic: Map<string, [string, string, string]>;
  /** weight name (+ Gemm options) → quantized initializer names. */
  readonly weights: Map<string, { q: string; zp: string; scale: string; k: number; n: number }>;
  readonly out: NodeProto[];
  readonly added: TensorProto[];
}

function attrNumber(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return fallback;
  if (a.type === onnx.AttributeProto.AttributeType.FLOAT) return a.f ?? fallback;
  return a.i === undefined || a.i === null ? fallback : Number(a.i.toString());
}

function fresh(r: Rewrite, hint: string): string {
  let name = hint;
  for (let i = 1; r.names.has(name); i++) name = `${hint}_${i}`;
  r.names.add(name);
  return name;
}

function addInit(r: Rewrite, hint: string, data: Float32Array | Int8Array, dims: readonly number[]): string {
  const name = fresh(r, hint);
  r.added.push(initializer(name, data, dims));
  return name;
}

/** Why `node` cannot be quantized, or null. */
function refusal(r: Rewrite, node: NodeProto): string | null {
  const [a, b] = node.input ?? [];
  const w = b === undefined ? undefined : r.inits.get(b);
  if (r.opts.exclude.has(node.name ?? '') || r.opts.exclude.has(node.output?.[0] ?? '')) return 'excluded';
  if (a === undefined || r.inits.has(a)) return 'the first input is a constant, not an activation';
  if (w === undefined) return 'the second input is an activation (e.g. attention scores), not a weight';
  if (w.dataType !== onnx.TensorProto.DataType.FLOAT) return 'the weight is not float32';
  const dims = dimsOf(w);
  if (dims.length !== 2) return `the weight has rank ${dims.length}, not 2`;
  if (dims[0] * dims[1] < r.opts.minElements)
    return `the weight has ${dims[0] * dims[1]} < ${r.opts.minElements} elements`;
  if (node.opType === 'Gemm' && attrNumber(node, 'transA', 0) !== 0) return 'Gemm with transA = 1';
  return null;
}

/** The quantized form of weight `b` (transposed first for Gemm transB = 1), made once. */
function weightFor(r: Rewrite, b: string, transB: boolean) {
  const key = `${b}|${transB}`;
  const cached = r.weights.get(key);
  if (cached) return cached;
  const t = r.inits.get(b)!;
  const [rows, cols] = dimsOf(t);
  const w = transB ? transpose2d(floatValues(t), rows, cols) : floatValues(t);
  const [k, n] = transB ? [cols, rows] : [rows, cols];
  const qw = quantizeWeight(w, k, n, r.opts.perChannel);
  const zpDims = r.opts.perChannel ? [n] : [];
  const entry = {
    q: addInit(r, `${b}_quantized`, qw.q, [k, n]),
    zp: addInit(r, `${b}_zero_point`, new Int8Array(qw.scale.length), zpDims),
    scale: addInit(r, `${b}_scale`, qw.scale, zpDims),
    k,
    n,
  };
  r.weights.set(key, entry);
  return entry;
}

function emit(
  r: Rewrite,
  opType: string,
  inputs: string[],
  hint: string,
  attribute: NodeProto['attribute'] = [],
): string {
  const output = fresh(r, hint);
  r.out.push({
    name: fresh(r, `${hint}_node`),
    opType,
    domain: '',
    input: inputs,
    output: [output],
    attribute,
  });
  return output;
}

/** The DynamicQuantizeLinear outputs for activation `a`, made once per activation. */
function dynamicQuantize(r: Rewrite, a: string): [string, string, string] {
  const existing = r.dynamic.get(a);
  if (existing) return existing;
  const names: [string, string, string] = [
    fresh(r, `${a}_quantized`),
    fresh(r, `${a}_scale`),
    fresh(r, `${a}_zero_point`),
  ];
  r.out.push({
    name: fresh(r, `${a}_DynamicQuantizeLinear`),
    opType: 'DynamicQuantizeLinear',
    domain: '',
    input: [a],
    output: names,
  });
  r.dynamic.set(a, names);
  return names;
}

/** The node that writes the original output `y`: product × scale, plus Gemm's beta · C. */
function emitOutput(r: Rewrite, node: NodeProto, product: string, scale: string, base: string): void {
  const y = node.output?.[0] ?? '';
  const c = node.input?.[2];
  const push = (opType: string, input: string[]) =>
    r.out.push({ name: fresh(r, `${base}_output`), opType, domain: '', input, output: [y] });
  if (node.opType !== 'Gemm' || c === undefined || c === '') {
    push('Mul', [product, scale]);
    return;
  }
  const scaled = emit(r, 'Mul', [product, scale], `${base}_scaled`);
  const beta = attrNumber(node, 'beta', 1);
  const betaInit = () => addInit(r, `${base}_beta`, Float32Array.of(beta), []);
  push('Add', [scaled, beta === 1 ? c : emit(r, 'Mul', [c, betaInit()], `${base}_bias`)]);
}

/** Emits the integer form of one MatMul/Gemm node. */
function rewriteNode(r: Rewrite, node: NodeProto): QuantizedNode {
  const [a, b] = node.input ?? [];
  const gemm = node.opType === 'Gemm';
  const w = weightFor(r, b, gemm && attrNumber(node, 'transB', 0) !== 0);
  const dq = dynamicQuantize(r, a);
  const base = node.name || (node.output?.[0] ?? '');
  const product = emit(r, 'MatMulInteger', [dq[0], w.q, dq[2], w.zp], `${base}_MatMulInteger`);
  const asFloat = emit(r, 'Cast', [product], `${base}_cast`, [
    { name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT },
  ]);
  const alpha = gemm ? attrNumber(node, 'alpha', 1) : 1;
  const alphaInit = () => addInit(r, `${base}_alpha`, Float32Array.of(alpha), []);
  const wScale = alpha === 1 ? w.scale : emit(r, 'Mul', [w.scale, alphaInit()], `${base}_alpha_scale`);
  emitOutput(r, node, asFloat, emit(r, 'Mul', [dq[1], wScale], `${base}_scale`), base);
  return { node: base, op: gemm ? 'Gemm' : 'MatMul', weight: b, shape: [w.k, w.n] };
}

/** Every name any node (including subgraphs) reads: weights still read after the rewrite stay. */
function namesRead(nodes: readonly NodeProto[]): Set<string> {
  const read = new Set<string>();
  const visit = (list: readonly NodeProto[]) => {
    for (const n of list) {
      for (const i of n.input ?? []) read.add(i);
      for (const a of n.attribute ?? []) {
        if (a.g) visit(a.g.node ?? []);
        for (const sub of a.graphs ?? []) visit(sub.node ?? []);
      }
    }
  };
  visit(nodes);
  return read;
}

function checkOpset(model: onnxProto.onnx.IModelProto): void {
  const opset = model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx');
  const version =
    opset?.version === undefined || opset.version === null ? 0 : Number(opset.version.toString());
  if (version < 11) {
    throw new BindsightError(
      'FILE_INVALID',
      `the model imports opset ${version}; dynamic int8 quantization needs opset 11 or later (DynamicQuantizeLinear); re-export with opset ≥ 11`,
      { opset: version },
    );
  }
}

/** Quantizes a decoded model in place and reports what was done. */
export async function quantizeProto(
  model: onnxProto.onnx.IModelProto,
  options: QuantizeOptions = {},
): Promise<QuantizeReport> {
  checkOpset(model);
  const g = model.graph;
  if (!g) throw new BindsightError('FILE_INVALID', 'the model has no graph', {});
  const externalTensors = options.baseDir ? await inlineExternalData(model, options.baseDir) : 0;
  const nodes = g.node ?? [];
  const inits = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
  const names = new Set<string>([
    ...inits.keys(),
    ...nodes.flatMap((n) => [n.name ?? '', ...(n.output ?? [])]),
    ...(g.input ?? []).map((i) => i.name ?? ''),
  ]);
  const r: Rewrite = {
    g,
    inits,
    names,
    opts: {
      perChannel: options.perChannel ?? false,
      minElements: options.minElements ?? 1024,
      exclude: new Set(options.exclude ?? []),
    },
    dynamic: new Map(),
    weights: new Map(),
    out: [],
    added: [],
  };
  const quantized: QuantizedNode[] = [];
  const skipped: { node: string; op: string; reason: string }[] = [];
  for (const node of nodes) {
    if (node.opType !== 'MatMul' && node.opType !== 'Gemm') {
      r.out.push(node);
      continue;
    }
    const why = refusal(r, node);
    if (why === null) quantized.push(rewriteNode(r, node));
    else {
      skipped.push({ node: node.name || (node.output?.[0] ?? ''), op: node.opType ?? '', reason: why });
      r.out.push(node);
    }
  }
  const read = namesRead(r.out);
  g.node = r.out;
  g.initializer = [...(g.initializer ?? []).filter((t) => read.has(t.name ?? '')), ...r.added];
  return { quantized, skipped, perChannel: r.opts.perChannel, externalTensors };
}

/** Quantizes ONNX bytes; returns the new bytes and the report. */
export async function quantizeModel(
  bytes: Uint8Array,
  options: QuantizeOptions = {},
): Promise<{ bytes: Uint8Array; report: QuantizeReport }> {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new BindsightError(
      'FILE_INVALID',
      `not an ONNX model (protobuf decode failed: ${errorMessage(err)})`,
      {},
      { cause: err },
    );
  }
  const report = await quantizeProto(model, options);
  return { bytes: onnx.ModelProto.encode(model).finish(), report };
}
