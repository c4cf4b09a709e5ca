/**
 * Transformer pieces with random weights, shaped like ImageBind's trunks (imagebind-contract.md
 * §2): pre-norm blocks `x + attn(LN(x))`, `x + MLP(LN(x))`, LayerNorm eps 1e-6, multi-head
 * attention with one fused QKV projection (nn.MultiheadAttention's in_proj) and an output
 * projection, an MLP of ratio 4 with exact (erf) GELU. Every projection is a MatMul against an
 * initializer, as torch.onnx exports nn.Linear on 3-D inputs, so the quantizer sees what it
 * sees in a real export. Used by vit.ts and text.ts (test models, benchmark packs).
 */
import type { Value } from './graph.js';
import { linear } from './nn.js';
import type { Ops } from './ops.js';
import type { RandomWeights } from './random.js';

export interface BlockOptions {
  width: number;
  heads: number;
  /** Sequence length (fixed; only the batch is dynamic). */
  tokens: number;
  mlpRatio?: number;
  eps?: number;
  /** Additive [tokens, tokens] attention mask (e.g. causal), or none. */
  mask?: Value | null;
  /**
   * Std of the random projection weights × √fan-in (default 1: LeCun-normal, std 1/√fan-in).
   * Trained-ViT-sized weights (std 0.02) would leave a random model's CLS output almost
   * independent of its input; unit-gain weights keep embeddings of different inputs apart.
   */
  gain?: number;
}

/** LayerNorm over the last dim with unit scale and zero bias. */
export function layerNorm(op: Ops, x: Value, width: number, eps = 1e-6): Value {
  const g = op.g;
  return op.layerNorm(
    x,
    g.initializer(new Float32Array(width).fill(1), [width], 'ln_scale'),
    g.initializer(new Float32Array(width), [width], 'ln_bias'),
    eps,
  );
}

/** Multi-head self-attention on [B, T, D]. */
function attention(
  op: Ops,
  x: Value,
  rnd: RandomWeights,
  o: Required<Omit<BlockOptions, 'mask'>> & { mask: Value | null },
): Value {
  const { width: d, heads: h, tokens: t, gain } = o;
  const dh = d / h;
  const std = gain / Math.sqrt(d);
  const qkv = linear(op, x, rnd.normal(d * 3 * d, std), d, 3 * d, rnd.normal(3 * d, 0.02));
  const [q, k, v] = op.split(qkv, [d, d, d], 2).map((y) => op.reshape(y, [0, t, h, dh]));
  const qh = op.transpose(q, [0, 2, 1, 3]); // [B,H,T,dh]
  const kt = op.transpose(k, [0, 2, 3, 1]); // [B,H,dh,T]
  const vh = op.transpose(v, [0, 2, 1, 3]);
  let scores = op.mul(op.matMul(qh, kt), 1 / Math.sqrt(dh));
  if (o.mask) scores = op.add(scores, o.mask);
  const ctx = op.matMul(op.softmax(scores, -1), vh); // [B,H,T,dh]
  const merged = op.reshape(op.transpose(ctx, [0, 2, 1, 3]), [0, t, d]);
  return linear(op, merged, rnd.normal(d * d, std), d, d, rnd.normal(d, 0.02));
}

/** One pre-norm transformer block on [B, T, D]. */
export function transformerBlock(op: Ops, x: Value, rnd: RandomWeights, options: BlockOptions): Value {
  const o = {
    ...options,
    mlpRatio: options.mlpRatio ?? 4,
    eps: options.eps ?? 1e-6,
    gain: options.gain ?? 1,
    mask: options.mask ?? null,
  };
  const d = o.width;
  if (d % o.heads !== 0) throw new RangeError(`width ${d} is not a multiple of heads ${o.heads}`);
  const attended = op.add(x, attention(op, layerNorm(op, x, d, o.eps), rnd, o));
  const hidden = d * o.mlpRatio;
  const normed = layerNorm(op, attended, d, o.eps);
  const upW = rnd.normal(d * hidden, o.gain / Math.sqrt(d));
  const up = op.gelu(linear(op, normed, upW, d, hidden, rnd.normal(hidden, 0.02)));
  const downW = rnd.normal(hidden * d, o.gain / Math.sqrt(hidden));
  return op.add(attended, linear(op, up, downW, hidden, d, rnd.normal(d, 0.02)));
}

/** An additive causal mask [t, t]: 0 on and below the diagonal, -inf above (ImageBind `build_causal_attention_mask`). */
export function causalMask(op: Ops, t: number): Value {
  const m = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) m[i * t + j] = Number.NEGATIVE_INFINITY;
  return op.g.initializer(m, [t, t], 'causal_mask');
}
