/**
 * Graph surgery that turns a pack's vision and text encoders into the ONNX files a transformers.js
 * CLIP model folder holds (bench/transformersjs.ts, issue #12), keeping every weight byte as it is:
 * - `vision_model.onnx`: pixel_values → image_embeds (CLIPVisionModelWithProjection);
 * - `text_model.onnx`: input_ids [batch, seq ≤ contextLength] → text_embeds
 *   (CLIPTextModelWithProjection). transformers.js pads a batch to its longest text, while the
 *   pack's text graph has a fixed context, so a Pad node first pads the ids to the context with
 *   the pack's pad id: the same ids the pack's own tokenizer feeds, hence the same embedding;
 * - `model.onnx`: both, plus logits_per_image = logitScale · normalise(image) · normalise(text)ᵀ
 *   and logits_per_text, the outputs transformers.js's CLIPModel and its zero-shot pipeline read
 *   (transformers.js src/pipelines/zero-shot-image-classification.js).
 * Names are prefixed per encoder so two graphs built by separate GraphBuilders can share one file.
 */
import onnxProto from 'onnx-proto';
import { BindsightError } from '../../src/errors.js';

const { onnx } = onnxProto;
type ModelProto = onnxProto.onnx.IModelProto;
type GraphProto = onnxProto.onnx.IGraphProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type ValueInfo = onnxProto.onnx.IValueInfoProto;

const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

function graphOf(model: ModelProto): GraphProto {
  const g = model.graph;
  if (!g) throw new BindsightError('FILE_INVALID', 'the model has no graph', {});
  return g;
}

/** The one graph input (initializers listed as inputs by old exporters are not counted). */
function soleIO(list: readonly ValueInfo[] | null | undefined, inits: Set<string>, what: string): ValueInfo {
  const real = (list ?? []).filter((v) => !inits.has(v.name ?? ''));
  if (real.length !== 1) {
    throw new BindsightError(
      'FILE_INVALID',
      `expected one graph ${what}, found ${real.length}: ${real.map((v) => v.name).join(', ')}`,
      { what },
    );
  }
  return real[0];
}

/**
 * Renames every value of `g` through `rename` (graph I/O, initializers, node inputs and outputs,
 * node names), in place. Empty names (omitted optional inputs) stay empty.
 */
function renameAll(g: GraphProto, rename: (name: string) => string): void {
  const r = (n: string | null | undefined) => (n ? rename(n) : (n ?? ''));
  for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) v.name = r(v.name);
  for (const t of g.initializer ?? []) t.name = r(t.name);
  for (const n of g.node ?? []) {
    n.name = r(n.name);
    n.input = (n.input ?? []).map(r);
    n.output = (n.output ?? []).map(r);
  }
}

/**
 * Prefixes every name of the model with `prefix`, then gives its sole input and output the names
 * `input` and `output`: a copy, the weights untouched.
 */
export function renameIO(bytes: Uint8Array, prefix: string, input: string, output: string): ModelProto {
  const model = decodeModel(bytes);
  const g = graphOf(model);
  const inits = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
  const inName = soleIO(g.input, inits, 'input').name ?? '';
  const outName = soleIO(g.output, new Set(), 'output').name ?? '';
  g.input = (g.input ?? []).filter((v) => !inits.has(v.name ?? ''));
  renameAll(g, (n) => (n === inName ? input : n === outName ? output : `${prefix}${n}`));
  // Symbolic dims must mean one size across the file: the image and the text batch differ.
  for (const v of [...(g.input ?? []), ...(g.output ?? [])])
    for (const d of v.type?.tensorType?.shape?.dim ?? [])
      if (d.dimParam) d.dimParam = `${prefix}${d.dimParam}`;
  return model;
}

function int64(name: string, values: readonly number[], dims: readonly number[]): TensorProto {
  return { name, dataType: T.INT64, dims: [...dims], int64Data: values.map((v) => v) };
}

function node(opType: string, input: string[], output: string[], attribute: NodeProto['attribute'] = []) {
  return { name: `${output[0]}_node`, opType, domain: '', input, output, attribute };
}

/**
 * Makes the text graph's fixed-length input `ids` ([batch, context]) accept [batch, seq] with
 * seq ≤ context: input `name` is padded on the right with `pad` up to `context` and fed on.
 */
