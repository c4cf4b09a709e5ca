/**
 * Random-weight ViT encoders with ImageBind's per-modality I/O (imagebind-contract.md §0, §2):
 * patch embedding, a learned CLS token and position embedding, N pre-norm transformer blocks,
 * LayerNorm → CLS → Linear head, then ImageBind's postprocessor (L2-normalise × outputScale,
 * and the mean over clips for multi-clip inputs). They are the transformer-shaped models that
 * the quantizer is tested on and that benchmark packs are built from: realistic graphs and
 * costs, meaningless embeddings.
 *
 * Input shapes (per sample, batch dynamic):
 * - [C, H, W]: image-like (vision, depth, thermal): Conv patch embedding, kernel `patch`;
 * - [S, C, H, W]: S clips (audio [3, 1, 128, 204]), each encoded, embeddings averaged;
 * - [C, T]: a time series (IMU [6, 2000]): windows of `patch` samples, channel-major, → Linear.
 */
import { type Dim, GraphBuilder, type Value } from './graph.js';
import { l2Normalize, linear } from './nn.js';
import { Ops } from './ops.js';
import { RandomWeights } from './random.js';
import { layerNorm, transformerBlock } from './transformer.js';

export interface VitEncoderOptions {
  /** Per-sample input dims (see the file header). */
  inputShape: readonly number[];
  /** Patch size: [ph, pw] (or one number) for images; window length for time series. */
  patch: number | readonly [number, number];
  /** Patch stride (images; default = patch). ImageBind's audio stem: kernel 16, stride 10. */
  stride?: number | readonly [number, number];
  width: number;
  depth: number;
  heads: number;
  mlpRatio?: number;
  /** Output width (ImageBind: 1024). */
  embeddingDim: number;
  /** L2-normalise then × outputScale (ImageBind postprocessor); default 1. */
  outputScale?: number;
  seed?: number;
  name?: string;
  inputName?: string;
  outputName?: string;
}

const pair = (x: number | readonly [number, number]): [number, number] =>
  typeof x === 'number' ? [x, x] : [x[0], x[1]];

/** Patch tokens [B', N, D] of an image batch [B', C, H, W]. */
function imagePatches(
  op: Ops,
  x: Value,
  rnd: RandomWeights,
  shape: readonly number[],
  o: VitEncoderOptions,
): { tokens: Value; n: number } {
  const [c, h, w] = shape;
  const [ph, pw] = pair(o.patch);
  const [sh, sw] = pair(o.stride ?? o.patch);
  const gh = Math.floor((h - ph) / sh) + 1;
  const gw = Math.floor((w - pw) / sw) + 1;
  const kernel = op.g.initializer(
    rnd.normal(o.width * c * ph * pw, 1 / Math.sqrt(c * ph * pw)),
    [o.width, c, ph, pw],
    'patch_embed',
  );
  const conv = op.conv(x, kernel, null, { kernel: [ph, pw], strides: [sh, sw] }); // [B', D, gh, gw]
  return { tokens: op.transpose(op.reshape(conv, [0, o.width, gh * gw]), [0, 2, 1]), n: gh * gw };
}

/** Patch tokens [B, N, D] of a time series [B, C, T] (ImageBind IMUPreprocessor: unfold, channel-major). */
function seriesPatches(
  op: Ops,
  x: Value,
  rnd: RandomWeights,
  shape: readonly number[],
  o: VitEncoderOptions,
): { tokens: Value; n: number } {
  const [c, t] = shape;
  const [p] = pair(o.patch);
  if (t % p !== 0) throw new RangeError(`series length ${t} is not a multiple of the patch ${p}`);
  const n = t / p;
  const windows = op.reshape(op.transpose(op.reshape(x, [0, c, n, p]), [0, 2, 1, 3]), [0, n, c * p]);
  return {
    tokens: linear(op, windows, rnd.normal(c * p * o.width, 1 / Math.sqrt(c * p)), c * p, o.width),
    n,
  };
}

/** CLS + position embedding + blocks + head: [B', N, D] tokens → [B', E] (not normalised). */
function trunkAndHead(op: Ops, patches: Value, n: number, rnd: RandomWeights, o: VitEncoderOptions): Value {
  const g = op.g;
  const d = o.width;
  const first = op.slice(patches, [0], [1], [1]); // [B',1,D]: gives the CLS row its batch size
  const cls = op.add(op.mul(first, 0), g.initializer(rnd.normal(d, 0.02), [1, 1, d], 'cls_token'));
  let x = op.add(
    op.concat([cls, patches], 1),
    g.initializer(rnd.normal((n + 1) * d, 0.02), [1, n + 1, d], 'pos_embed'),
  );
  for (let i = 0; i < o.depth; i++)
    x = transformerBlock(op, x, rnd, { width: d, heads: o.heads, tokens: n + 1, mlpRatio: o.mlpRatio });
  const pooled = op.reshape(op.slice(layerNorm(op, x, d), [0], [1], [1]), [0, d]);
  return linear(op, pooled, rnd.normal(d * o.embeddingDim, 1 / Math.sqrt(d)), d, o.embeddingDim);
}

/** The encoder's graph (for callers that add to it); buildVitEncoder gives the bytes. */
export function vitEncoderGraph(o: VitEncoderOptions): GraphBuilder {
  const g = new GraphBuilder({
    name: o.name ?? 'vit',
    docString: 'bindsight generated ViT (random weights, not a trained model)',
  });
  const op = new Ops(g);
  const rnd = new RandomWeights(o.seed ?? 1);
  const shape = o.inputShape;
  const input = g.input(o.inputName ?? 'input', 'float32', ['batch', ...shape] as Dim[]);
  const clips = shape.length === 4 ? shape[0] : 1;
  const perClip = shape.length === 4 ? shape.slice(1) : shape;
  const x = shape.length === 4 ? op.reshape(input, [-1, ...perClip]) : input;
  const { tokens, n } =
    perClip.length === 3 ? imagePatches(op, x, rnd, perClip, o) : seriesPatches(op, x, rnd, perClip, o);
  let y = op.mul(l2Normalize(op, trunkAndHead(op, tokens, n, rnd, o)), o.outputScale ?? 1);
  if (clips > 1) y = op.reduceMean(op.reshape(y, [-1, clips, o.embeddingDim]), [1], false);
  g.output(y, o.outputName ?? 'embedding', 'float32', ['batch', o.embeddingDim]);
  return g;
}

/** The ONNX bytes of a random-weight ViT encoder (see the file header). */
export function buildVitEncoder(o: VitEncoderOptions): Uint8Array {
  if (![2, 3, 4].includes(o.inputShape.length)) {
    throw new RangeError(`inputShape [${o.inputShape.join(',')}] must be [C,T], [C,H,W] or [S,C,H,W]`);
  }
  return vitEncoderGraph(o).toBytes();
}
