/**
 * loadPack on a real (demo) pack built in a temp dir, then corrupted one way per test: every
 * refusal names the file and the mismatch with its own error code.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { loadPack } from '../../src/encoders/pack.js';
import { captureLogs } from '../helpers/logs.js';

type Json = Record<string, unknown>;

/** A demo pack in a fresh temp dir of test `t`. */
async function freshPack(t: { testdir: () => string }): Promise<string> {
  const dir = t.testdir();
  await buildDemoPack(dir);
  return dir;
}

async function editManifest(
  dir: string,
  edit: (m: Json & { modalities: Record<string, Json> }) => void,
): Promise<void> {
  const file = join(dir, 'pack.json');
  const m = JSON.parse(await readFile(file, 'utf8'));
  edit(m);
  await writeFile(file, JSON.stringify(m, null, 2));
}

t.test('loads every modality of a good pack, falling back from cuda to cpu, and says so', async (t) => {
  const dir = await freshPack(t);
  const { lines: logs, logger } = captureLogs();
  const pack = await loadPack(dir, { providers: ['cuda', 'cpu'], logger });
  t.same([...pack.encoders.keys()], ['vision', 'text', 'audio', 'depth', 'thermal', 'imu']);
  t.ok([...pack.encoders.values()].every((e) => e.provider === 'cpu'));
  t.equal(pack.manifest.family, 'demo');
  t.equal(pack.dir, dir);
  t.equal(pack.tokenizer?.kind, 'words');
  const [e] = await pack.embedTexts(['a person']);
  t.equal(e.length, 1024);
  const fallback = logs.filter((l) => l.msg === 'execution provider fallback');
  t.equal(fallback.length, 6, 'one fallback warning per model');
  t.match(fallback[0], { failed: [{ provider: 'cuda' }] });
  t.equal(logs.filter((l) => l.msg === 'encoder loaded' && l.provider === 'cpu').length, 6);
  await pack.close();
  await pack.close();
  t.pass('close twice');
});

t.test('an encoder not loaded at start opens on demand, with the same checks', async (t) => {
  const dir = await freshPack(t);
  const pack = await loadPack(dir, { modalities: ['vision', 'text'] });
  t.teardown(() => pack.close());
  t.same([...pack.encoders.keys()].sort(), ['text', 'vision']);
  t.equal(await pack.encoder('vision'), pack.encoders.get('vision'), 'a loaded one is returned as is');
  const [a, b] = await Promise.all([pack.encoder('audio'), pack.encoder('audio')]);
  t.equal(a, b, 'opened once for two callers');
  t.equal(pack.encoders.get('audio'), a);
  t.equal(a.modality, 'audio');
  const [row] = await a.embed([new Float32Array(a.sampleSize)]);
  t.equal(row.length, 1024, 'and it embeds');
  t.ok(pack.health().audio, 'its health is watched like the others');

  // The same refusals as at start: a changed byte of the thermal model is caught when it opens.
  const thermal = join(dir, 'thermal.onnx');
  const bytes = await readFile(thermal);
  bytes[bytes.length - 1] ^= 0xff;
  await writeFile(thermal, bytes);
  await t.rejects(pack.encoder('thermal'), { code: 'PACK_HASH_MISMATCH' });
  t.notOk(pack.encoders.has('thermal'));

  await pack.close();
  await t.rejects(pack.encoder('depth'), { code: 'PACK_INVALID', message: /is closed/ });
});

t.test('a modality the pack does not have is refused on demand', async (t) => {
  const dir = await freshPack(t);
  await editManifest(dir, (m) => {
    delete m.modalities.imu;
  });
  const pack = await loadPack(dir, { modalities: ['vision', 'text'] });
  t.teardown(() => pack.close());
  await t.rejects(pack.encoder('imu'), {
    code: 'PACK_INVALID',
    message: /has no imu encoder \(it has vision, text, audio, depth, thermal\)/,
  });
});

t.test('PACK_NOT_FOUND: no folder, or a folder without pack.json', async (t) => {
  const dir = t.testdir({ empty: {} });
  await t.rejects(loadPack(join(dir, 'nope')), {
    code: 'PACK_NOT_FOUND',
    message: /no model pack at .*nope/,
  });
  await t.rejects(loadPack(join(dir, 'empty')), { code: 'PACK_NOT_FOUND', message: /empty\/pack\.json/ });
});

t.test('PACK_INVALID: bad JSON, or a schema violation listing every issue as path: message', async (t) => {
  const dir = await freshPack(t);
  await writeFile(join(dir, 'pack.json'), '{ "format": 1,');
  await t.rejects(loadPack(dir), { code: 'PACK_INVALID', message: /pack\.json is not valid JSON/ });

  const dir2 = await freshPack(t);
  await editManifest(dir2, (m) => {
    m.logitScale = -1;
    delete m.family;
    m.modalities.vision.sha256 = 'abc';
  });
  const err = await loadPack(dir2).then(
    () => null,
    (e: unknown) => e,
  );
  t.match(err, { code: 'PACK_INVALID' });
  const message = err instanceof Error ? err.message : '';
  t.match(message, /logitScale: /);
  t.match(message, /family: /);
  t.match(message, /modalities\.vision\.sha256: /);
});

