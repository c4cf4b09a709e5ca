/**
 * The random-weight pack with ImageBind's I/O: every modality loads through loadPack, the text
 * encoder takes CLIP BPE rows, and `models verify` finds it healthy.
 */
import { lstat, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { buildRandomPack } from '../../../models/bench/pack.js';
import { IMAGEBIND_IO, IMAGEBIND_PREPROCESS, IMAGEBIND_TEXT } from '../../../models/manifest.js';
import { verifyPack } from '../../../src/encoders/verify.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BPE = join(REPO, '..', 'shared', 'vendor-data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

t.test('all six modalities with ImageBind I/O; the vocabulary linked, not copied', async (t) => {
  const dir = t.testdir();
  const manifest = await buildRandomPack(dir, { size: { width: 32, depth: 1, heads: 2 }, vocabFile: BPE });
  t.same(Object.keys(manifest.modalities), ['vision', 'text', 'audio', 'depth', 'thermal', 'imu']);
  for (const [m, spec] of Object.entries(manifest.modalities)) {
    const io = IMAGEBIND_IO[m as keyof typeof IMAGEBIND_IO];
    t.same(spec?.input.shape, io.shape, `${m} input`);
    t.equal(spec?.outputScale, io.outputScale, `${m} scale`);
  }
  t.same(manifest.modalities.text?.preprocess, IMAGEBIND_TEXT);
  t.same(manifest.modalities.depth?.preprocess, IMAGEBIND_PREPROCESS.depth);
  t.ok((await lstat(join(dir, IMAGEBIND_TEXT.vocab))).isSymbolicLink());
  t.equal(JSON.parse(await readFile(join(dir, 'pack.json'), 'utf8')).family, 'synthetic');
  const r = await verifyPack(dir);
  t.same(r.problems, []);
  t.same(
    r.rows.map((row) => row.input),
    [
      'float32 [batch,3,224,224]',
      'int64 [batch,77]',
      'float32 [batch,3,1,128,204]',
      'float32 [batch,1,224,224]',
      'float32 [batch,1,224,224]',
      'float32 [batch,6,2000]',
    ],
  );
});

t.test('a text encoder needs the vocabulary file', async (t) => {
  await t.rejects(buildRandomPack(t.testdir(), { modalities: ['text'] }), /needs vocabFile/);
});
