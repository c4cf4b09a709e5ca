/**
 * The CLIP BPE tokenizer against every vector of ../shared/vendor-data/clip-bpe/reference-tokens.json
 * (read in place), one subtest each. A vector is checked against what ImageBind's own
 * SimpleTokenizer gives (ftfy included), per the file's README:
 * - ftfy_match: the source's ids, laid out by `form`/`window`;
 * - ftfy_ids present (the source skips ftfy): encode(text) = ftfy_ids;
 * - otherwise (the source is not CLIP-exact, reason in `note`): encode(text) = reference_ids.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { ClipBpeTokenizer } from '../../../src/encoders/tokenizers/clip-bpe.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const VENDOR = join(REPO, '..', 'shared', 'vendor-data', 'clip-bpe');

interface Vector {
  text: string;
  ids: number[];
  form: 'sot+ids+eot' | 'ids_only';
  window?: { length: number; pad: number };
  source: string;
  reference_match: boolean;
  ftfy_match: boolean;
  reference_ids?: number[];
  ftfy_ids?: number[];
  note?: string;
}

const reference = JSON.parse(readFileSync(join(VENDOR, 'reference-tokens.json'), 'utf8')) as {
  conventions: { sot: number; eot: number; pad: number; context_length: number };
  vectors: Vector[];
};
const { sot, eot, pad, context_length: contextLength } = reference.conventions;
const tok = await ClipBpeTokenizer.load(join(VENDOR, 'bpe_simple_vocab_16e6.txt.gz'), {
  kind: 'text',
  tokenizer: 'clip-bpe',
  vocab: 'bpe_simple_vocab_16e6.txt.gz',
  contextLength,
  sot,
  eot,
  pad,
});

/** A fixed-length row as the README's rule lays it out: ([sot] + ids)[:N-1] + [eot], then P. */
function row(ids: readonly number[], length: number, padId: number): number[] {
  const out = [sot, ...ids].slice(0, length - 1);
  out.push(eot);
  while (out.length < length) out.push(padId);
  return out;
}

t.equal(tok.vocabSize, 49408, 'CLIP vocabulary: 256 + 256 + 48,894 merges + 2 markers');
t.equal(reference.vectors.length, 233, 'every vector of the file is checked below');

reference.vectors.forEach((v, i) => {
  t.test(`#${i} ${v.source}: ${JSON.stringify(v.text).slice(0, 60)}`, async (t) => {
    const ids = tok.encodeIds(v.text);
    if (!v.ftfy_match) {
      const imagebind = v.ftfy_ids ?? v.reference_ids;
      t.ok(imagebind, 'a vector ImageBind disagrees with carries the ids ImageBind gives');
      t.same(ids, imagebind, `ImageBind's ids, not the source's (${v.note ?? ''})`);
      return;
    }
    if (v.form === 'ids_only') t.same(ids, v.ids);
    else if (v.window) {
      const expected = [...v.ids];
      while (expected.length < v.window.length) expected.push(v.window.pad);
      t.same(row(ids, v.window.length, v.window.pad), expected);
    } else t.same([sot, ...ids, eot], v.ids);
  });
});

t.test('encode() gives the 77-long int64 model row, zero-padded, cut keeping the end marker', async (t) => {
  const short = tok.encode('a photo of a cat');
  t.equal(short.length, 77);
  t.same([...short].slice(0, 8).map(Number), [49406, 320, 1125, 539, 320, 2368, 49407, 0]);
  t.ok([...short].slice(7).every((x) => x === 0n));
  const long = tok.encode('cat '.repeat(100));
  t.equal(long.length, 77);
  t.equal(Number(long[0]), 49406);
  t.equal(Number(long[76]), 49407, 'truncation keeps the end marker (ImageBind 1125e1e)');
  t.ok(
    [...long].slice(1, 76).every((x) => x === 2368n),
    '75 content tokens',
  );
  t.equal(tok.tokenCount('cat '.repeat(100)), 100, 'tokenCount counts before truncation');
  t.same(tok.unknownWords(), []);
});

t.test('the layout follows pack.json: another context length and pad id', async (t) => {
  const hf = await ClipBpeTokenizer.load(join(VENDOR, 'bpe_simple_vocab_16e6.txt.gz'), {
    kind: 'text',
    tokenizer: 'clip-bpe',
    vocab: 'x',
    contextLength: 8,
    sot,
    eot,
    pad: eot,
  });
  t.same([...hf.encode('hello world')].map(Number), [49406, 3306, 1002, 49407, 49407, 49407, 49407, 49407]);
});
