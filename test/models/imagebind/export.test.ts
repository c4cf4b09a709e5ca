/**
 * The parts of the ImageBind export recipe that run without torch: its contract tables agree
 * with models/manifest.ts, the pack.json it writes loads in bindsight, and the plan (--dry-run)
 * prints without importing torch. Needs python3 (skipped, saying so, without it).
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { buildRandomPack } from '../../../models/bench/pack.js';
import { IMAGEBIND_IO, IMAGEBIND_PREPROCESS, IMAGEBIND_TEXT } from '../../../models/manifest.js';
import { loadPack } from '../../../src/encoders/pack.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RECIPE = join(REPO, 'models', 'imagebind');
const BPE = join(REPO, '..', 'shared', 'vendor-data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

function python(script: string, args: string[]) {
  // -B and PYTHONDONTWRITEBYTECODE: no __pycache__ in the checkout.
  const r = spawnSync('python3', ['-B', join(RECIPE, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hasPython = spawnSync('python3', ['--version']).status === 0;
const opts = hasPython ? {} : { skip: 'python3 is not installed' };

t.test('the recipe contract equals models/manifest.ts', opts, async (t) => {
  const r = python('packjson.py', ['--dump-contract']);
  t.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  t.equal(c.embeddingDim, 1024);
  t.same(c.io, IMAGEBIND_IO);
  t.same(c.preprocess, IMAGEBIND_PREPROCESS);
  t.same(c.text, IMAGEBIND_TEXT);
});

t.test('pack.json written by the recipe for exported files loads in bindsight', opts, async (t) => {
  const dir = t.testdir();
  await buildRandomPack(dir, {
    modalities: ['vision', 'text', 'imu'],
    size: { width: 32, depth: 1, heads: 2 },
    vocabFile: BPE,
    writeManifest: false,
  });
  const r = python('packjson.py', ['--out', dir, '--precision', 'int8', '--logit-scale', '57.5']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /pack\.json/);
  const pack = await loadPack(dir);
  t.teardown(() => pack.close());
  const m = pack.manifest;
  t.match(m, {
    name: 'imagebind-huge',
    version: '1.0.0+int8',
    family: 'imagebind',
    nonCommercial: true,
    logitScale: 57.5,
  });
  t.match(m.license, /CC-BY-NC-SA-4\.0/);
  t.same(Object.keys(m.modalities), ['vision', 'text', 'imu']);
  t.equal(m.modalities.text?.outputScale, 57.5);
  t.equal(m.modalities.imu?.precision, 'int8');
  t.match(m.modalities.text?.preprocess, { tokenizer: 'clip-bpe', vocabSha256: /^924691ac/ });
  t.equal(pack.tokenizer?.kind, 'clip-bpe');
  const raw = JSON.parse(await readFile(join(dir, 'pack.json'), 'utf8'));
  t.same(raw.modalities.vision.externalData, []);
});

t.test('the recipe refuses a text model without its vocabulary, naming the file', opts, async (t) => {
  const dir = t.testdir();
  await buildRandomPack(dir, {
    modalities: ['imu'],
    size: { width: 32, depth: 1, heads: 2 },
    writeManifest: false,
  });
  const r = python('packjson.py', ['--out', dir, '--modalities', 'imu,text']);
  t.equal(r.code, 66);
  t.match(r.stderr, /text\.onnx does not exist: export text first/);
});

t.test('--dry-run prints the plan and sizes without torch; bad modalities are refused', opts, async (t) => {
  const r = python('export_imagebind.py', ['--out', join(t.testdir(), 'p'), '--int8', '--dry-run']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /precision: int8/);
  t.match(r.stdout, /vision +fp32 ~2\.53 GB -> vision\.onnx ~0\.6\d GB/);
  t.match(r.stdout, /RAM: .*16 GB recommended/);
  const fp32 = python('export_imagebind.py', [
    '--out',
    join(t.testdir(), 'p'),
    '--dry-run',
    '--modalities',
    'vision',
  ]);
  t.match(fp32.stdout, /external data: over protobuf's 2 GiB/);
  const bad = python('export_imagebind.py', ['--out', 'x', '--modalities', 'smell', '--dry-run']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /unknown modality \['smell'\]/);
});
