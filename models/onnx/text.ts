/**
 * A random-weight CLIP-style text encoder with ImageBind's text I/O (imagebind-contract.md §1.3,
 * §2): int64 token ids [batch, contextLength] → token embedding + learned positions → causal
 * pre-norm blocks → LayerNorm → the row at the end marker (argmax of the ids: the end marker
 * has the highest id) → Linear → L2-normalise × outputScale (the logit scale).
 */
import { attr, GraphBuilder } from './graph.js';
import { l2Normalize, linear } from './nn.js';
import { Ops } from './ops.js';
import { RandomWeights } from './random.js';
import { causalMask, layerNorm, transformerBlock } from './transformer.js';

export interface TextEncoderOptions {
  /** Token table rows (CLIP: 49,408). */
  vocabSize: number;
  /** Sequence length (CLIP: 77). */
  contextLength: number;
  width: number;
  depth: number;
  heads: number;
  embeddingDim: number;
  outputScale?: number;
  seed?: number;
  name?: string;
  inputName?: string;
  outputName?: string;
}

/** The ONNX bytes of a random-weight text encoder (see the file header). */
export function buildTextEncoder(o: TextEncoderOptions): Uint8Array {
  const g = new GraphBuilder({
    name: o.name ?? 'text',
    docString: 'bindsight generated text transformer (random weights, not a trained model)',
  });
  const op = new Ops(g);
  const rnd = new RandomWeights(o.seed ?? 2);
  const { width: d, contextLength: t } = o;
  const ids = g.input(o.inputName ?? 'input', 'int64', ['batch', t]);
  const table = g.initializer(rnd.normal(o.vocabSize * d, 1), [o.vocabSize, d], 'token_embedding');
  let x = op.add(op.gather(table, ids, 0), g.initializer(rnd.normal(t * d, 0.01), [1, t, d], 'pos_embed'));
  const mask = causalMask(op, t);
  for (let i = 0; i < o.depth; i++)
    x = transformerBlock(op, x, rnd, { width: d, heads: o.heads, tokens: t, mask });
  x = layerNorm(op, x, d);
  // SelectEOSAndProject: x[arange(B), ids.argmax(-1)], as a one-hot over positions (no dynamic shapes).
  const eot = g.op('ArgMax', [ids], { axis: attr.int(1), keepdims: attr.int(1) }); // [B,1]
  const positions = op.i64(
    Array.from({ length: t }, (_, i) => i),
    [t],
    'positions',
  );
  const oneHot = op.unsqueeze(op.cast(op.equal(eot, positions), 'float32'), [2]); // [B,T,1]
  const pooled = op.reduceSum(op.mul(x, oneHot), [1], false); // [B,D]
  const y = op.mul(
    l2Normalize(op, linear(op, pooled, rnd.normal(d * o.embeddingDim, 1 / Math.sqrt(d)), d, o.embeddingDim)),
    o.outputScale ?? 1,
  );
  g.output(y, o.outputName ?? 'embedding', 'float32', ['batch', o.embeddingDim]);
  return g.toBytes();
}
