import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { TextParams } from '../../../models/manifest.js';
import { splitWords, WordsTokenizer } from '../../../src/encoders/tokenizers/words.js';

const params: TextParams = {
  kind: 'text',
  tokenizer: 'words',
  vocab: 'vocab.json',
  contextLength: 8,
  sot: 1,
  eot: 2,
  pad: 0,
};
const vocab = new Map([
  ['a', 3],
  ['person', 4],
  ['fell', 5],
  ['café', 6],
]);

t.test('splits lower-cased runs of letters', async (t) => {
  t.same(splitWords("Someone's  FELL-down, 2 times!"), ['someone', 's', 'fell', 'down', 'times']);
  t.same(splitWords('CAFÉ au lait'), ['café', 'au', 'lait']);
  t.same(splitWords(' 42 !? '), []);
});

t.test('encodes [sot, ids…, eot] zero-padded; unknown words are skipped and reported', async (t) => {
  const tok = new WordsTokenizer(vocab, params);
  t.same([...tok.encode('A person fell')], [1n, 3n, 4n, 5n, 2n, 0n, 0n, 0n]);
  t.same([...tok.encode('A person, a unicorn and a Café')], [1n, 3n, 4n, 3n, 3n, 6n, 2n, 0n]);
  t.same(tok.unknownWords('a unicorn and another unicorn'), ['unicorn', 'and', 'another']);
  t.same(tok.unknownWords('a person'), []);
  t.equal(tok.tokenCount('unicorn'), 0);
  t.equal(tok.tokenCount('a person a'), 3);
  t.same([...tok.encode('')], [1n, 2n, 0n, 0n, 0n, 0n, 0n, 0n]);
  t.same(tok.knownWords(), ['a', 'person', 'fell', 'café']);
});

t.test('long texts are cut to contextLength keeping eot last', async (t) => {
  const tok = new WordsTokenizer(vocab, params);
  const ids = tok.encode('person fell '.repeat(10));
  t.equal(ids.length, 8);
  t.same([...ids], [1n, 4n, 5n, 4n, 5n, 4n, 5n, 2n]);
});

t.test('load() reads vocab.json and refuses bad ones', async (t) => {
  const dir = t.testdir({
    'good.json': JSON.stringify({ a: 3, person: 4 }),
    'notjson.json': '{ a: 3',
    'array.json': '["a"]',
    'special.json': JSON.stringify({ a: 2 }),
    'fraction.json': JSON.stringify({ a: 3.5 }),
    'upper.json': JSON.stringify({ Person: 4 }),
  });
  const tok = await WordsTokenizer.load(join(dir, 'good.json'), params);
  t.same([...tok.encode('a person')].slice(0, 4), [1n, 3n, 4n, 2n]);
  await t.rejects(WordsTokenizer.load(join(dir, 'notjson.json'), params), {
    code: 'PACK_INVALID',
    message: /notjson\.json is not valid JSON/,
  });
  await t.rejects(WordsTokenizer.load(join(dir, 'array.json'), params), {
    code: 'PACK_INVALID',
    message: /JSON object of word → id/,
  });
  await t.rejects(WordsTokenizer.load(join(dir, 'special.json'), params), {
    message: /'a' has id 2; .*eot 2/,
  });
  await t.rejects(WordsTokenizer.load(join(dir, 'fraction.json'), params), { message: /'a' has id 3.5/ });
  await t.rejects(WordsTokenizer.load(join(dir, 'upper.json'), params), {
    message: /'Person' is not a lower-case word/,
  });
  await writeFile(join(dir, 'late.json'), '{}');
  t.same((await WordsTokenizer.load(join(dir, 'late.json'), params)).knownWords(), []);
});
