import t from 'tap';
import { dot, scorePrompts } from '../../src/rules/score.js';

function unit(...v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
}

t.test('softmax over prompts and contrast, scaled by the logit scale', async (t) => {
  const e = unit(1, 0, 0);
  const person = unit(1, 0, 0);
  const empty = unit(0, 1, 0);
  const s = scorePrompts(e, [person], [empty], 10);
  // softmax([10, 0]) = 1 / (1 + e^-10)
  t.ok(Math.abs(s.score - 1 / (1 + Math.exp(-10))) < 1e-9);
  t.same(
    s.cosines.map((c) => Math.round(c * 1e6) / 1e6),
    [1, 0],
  );
  const flipped = scorePrompts(e, [empty], [person], 10);
  t.ok(flipped.score < 1e-4, 'a prompt that does not match scores near 0');
});

t.test('several prompts: their probabilities add up and the best one is named', async (t) => {
  const e = unit(1, 1, 0);
  const a = unit(1, 0, 0);
  const b = unit(0.9, 1, 0);
  const c = unit(0, 0, 1);
  const s = scorePrompts(e, [a, b], [c], 5);
  t.equal(s.best, 1);
  const la = 5 * dot(e, a);
  const lb = 5 * dot(e, b);
  const lc = 5 * dot(e, c);
  const expected = (Math.exp(la) + Math.exp(lb)) / (Math.exp(la) + Math.exp(lb) + Math.exp(lc));
  t.ok(Math.abs(s.score - expected) < 1e-9);
});

t.test('without contrast the score is the clipped cosine', async (t) => {
  t.ok(Math.abs(scorePrompts(unit(1, 1), [unit(1, 0)], [], 100).score - Math.SQRT1_2) < 1e-6);
  t.equal(scorePrompts(unit(-1, 0), [unit(1, 0)], [], 100).score, 0);
});

t.test('logit bias shifts every class equally and so does not change a softmax', async (t) => {
  const e = unit(1, 0.3);
  const p = [unit(1, 0)];
  const c = [unit(0, 1)];
  t.ok(Math.abs(scorePrompts(e, p, c, 7, 0).score - scorePrompts(e, p, c, 7, -3).score) < 1e-12);
});

t.test('normalCdf: Φ at known points, symmetric, monotone', async (t) => {
  const { normalCdf } = await import('../../src/rules/score.js');
  for (const [z, p] of [
    [0, 0.5],
    [1, 0.841344746],
    [1.959963985, 0.975],
    [3, 0.998650102],
    [-2, 0.022750132],
  ])
    t.ok(Math.abs(normalCdf(z) - p) < 1e-7, `Φ(${z}) = ${p}`);
  t.ok(Math.abs(normalCdf(1.3) + normalCdf(-1.3) - 1) < 1e-12);
  t.equal(normalCdf(40), 1);
});

t.test('promptMargin: best prompt cosine minus best contrast cosine', async (t) => {
  const { promptMargin } = await import('../../src/rules/score.js');
  const e = unit(1, 1, 0);
  const s = scorePrompts(e, [unit(1, 0, 0), unit(0, 0, 1)], [unit(0, 1, 0), unit(-1, 0, 0)], 10);
  t.ok(Math.abs(promptMargin(s, 2) - (Math.SQRT1_2 - Math.SQRT1_2)) < 1e-6);
  const alone = scorePrompts(e, [unit(1, 0, 0)], [], 10);
  t.ok(Math.abs(promptMargin(alone, 1) - Math.SQRT1_2) < 1e-6, 'without contrast: the cosine');
});
