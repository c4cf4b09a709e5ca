/**
 * A small typed builder for ONNX graphs (ModelProto, opset 17, IR version 8) over the
 * protobufjs classes of `onnx-proto`. It owns names, initializers, nodes and graph I/O;
 * the operator helpers (with their opset-17 input/attribute rules) are in ops.ts.
 *
 * Determinism: a graph built by the same sequence of calls always encodes to the same
 * bytes. Names come from per-builder counters (never from time or randomness), attributes
 * are written sorted by name, tensor data is written little-endian as raw_data, and
 * protobufjs writes fields in field-number order.
 */
import onnxProto from 'onnx-proto';
import { BindsightError } from '../../src/errors.js';

const { onnx } = onnxProto;

/** ONNX operator set of the default domain that every bindsight graph imports. */
export const OPSET = 17;
/** IR version 8 (ONNX 1.10+): the one that pairs with opset 17 and that onnx-proto 8 encodes. */
export const IR_VERSION = 8;

export type DType = 'float32' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';
/** TensorProto.DataType codes (onnx.proto3). */
export const ONNX_DTYPE: Readonly<Record<DType, number>> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** A dimension: a fixed size, or a symbolic name ("batch") that stays dynamic. */
export type Dim = number | string;

/** A value in the graph: a graph input, an initializer or a node output. */
export interface Value {
  readonly name: string;
}

/** Data for an initializer or a tensor attribute. Uint8Array holds uint8 or (with dtype 'bool') bools. */
export type TensorArray = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

export interface TensorData {
  readonly data: TensorArray;
  readonly dims: readonly number[];
  /** Needed only to store a Uint8Array as 'bool'; otherwise inferred from the array type. */
  readonly dtype?: DType;
}

export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: TensorData };

/** Typed attribute constructors: ONNX distinguishes int from float, which JS numbers cannot. */
export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attr => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
  tensor: (value: TensorData): Attr => ({ kind: 'tensor', value }),
};

export type Attrs = Readonly<Record<string, Attr>>;

export interface NodeOptions {
  /** Number of outputs (default 1). */
  outputs?: number;
  /** Names for the outputs; auto-generated when omitted. */
  outputNames?: readonly string[];
  domain?: string;
}

export interface GraphOptions {
  name: string;
  docString?: string;
  producerName?: string;
  producerVersion?: string;
}

type TypedProto = onnxProto.onnx.ITypeProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type ValueInfo = onnxProto.onnx.IValueInfoProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function inferDType(data: TensorArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

/** Bytes of a typed array in little-endian order (ONNX raw_data is always little-endian). */
function littleEndianBytes(data: TensorArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const width = data.BYTES_PER_ELEMENT;
  if (width > 1 && new Uint8Array(new Uint16Array([1]).buffer)[0] === 0) {
    // Big-endian host: swap every element in place.
    for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  }
  return bytes;
}

/** A TensorProto from typed data; throws when dims and data length disagree. */
export function tensorProto(name: string, t: TensorData): TensorProto {
  const dtype = t.dtype ?? inferDType(t.data);
  if (product(t.dims) !== t.data.length) {
    throw new BindsightError(
      'PACK_INVALID',
      `tensor '${name}': dims [${t.dims.join(',')}] hold ${product(t.dims)} values but the data has ${t.data.length}`,
      { tensor: name, dims: [...t.dims], length: t.data.length },
    );
  }
  return { name, dims: [...t.dims], dataType: ONNX_DTYPE[dtype], rawData: littleEndianBytes(t.data) };
}

/** A tensor type; without `shape` the rank is left unknown (allowed for graph outputs). */
function typeProto(dtype: DType, shape?: readonly Dim[]): TypedProto {
  if (shape === undefined) return { tensorType: { elemType: ONNX_DTYPE[dtype] } };
  return {
    tensorType: {
      elemType: ONNX_DTYPE[dtype],
      shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  };
}

function attributeProto(name: string, a: Attr): AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(name, a.value) };
  }
}

/**
 * Builds one ONNX graph. Names are unique per builder: explicit names are reserved and a
 * clash throws; auto names are `<hint>_<n>`.
 */
export class GraphBuilder {
  readonly name: string;
  private readonly options: GraphOptions;
  private readonly used = new Set<string>();
  private readonly defined = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly nodes: NodeProto[] = [];

  constructor(options: GraphOptions) {
    this.name = options.name;
    this.options = options;
  }

