import onnxProto from 'onnx-proto';
import t from 'tap';
import { attr, GraphBuilder, IR_VERSION, OPSET } from '../../../models/onnx/graph.js';
import { Ops } from '../../../models/onnx/ops.js';
import { BindsightError } from '../../../src/errors.js';
import { close, f32, floats, runGraph } from './run.js';

const { onnx } = onnxProto;

/** The decoded graph of `bytes` (protobufjs marks every field optional). */
function decodeGraph(bytes: Uint8Array) {
  const graph = onnx.ModelProto.decode(bytes).graph;
  if (!graph) throw new Error('model has no graph');
  return {
    input: graph.input ?? [],
    output: graph.output ?? [],
    node: graph.node ?? [],
    initializer: graph.initializer ?? [],
  };
}

/** y = x·W + b with W = [[1,2,3],[4,5,6]], b = [10,20,30]. */
function tinyLinear(bias = 10): GraphBuilder {
  const g = new GraphBuilder({ name: 'tiny' });
  const op = new Ops(g);
  const x = g.input('x', 'float32', ['batch', 2]);
  const w = g.initializer(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], 'w');
  const y = op.add(op.matMul(x, w), op.f32([bias, 20, 30], [3]));
  g.output(y, 'y', 'float32', ['batch', 3]);
  return g;
}

t.test('a MatMul + Add graph runs in onnxruntime with the hand-computed result', async (t) => {
  const out = await runGraph(t.testdir(), tinyLinear(), { x: f32([1, 1, 2, 0], [2, 2]) });
  // [1,1]·W = [5,7,9] + b = [15,27,39]; [2,0]·W = [2,4,6] + b = [12,24,36]
  t.same(out.y.dims, [2, 3]);
  t.equal(close(floats(out.y), [15, 27, 39, 12, 24, 36]), true);
});

t.test('model header: IR version 8, opset 17, symbolic and fixed dims', async (t) => {
  const model = onnx.ModelProto.decode(tinyLinear().toBytes());
  t.equal(Number(model.irVersion), IR_VERSION);
  t.equal(IR_VERSION, 8);
  t.equal(model.opsetImport.length, 1);
  t.equal(model.opsetImport[0].domain, '');
  t.equal(Number(model.opsetImport[0].version), OPSET);
  t.equal(OPSET, 17);
  const graph = decodeGraph(tinyLinear().toBytes());
  const dims = graph.input[0].type?.tensorType?.shape?.dim ?? [];
  t.equal(dims[0].dimParam, 'batch');
  t.equal(Number(dims[1].dimValue), 2);
  t.equal(graph.output[0].name, 'y');
});

t.test('identical graphs give identical bytes; a changed constant changes them', async (t) => {
  const a = tinyLinear().toBytes();
  const b = tinyLinear().toBytes();
  t.same(Buffer.from(a), Buffer.from(b));
  t.notSame(Buffer.from(tinyLinear(11).toBytes()), Buffer.from(a));
});

t.test('typed attributes are encoded with their ONNX types, sorted by name', async (t) => {
  const g = new GraphBuilder({ name: 'attrs' });
  const x = g.input('x', 'float32', [2]);
  const y = g.op(
    'Custom',
    [x],
    {
      z_tensor: attr.tensor({ data: BigInt64Array.of(1n, 2n), dims: [2] }),
      b_float: attr.float(0.5),
      a_int: attr.int(3),
      c_ints: attr.ints([1, -1]),
      d_floats: attr.floats([0.25, 2]),
      e_string: attr.string('hello'),
    },
    'example.domain',
  );
  g.output(y, 'y', 'float32', [2]);
  const node = decodeGraph(g.toBytes()).node[0];
  const T = onnx.AttributeProto.AttributeType;
  const attrs = node?.attribute ?? [];
  t.same(
    attrs.map((a) => a.name),
    ['a_int', 'b_float', 'c_ints', 'd_floats', 'e_string', 'z_tensor'],
  );
  t.same(
    attrs.map((a) => a.type),
    [T.INT, T.FLOAT, T.INTS, T.FLOATS, T.STRING, T.TENSOR],
  );
  t.equal(Number(attrs[0].i), 3);
  t.equal(attrs[1].f, 0.5);
  t.same((attrs[2].ints ?? []).map(Number), [1, -1]);
  t.same(attrs[3].floats, [0.25, 2]);
  t.equal(new TextDecoder().decode(attrs[4].s ?? new Uint8Array()), 'hello');
  t.same(attrs[5].t?.dims?.map(Number), [2]);
  t.equal(attrs[5].t?.dataType, onnx.TensorProto.DataType.INT64);
  t.equal(node?.domain, 'example.domain');
});

t.test('initializers store little-endian raw data of the right type', async (t) => {
  const g = new GraphBuilder({ name: 'init' });
  const op = new Ops(g);
  const x = g.input('x', 'int32', [3]);
  const c = g.initializer(Int32Array.of(1, -2, 300), [3], 'c');
  g.output(op.add(x, c), 'y', 'int32', [3]);
  const init = decodeGraph(g.toBytes()).initializer[0];
  t.equal(init?.dataType, onnx.TensorProto.DataType.INT32);
  t.same([...new Int32Array(Uint8Array.from(init?.rawData ?? []).buffer)], [1, -2, 300]);
});

t.test('names are unique and automatic; clashes and dangling reads are refused', async (t) => {
  const g = new GraphBuilder({ name: 'names' });
  const op = new Ops(g);
  const x = g.input('x', 'float32', [1]);
  const a = op.add(x, 1);
  const b = op.add(a, 1);
  t.not(a.name, b.name);
  t.throws(() => g.input('x', 'float32', [1]), BindsightError, 'an input name used twice');
  t.throws(() => op.add({ name: 'nowhere' }, 1), /reads 'nowhere', which is not an input/);
  t.throws(
    () => g.initializer(Float32Array.of(1, 2, 3), [2, 2]),
    /dims \[2,2\] hold 4 values but the data has 3/,
  );
  t.throws(() => new GraphBuilder({ name: 'empty' }).toBytes(), /has no outputs/);
  // A node output named like the graph output is not routed through Identity.
  const direct = g.node('Relu', [b], {}, { outputNames: ['out'] })[0];
  g.output(direct, 'out', 'float32', [1]);
  g.output(b, 'copy', 'float32', [1]);
  const nodes = decodeGraph(g.toBytes()).node;
  t.same(
    nodes.map((n) => n.opType),
    ['Add', 'Add', 'Relu', 'Identity'],
  );
  t.throws(() => g.output(b, 'copy', 'float32', [1]), /already used/);
});
