/**
 * Zero-shot scoring of one embedding against a rule's prompts (DESIGN.md data flow, "rules").
 * All vectors are L2-normalised, so the dot product is the cosine.
 */

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export interface PromptScore {
  /** Probability mass of the rule's prompts, 0..1. */
  score: number;
  /** Index into the rule's prompts of the best-matching prompt. */
  best: number;
  /** Cosine of each prompt, then each contrast prompt. */
  cosines: number[];
}

/**
 * With contrast prompts: softmax over [prompts, contrast] of logitScale·cos + logitBias,
 * as CLIP and ImageBind score zero-shot classes (ImageBind README: softmax of the
 * scaled similarities); the score is the summed probability of the rule's prompts.
 * Without contrast prompts a softmax over one class is always 1, so the score is the
 * best prompt's cosine clipped to [0, 1]; raw cosines vary by prompt and scene, which is
 * why README.md recommends contrast prompts.
 */
export function scorePrompts(
  embedding: Float32Array,
  prompts: readonly Float32Array[],
  contrast: readonly Float32Array[],
  logitScale: number,
  logitBias = 0,
): PromptScore {
  const cosines = [...prompts, ...contrast].map((p) => dot(embedding, p));
  let best = 0;
  for (let i = 1; i < prompts.length; i++) if (cosines[i] > cosines[best]) best = i;
  if (contrast.length === 0) {
    return { score: Math.min(1, Math.max(0, cosines[best])), best, cosines };
  }
  const logits = cosines.map((c) => logitScale * c + logitBias);
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const total = exps.reduce((a, b) => a + b, 0);
  let promptMass = 0;
  for (let i = 0; i < prompts.length; i++) promptMass += exps[i];
  return { score: promptMass / total, best, cosines };
}

/**
 * The raw value a z-score rule tracks: the best prompt's cosine, minus the best contrast
 * prompt's cosine when there are contrast prompts (a scene-wide shift moves both and cancels).
 */
export function promptMargin(s: PromptScore, prompts: number): number {
  const best = s.cosines[s.best];
  if (s.cosines.length === prompts) return best;
  return best - Math.max(...s.cosines.slice(prompts));
}

/**
 * Standard normal CDF Φ(z): how a z-score is shown as a 0–1 score on the wire. Uses the
 * complementary error function of Numerical Recipes (erfcc, fractional error < 1.2e-7).
 */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