  /** Reserves a name; throws if it is already in use. */
  reserve(name: string): string {
    if (name.length === 0 || this.used.has(name)) {
      throw new BindsightError(
        'PACK_INVALID',
        `graph '${this.name}': name '${name}' is empty or already used`,
        {
          graph: this.name,
          name,
        },
      );
    }
    this.used.add(name);
    return name;
  }

  /** A fresh name `<hint>_<n>` that no other value or node of this graph uses. */
  uniqueName(hint: string): string {
    let n = this.counters.get(hint) ?? 0;
    let candidate = `${hint}_${n}`;
    while (this.used.has(candidate)) candidate = `${hint}_${++n}`;
    this.counters.set(hint, n + 1);
    return this.reserve(candidate);
  }

  /** Declares a graph input. */
  input(name: string, dtype: DType, shape: readonly Dim[]): Value {
    this.reserve(name);
    this.defined.add(name);
    this.inputs.push({ name, type: typeProto(dtype, shape) });
    return { name };
  }

  /** Adds an initializer (a constant weight). The dtype follows the array type unless given. */
  initializer(data: TensorArray, dims: readonly number[], nameHint = 'const', dtype?: DType): Value {
    const name = this.uniqueName(nameHint);
    this.initializers.push(tensorProto(name, { data, dims, dtype }));
    this.defined.add(name);
    return { name };
  }

  /**
   * Adds a node and returns its outputs. `null` inputs are omitted optional inputs
   * (encoded as the empty name, per the ONNX IR spec), e.g. Clip without min.
   */
  node(
    opType: string,
    inputs: readonly (Value | null)[],
    attrs: Attrs = {},
    options: NodeOptions = {},
  ): Value[] {
    for (const v of inputs) {
      if (v !== null && !this.defined.has(v.name)) {
        throw new BindsightError(
          'PACK_INVALID',
          `graph '${this.name}': ${opType} reads '${v.name}', which is not an input, initializer or earlier output`,
          { graph: this.name, opType, input: v.name },
        );
      }
    }
    const nodeName = this.uniqueName(opType.toLowerCase());
    const count = options.outputNames?.length ?? options.outputs ?? 1;
    const outputNames = Array.from({ length: count }, (_, i) => {
      const explicit = options.outputNames?.[i];
      return explicit !== undefined ? this.reserve(explicit) : this.uniqueName(`${nodeName}_out`);
    });
    const attribute = Object.keys(attrs)
      .sort()
      .map((key) => attributeProto(key, attrs[key]));
    this.nodes.push({
      name: nodeName,
      opType,
      domain: options.domain ?? '',
      input: inputs.map((v) => (v === null ? '' : v.name)),
      output: outputNames,
      attribute,
    });
    for (const o of outputNames) this.defined.add(o);
    return outputNames.map((name) => ({ name }));
  }

  /** A single-output node. */
  op(opType: string, inputs: readonly (Value | null)[], attrs: Attrs = {}, domain?: string): Value {
    return this.node(opType, inputs, attrs, { domain })[0];
  }

  /**
   * Declares a graph output called `name`. A value produced under another name is routed
   * through an Identity node, so callers never have to name intermediate values. Without
   * `shape` the output's rank is left unknown.
   */
  output(value: Value, name: string, dtype: DType, shape?: readonly Dim[]): Value {
    if (!this.defined.has(value.name)) {
      throw new BindsightError(
        'PACK_INVALID',
        `graph '${this.name}': output '${name}' reads undefined '${value.name}'`,
        {
          graph: this.name,
          value: value.name,
        },
      );
    }
    const out = value.name === name ? value : this.node('Identity', [value], {}, { outputNames: [name] })[0];
    this.outputs.push({ name: out.name, type: typeProto(dtype, shape) });
    return out;
  }

  /** The ModelProto as a plain protobufjs properties object. */
  toModel(): onnxProto.onnx.IModelProto {
    if (this.outputs.length === 0) {
      throw new BindsightError('PACK_INVALID', `graph '${this.name}' has no outputs`, { graph: this.name });
    }
    return {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: this.options.producerName ?? 'bindsight',
      producerVersion: this.options.producerVersion ?? '1',
      graph: {
        name: this.name,
        docString: this.options.docString ?? '',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
  }

  /** The serialised model. Identical graphs give identical bytes. */
  toBytes(): Uint8Array {
    return onnx.ModelProto.encode(this.toModel()).finish();
  }
}
