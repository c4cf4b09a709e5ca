import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { TextParams } from '../../../models/manifest.js';
import { loadTokenizer } from '../../../src/encoders/tokenizers/load.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

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

/** The CLIP merges file, read in place from ../shared (never copied). */
const BPE = join(REPO, '..', 'shared', 'vendor-data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

t.test('clip-bpe loads the merges file named in pack.json', async (t) => {
  const tok = await loadTokenizer(BPE, { ...base, tokenizer: 'clip-bpe', sot: 49406, eot: 49407 });
  t.equal(tok.kind, 'clip-bpe');
  t.same([...tok.encode('a photo of a cat')].slice(0, 7), [49406n, 320n, 1125n, 539n, 320n, 2368n, 49407n]);
  t.equal(tok.knownWords(), null, 'byte-level BPE has no closed vocabulary');
  await t.rejects(
    loadTokenizer('/nowhere/bpe.txt.gz', { ...base, tokenizer: 'clip-bpe', sot: 49406, eot: 49407 }),
    {
      code: 'PACK_FILE_MISSING',
      message: /nowhere\/bpe\.txt\.gz/,
    },
  );
});
