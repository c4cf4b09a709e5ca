/** The CLIP vocabulary built from a merges file; broken files are refused naming the file and the problem. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { byteSymbols, loadBpeVocab } from '../../../src/encoders/tokenizers/bpe-vocab.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BPE = join(REPO, '..', 'shared', 'vendor-data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

t.test('the 49,408 ids of CLIP as the vendor README lays them out', async (t) => {
  const v = await loadBpeVocab(BPE, 49406, 49407);
  t.equal(v.size, 49408);
  const id = (s: string) => v.encoder.get(s);
  t.equal(id('!'), 0);
  t.equal(id('~'), 93);
  t.equal(id('ÿ'), 187);
  t.equal(id('Ā'), 188, 'byte 0x00');
  t.equal(id('Ġ'), 220, 'the space');
  t.equal(id('Ń'), 255, 'byte 0xAD');
  t.equal(id('!</w>'), 256);
  t.equal(id('a</w>'), 320);
  t.equal(id('in'), 512);
  t.equal(id('th'), 513);
  t.equal(id('jekyll</w>'), 49405);
  t.equal(id('<|startoftext|>'), 49406);
  t.equal(id('<|endoftext|>'), 49407);
  t.equal(v.ranks.get('i n'), 0);
  t.equal(byteSymbols()[0x20], 'Ġ');
});

t.test('refusals name the file and what is wrong', async (t) => {
  const dir = t.testdir();
  await t.rejects(loadBpeVocab(join(dir, 'none.txt.gz'), 49406, 49407), {
    code: 'PACK_FILE_MISSING',
    message: /cannot read the CLIP BPE vocabulary .*none\.txt\.gz/,
  });
  const short = join(dir, 'short.txt.gz');
  writeFileSync(short, gzipSync('#version: 0.2\ni n\nt h\n'));
  await t.rejects(loadBpeVocab(short, 49406, 49407), {
    code: 'PACK_INVALID',
    message: /short\.txt\.gz .*3 merge lines but sot 49406 needs 48894/,
  });
  t.equal(
    (await loadBpeVocab(short, 514, 515)).size,
    516,
    'a 2-merge vocabulary is fine when pack.json says so',
  );
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, '#version\ni n x\n');
  await t.rejects(loadBpeVocab(bad, 513, 514), {
    code: 'PACK_INVALID',
    message: /line 2 is "i n x", not "left right"/,
  });
  const binary = join(dir, 'vocab.json');
  writeFileSync(binary, Buffer.from([0x1f, 0x8b, 0, 1, 2]));
  await t.rejects(loadBpeVocab(binary, 49406, 49407), { code: 'PACK_INVALID', message: /not gzip or UTF-8/ });
  await t.rejects(loadBpeVocab(BPE, 1, 2), { code: 'PACK_INVALID', message: /sot 1, eot 2/ });
});