export function padTextInput(
  model: ModelProto,
  ids: string,
  name: string,
  context: number,
  pad: number,
): void {
  const g = graphOf(model);
  const input = (g.input ?? []).find((v) => v.name === ids);
  const dims = input?.type?.tensorType?.shape?.dim;
  if (!input || !dims || dims.length !== 2) {
    throw new BindsightError('FILE_INVALID', `text input '${ids}' is not a [batch, ${context}] tensor`, {
      ids,
    });
  }
  dims[1] = { dimParam: 'sequence' };
  input.name = name;
  const p = `${ids}_pad_`;
  g.initializer = [
    ...(g.initializer ?? []),
    int64(`${p}axis1`, [1], [1]),
    int64(`${p}context`, [context], [1]),
    int64(`${p}zeros`, [0, 0, 0], [3]),
    int64(`${p}value`, [pad], []),
  ];
  const prefix: NodeProto[] = [
    node('Shape', [name], [`${p}shape`]),
    node('Gather', [`${p}shape`, `${p}axis1`], [`${p}len`], [{ name: 'axis', type: A.INT, i: 0 }]),
    node('Sub', [`${p}context`, `${p}len`], [`${p}missing`]),
    node('Concat', [`${p}zeros`, `${p}missing`], [`${p}pads`], [{ name: 'axis', type: A.INT, i: 0 }]),
    node(
      'Pad',
      [name, `${p}pads`, `${p}value`],
      [ids],
      [{ name: 'mode', type: A.STRING, s: new TextEncoder().encode('constant') }],
    ),
  ];
  g.node = [...prefix, ...(g.node ?? [])];
}

function f32(name: string, value: number): TensorProto {
  return { name, dataType: T.FLOAT, dims: [], floatData: [value] };
}

/** Rows of `x` ([n, d]) divided by their L2 norm, as nodes appended to `nodes`. */
function normalized(nodes: NodeProto[], x: string, out: string): void {
  nodes.push(
    node(
      'ReduceL2',
      [x],
      [`${out}_norm`],
      [
        { name: 'axes', type: A.INTS, ints: [-1] },
        { name: 'keepdims', type: A.INT, i: 1 },
      ],
    ),
    node('Max', [`${out}_norm`, 'clip_eps'], [`${out}_safe`]),
    node('Div', [x, `${out}_safe`], [out]),
  );
}

function floatOutput(name: string, dims: readonly string[]): ValueInfo {
  return {
    name,
    type: { tensorType: { elemType: T.FLOAT, shape: { dim: dims.map((d) => ({ dimParam: d })) } } },
  };
}

/**
 * One CLIPModel graph from the renamed vision model (pixel_values → image_embeds) and text model
 * (input_ids → text_embeds): both embeddings, and the logits transformers.js scores with.
 */
export function mergeClip(vision: ModelProto, text: ModelProto, logitScale: number): ModelProto {
  const v = graphOf(vision);
  const t = graphOf(text);
  const nodes: NodeProto[] = [...(v.node ?? []), ...(t.node ?? [])];
  normalized(nodes, 'image_embeds', 'clip_image_unit');
  normalized(nodes, 'text_embeds', 'clip_text_unit');
  nodes.push(
    node(
      'Transpose',
      ['clip_text_unit'],
      ['clip_text_unit_t'],
      [{ name: 'perm', type: A.INTS, ints: [1, 0] }],
    ),
    node('MatMul', ['clip_image_unit', 'clip_text_unit_t'], ['clip_cos']),
    node('Mul', ['clip_cos', 'clip_logit_scale'], ['logits_per_image']),
    node(
      'Transpose',
      ['logits_per_image'],
      ['logits_per_text'],
      [{ name: 'perm', type: A.INTS, ints: [1, 0] }],
    ),
  );
  const opset = Math.max(
    ...[vision, text].flatMap((m) =>
      (m.opsetImport ?? []).filter((o) => !o.domain).map((o) => Number(o.version ?? 0)),
    ),
  );
  return {
    irVersion: vision.irVersion,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'bindsight',
    producerVersion: '1',
    graph: {
      name: 'clip',
      docString: 'bindsight bench pack vision + text encoders as one CLIPModel (random weights)',
      node: nodes,
      initializer: [
        ...(v.initializer ?? []),
        ...(t.initializer ?? []),
        f32('clip_eps', 1e-12),
        f32('clip_logit_scale', logitScale),
      ],
      input: [...(t.input ?? []), ...(v.input ?? [])],
      output: [
        floatOutput('logits_per_image', ['image_batch', 'text_batch']),
        floatOutput('logits_per_text', ['text_batch', 'image_batch']),
        ...(t.output ?? []),
        ...(v.output ?? []),
      ],
    },
  };
}
