import { join } from 'node:path';
import t from 'tap';
import type { TextParams } from '../../../models/manifest.js';
import { loadTokenizer } from '../../../src/encoders/tokenizers/load.js';

const base: TextParams = {
  kind: 'text',
  tokenizer: 'words',
  vocab: 'vocab.json',
  contextLength: 77,
  sot: 1,
  eot: 2,
  pad: 0,
};

t.test('picks the tokenizer named in pack.json', async (t) => {
  const dir = t.testdir({ 'vocab.json': JSON.stringify({ hello: 3 }) });
  const tok = await loadTokenizer(join(dir, 'vocab.json'), base);
  t.equal(tok.kind, 'words');
  t.equal(tok.contextLength, 77);
  t.same([...tok.encode('hello')].slice(0, 3), [1n, 3n, 2n]);
});

t.test('clip-bpe is refused until it is implemented, naming what is available', async (t) => {
  await t.rejects(loadTokenizer('/nowhere/bpe.txt.gz', { ...base, tokenizer: 'clip-bpe' }), {
    code: 'PACK_INVALID',
    message: /tokenizer 'clip-bpe' .* not implemented .*available: words/,
  });
});
