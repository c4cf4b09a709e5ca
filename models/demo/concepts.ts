/**
 * The demo pack's shared "embedding space": eleven concepts, each a fixed unit direction in
 * 1024-d, and the words that name them. Every demo encoder maps its input onto these
 * directions, so a thermal frame and the text "a person" meet on the same axis.
 *
 * Directions are seeded pseudo-random vectors, orthonormalised (Gram–Schmidt), rather than
 * one-hot axes: the maths is the same (cosines are exact concept weights because the
 * directions are orthonormal), but no consumer can come to rely on "axis 3 means fall", and
 * the vectors look like the dense embeddings a real pack produces. Only integer maths
 * (mulberry32), +, ×, / and Math.sqrt are used, which IEEE 754 makes exact and portable, so
 * the pack is byte-identical on every machine.
 */

import { BindsightError } from '../../src/errors.js';
import { mulberry32 } from '../onnx/random.js';

export const EMBEDDING_DIM = 1024;

export const CONCEPTS = [
  'person',
  'empty',
  'fall',
  'walk',
  'still',
  'alarm',
  'quiet',
  'noise',
  'bright',
  'dark',
  'near',
] as const;
export type Concept = (typeof CONCEPTS)[number];

/** The words each concept answers to. Order is the vocabulary order (ids are assigned in it). */
export const SYNONYMS: Readonly<Record<Concept, readonly string[]>> = {
  person: ['person', 'people', 'human', 'someone', 'somebody', 'man', 'woman', 'child', 'intruder'],
  empty: ['empty', 'nobody', 'vacant', 'nothing'],
  fall: ['fall', 'falls', 'fell', 'falling', 'fallen', 'collapse', 'collapsed'],
  walk: ['walk', 'walks', 'walking', 'moving', 'movement', 'steps'],
  still: ['still', 'stationary', 'resting', 'idle', 'motionless', 'lying'],
  alarm: ['siren', 'alarm', 'beeping', 'beep', 'tone', 'alert'],
  quiet: ['quiet', 'silence', 'silent', 'calm'],
  noise: ['noise', 'noisy', 'loud'],
  bright: ['bright', 'light', 'daylight', 'lit', 'sunny', 'day'],
  dark: ['dark', 'darkness', 'night', 'unlit'],
  near: ['near', 'close', 'nearby', 'object'],
};

/**
 * Known words that carry no concept (their embedding row is zero). They are in the
 * vocabulary so that "a person in the room" reports no unknown word. "s" covers the
 * possessive ("someone's" splits into "someone" + "s" on non-letters).
 */
export const STOP_WORDS: readonly string[] = [
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'is',
  'are',
  's',
  'room',
  'scene',
  'sound',
  'there',
  'with',
  'to',
  'at',
  'and',
  'something',
  'this',
  'it',
  'has',
  'from',
  'by',
  'floor',
  'ground',
];

/** Special token ids of the demo tokenizer (pack.json text preprocess). */
export const SPECIAL_IDS = { pad: 0, sot: 1, eot: 2 } as const;
export const CONTEXT_LENGTH = 77;

/** Seed of the concept directions; changing it changes every demo pack file. */
export const CONCEPT_SEED = 0x1b1d5e7;

// mulberry32 lives with the other seeded weights; re-exported because the demo pack is defined by it.
export { mulberry32 };

/**
 * One unit vector per concept, mutually orthogonal: uniform [-1, 1) draws, then modified
 * Gram–Schmidt in float64, stored as float32 rows [CONCEPTS.length, EMBEDDING_DIM].
 */
export function conceptDirections(seed = CONCEPT_SEED, dim = EMBEDDING_DIM): Float32Array {
  const next = mulberry32(seed);
  const rows: Float64Array[] = [];
  for (let k = 0; k < CONCEPTS.length; k++) {
    const v = Float64Array.from({ length: dim }, () => 2 * next() - 1);
    for (const u of rows) {
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += v[i] * u[i];
      for (let i = 0; i < dim; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; i++) v[i] /= norm;
    rows.push(v);
  }
  const out = new Float32Array(CONCEPTS.length * dim);
  rows.forEach((v, k) => {
    out.set(v, k * dim);
  });
  return out;
}

/** Rows of `directions` for the given concepts, in that order ([concepts.length, dim]). */
export function conceptRows(
  directions: Float32Array,
  concepts: readonly Concept[],
  dim = EMBEDDING_DIM,
): Float32Array {
  const out = new Float32Array(concepts.length * dim);
  concepts.forEach((c, i) => {
    const k = CONCEPTS.indexOf(c);
    out.set(directions.subarray(k * dim, (k + 1) * dim), i * dim);
  });
  return out;
}

/** The demo vocabulary: specials, then every synonym (concept order), then stop words. */
export function demoVocabulary(): { vocab: Record<string, number>; conceptOf: Map<number, Concept> } {
  const vocab: Record<string, number> = {};
  const conceptOf = new Map<number, Concept>();
  let id = SPECIAL_IDS.eot + 1;
  for (const c of CONCEPTS) {
    for (const w of SYNONYMS[c]) {
      if (w in vocab)
        throw new BindsightError('PACK_INVALID', `demo vocabulary: '${w}' is listed twice`, { word: w });
      vocab[w] = id;
      conceptOf.set(id, c);
      id++;
    }
  }
  for (const w of STOP_WORDS) {
    if (w in vocab) {
      throw new BindsightError('PACK_INVALID', `demo vocabulary: stop word '${w}' is also a concept word`, {
        word: w,
      });
    }
    vocab[w] = id++;
  }
  return { vocab, conceptOf };
}
