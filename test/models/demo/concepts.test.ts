import t from 'tap';
import {
  CONCEPTS,
  conceptDirections,
  conceptRows,
  demoVocabulary,
  EMBEDDING_DIM,
  mulberry32,
  SPECIAL_IDS,
  STOP_WORDS,
  SYNONYMS,
} from '../../../models/demo/concepts.js';

t.test('mulberry32 is the published generator (first outputs for seed 1)', async (t) => {
  const next = mulberry32(1);
  // Reference values from the public-domain C/JS mulberry32 (seed 1): 0.6270739405881613, 0.002735721180215478.
  t.equal(next(), 0.6270739405881613);
  t.equal(next(), 0.002735721180215478);
});

t.test('concept directions are orthonormal, deterministic and seed-dependent', async (t) => {
  const d = conceptDirections();
  t.equal(d.length, CONCEPTS.length * EMBEDDING_DIM);
  let worst = 0;
  for (let a = 0; a < CONCEPTS.length; a++) {
    for (let b = 0; b < CONCEPTS.length; b++) {
      let dot = 0;
      for (let i = 0; i < EMBEDDING_DIM; i++) dot += d[a * EMBEDDING_DIM + i] * d[b * EMBEDDING_DIM + i];
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  t.ok(worst < 1e-6, `max |dot − δ| = ${worst}`);
  t.same(Buffer.from(conceptDirections().buffer), Buffer.from(d.buffer));
  t.notSame(Buffer.from(conceptDirections(2).buffer), Buffer.from(d.buffer));
  const rows = conceptRows(d, ['near', 'person']);
  t.same([...rows.subarray(0, 4)], [...d.subarray(10 * EMBEDDING_DIM, 10 * EMBEDDING_DIM + 4)]);
  t.same([...rows.subarray(EMBEDDING_DIM, EMBEDDING_DIM + 4)], [...d.subarray(0, 4)]);
});

t.test('vocabulary: every synonym and stop word once, ids after the specials, concepts mapped', async (t) => {
  const { vocab, conceptOf } = demoVocabulary();
  const ids = Object.values(vocab);
  const words = Object.keys(vocab);
  const synonymCount = CONCEPTS.reduce((n, c) => n + SYNONYMS[c].length, 0);
  t.equal(words.length, synonymCount + STOP_WORDS.length);
  t.same(
    ids,
    words.map((_, i) => SPECIAL_IDS.eot + 1 + i),
  );
  t.equal(conceptOf.get(vocab.intruder), 'person');
  t.equal(conceptOf.get(vocab.collapsed), 'fall');
  t.equal(conceptOf.get(vocab.siren), 'alarm');
  t.equal(conceptOf.get(vocab.close), 'near');
  t.equal(conceptOf.get(vocab.the), undefined);
  t.equal(conceptOf.size, synonymCount);
});