t.test('PACK_FILE_MISSING: a model file or the vocabulary is gone', async (t) => {
  const dir = await freshPack(t);
  await rm(join(dir, 'imu.onnx'));
  await t.rejects(loadPack(dir), {
    code: 'PACK_FILE_MISSING',
    message: /imu model imu\.onnx \(imu\.file\), but .*imu\.onnx does not exist/,
  });
  const dir2 = await freshPack(t);
  await rm(join(dir2, 'vocab.json'));
  await t.rejects(loadPack(dir2), {
    code: 'PACK_FILE_MISSING',
    message:
      /text tokenizer vocabulary vocab\.json \(text\.preprocess\.vocab\), but .*vocab\.json does not exist/,
  });
});

t.test('PACK_HASH_MISMATCH: one changed byte; verifyHashes: false skips the check', async (t) => {
  const dir = await freshPack(t);
  const file = join(dir, 'depth.onnx');
  const bytes = await readFile(file);
  bytes[bytes.length - 40] ^= 0x01;
  await writeFile(file, bytes);
  await t.rejects(loadPack(dir), {
    code: 'PACK_HASH_MISMATCH',
    message: /depth\.onnx: sha256 is [0-9a-f]{64} but pack\.json says [0-9a-f]{64}/,
  });
});

t.test('PACK_INVALID: a truncated model (its hash updated, or hashes not checked)', async (t) => {
  const dir = await freshPack(t);
  const file = join(dir, 'thermal.onnx');
  const cut = (await readFile(file)).subarray(0, 1000);
  await writeFile(file, cut);
  await t.rejects(loadPack(dir, { verifyHashes: false }), {
    code: 'PACK_INVALID',
    message: /cannot load .*thermal\.onnx/,
  });
  await editManifest(dir, (m) => {
    m.modalities.thermal.sha256 = createHash('sha256').update(cut).digest('hex');
  });
  await t.rejects(loadPack(dir), { code: 'PACK_INVALID', message: /thermal\.onnx/ });
});

t.test('PACK_IO_MISMATCH: pack.json input shape, input name or output name edited', async (t) => {
  const dir = await freshPack(t);
  await editManifest(dir, (m) => {
    m.modalities.vision.input = { name: 'input', shape: ['batch', 3, 256, 256], dtype: 'float32' };
  });
  await t.rejects(loadPack(dir), {
    code: 'PACK_IO_MISMATCH',
    message:
      "pack.json says vision input 'input' is float32 [batch,3,256,256] but vision.onnx has 'input' float32 [batch,3,224,224] (dim 2 differs)",
  });
  const dir2 = await freshPack(t);
  await editManifest(dir2, (m) => {
    m.modalities.audio.input = { name: 'pixel_values', shape: ['batch', 3, 1, 128, 204], dtype: 'float32' };
  });
  await t.rejects(loadPack(dir2), {
    code: 'PACK_IO_MISMATCH',
    message:
      /audio input 'pixel_values' .* but audio\.onnx has 'input' float32 \[batch,3,1,128,204\] \(name differs\)/,
  });
  const dir3 = await freshPack(t);
  await editManifest(dir3, (m) => {
    m.modalities.text.input = { name: 'input', shape: ['batch', 77], dtype: 'int32' };
  });
  await t.rejects(loadPack(dir3), {
    code: 'PACK_IO_MISMATCH',
    message: /text input 'input' is int32 .* has 'input' int64 .*dtype differs/,
  });
  const dir4 = await freshPack(t);
  await editManifest(dir4, (m) => {
    m.modalities.imu.output = { name: 'features', shape: ['batch', 1024], dtype: 'float32' };
  });
  await t.rejects(loadPack(dir4), { code: 'PACK_IO_MISMATCH', message: /no output is named 'features'/ });
});

t.test('PACK_INVALID: a file path that leaves the pack folder', async (t) => {
  const dir = await freshPack(t);
  await editManifest(dir, (m) => {
    m.modalities.imu.file = '../imu.onnx';
  });
  await t.rejects(loadPack(dir), {
    code: 'PACK_INVALID',
    message: /imu\.file '\.\.\/imu\.onnx' is outside the pack folder/,
  });
});

t.test('a pack without text cannot embed prompts', async (t) => {
  const dir = await freshPack(t);
  await editManifest(dir, (m) => {
    delete m.modalities.text;
  });
  const pack = await loadPack(dir);
  t.teardown(() => pack.close());
  t.equal(pack.tokenizer, null);
  await t.rejects(pack.embedTexts(['a person']), {
    code: 'PACK_INVALID',
    message: /has no text encoder \(it has vision, audio, depth, thermal, imu\)/,
  });
});
