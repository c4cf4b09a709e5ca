/**
 * A CLIP-family pack (vision + text with the CLIP BPE tokenizer, random transformer weights)
 * through the same loadPack as the demo pack: tokenizer, licence notice, external tensor data,
 * and the refusals that belong to it (vocabulary hash and format, external data file).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import t from 'tap';
import { buildRandomPack } from '../../models/bench/pack.js';
import { moveToExternalData } from '../../models/quantize/external.js';
import { loadPack } from '../../src/encoders/pack.js';
import { sha256File } from '../../src/encoders/pack-files.js';
import { captureLogs } from '../helpers/logs.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** CLIP's merges file, linked into each pack (read in place, never copied). */
const BPE = join(REPO, '..', 'shared', 'vendor-data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');
const SIZE = { width: 32, depth: 1, heads: 2 };

async function clipPack(dir: string): Promise<string> {
  await buildRandomPack(dir, {
    modalities: ['vision', 'text'],
    size: SIZE,
    vocabFile: BPE,
    name: 'tiny-clip',
  });
  return dir;
}

type Spec = Record<string, unknown> & { preprocess: Record<string, unknown> };
type Manifest = Record<string, unknown> & { modalities: Record<string, Spec> };

async function editManifest(dir: string, edit: (m: Manifest) => void): Promise<void> {
  const file = join(dir, 'pack.json');
  const m = JSON.parse(await readFile(file, 'utf8'));
  edit(m);
  await writeFile(file, JSON.stringify(m, null, 2));
}

t.test('a vision + text CLIP-family pack loads with the CLIP BPE tokenizer and embeds prompts', async (t) => {
  const dir = await clipPack(t.testdir());
  await editManifest(dir, (m) => {
    m.license = 'CC-BY-NC-SA-4.0';
    m.nonCommercial = true;
  });
  const { lines, logger } = captureLogs();
  const pack = await loadPack(dir, { logger });
  t.teardown(() => pack.close());
  t.same([...pack.encoders.keys()], ['vision', 'text']);
  t.equal(pack.tokenizer?.kind, 'clip-bpe');
  t.same(
    [...(pack.tokenizer?.encode('a photo of a cat') ?? [])].slice(0, 7).map(Number),
    [49406, 320, 1125, 539, 320, 2368, 49407],
  );
  const [cat, dog] = await pack.embedTexts(['a photo of a cat', 'a photo of a dog']);
  t.equal(cat.length, 1024);
  t.ok(Math.abs(Math.hypot(...cat) - 1) < 1e-5, 'unit rows');
  t.notSame(cat, dog);
  t.equal(pack.health().text?.state, 'ok');
  const warn = lines.find((l) => l.level === 40);
  t.match(warn?.msg, /licensed CC-BY-NC-SA-4\.0: non-commercial use only/);
  t.ok(lines.some((l) => l.msg === 'model pack' && l.license === 'CC-BY-NC-SA-4.0'));
});

t.test('external tensor data: loaded, hash-checked, refused when missing or changed', async (t) => {
  const dir = await clipPack(t.testdir());
  const inline = await loadPack(dir);
  const probe = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i));
  const [want] = await inline.encoders.get('vision')!.embed([probe]);
  await inline.close();

  const { onnx } = onnxProto;
  const model = onnx.ModelProto.decode(await readFile(join(dir, 'vision.onnx')));
  const data = moveToExternalData(model, 'vision.onnx.data');
  await writeFile(join(dir, 'vision.onnx'), onnx.ModelProto.encode(model).finish());
  await writeFile(join(dir, 'vision.onnx.data'), data);
  const sha = await sha256File(join(dir, 'vision.onnx'));
  const dataSha = await sha256File(join(dir, 'vision.onnx.data'));
  await editManifest(dir, (m) => {
    m.modalities.vision.sha256 = sha;
    m.modalities.vision.externalData = [{ file: 'vision.onnx.data', sha256: dataSha }];
  });
  const external = await loadPack(dir);
  const [got] = await external.encoders.get('vision')!.embed([probe]);
  await external.close();
  t.same(got, want, 'same embedding as the inline model');

  const bytes = await readFile(join(dir, 'vision.onnx.data'));
  bytes[100] ^= 1;
  await writeFile(join(dir, 'vision.onnx.data'), bytes);
  await t.rejects(loadPack(dir), { code: 'PACK_HASH_MISMATCH', message: /vision\.onnx\.data: sha256 is / });
  await rm(join(dir, 'vision.onnx.data'));
  await t.rejects(loadPack(dir), {
    code: 'PACK_FILE_MISSING',
    message:
      /vision model data vision\.onnx\.data \(vision\.externalData\[0\]\.file\), but .* does not exist/,
  });
});

t.test('the vocabulary: hash checked, format checked, required for a text model', async (t) => {
  const dir = await clipPack(t.testdir());
  await editManifest(dir, (m) => {
    m.modalities.text.preprocess.vocabSha256 = '0'.repeat(64);
  });
  await t.rejects(loadPack(dir), {
    code: 'PACK_HASH_MISMATCH',
    message: /bpe_simple_vocab_16e6\.txt\.gz: sha256 is 924691ac/,
  });

  await editManifest(dir, (m) => {
    delete m.modalities.text.preprocess.vocabSha256;
    m.modalities.text.preprocess.vocab = 'pack.json';
  });
  await t.rejects(loadPack(dir), {
    code: 'PACK_INVALID',
    message: /pack\.json is not a usable CLIP BPE merges file/,
  });

  await editManifest(dir, (m) => {
    delete m.modalities.text.preprocess.vocab;
  });
  await t.rejects(loadPack(dir), { code: 'PACK_INVALID', message: /modalities\.text\.preprocess\.vocab: / });
});
