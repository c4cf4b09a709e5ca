/**
 * `models verify` as a function: one row per modality with size, precision, input, timings,
 * provider and health; a collapsed (constant-output) or NaN-producing encoder is a problem.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { buildRandomPack } from '../../models/bench/pack.js';
import { buildDemoPack } from '../../models/demo/build.js';
import { GraphBuilder } from '../../models/onnx/graph.js';
import { Ops } from '../../models/onnx/ops.js';
import { formatVerify, verifyPack } from '../../src/encoders/verify.js';

const SIZE = { width: 32, depth: 1, heads: 2 };

/** Replaces the pack's vision model by one whose output ignores the input (+ `poison` when given). */
async function replaceVision(dir: string, kind: 'constant' | 'nan'): Promise<void> {
  const g = new GraphBuilder({ name: kind });
  const op = new Ops(g);
  const x = g.input('input', 'float32', ['batch', 3, 224, 224]);
  const first = op.slice(op.flatten(x, 1), [0], [1], [1]); // [B,1]
  const row = new Float32Array(1024).fill(1 / 32);
  const base = kind === 'constant' ? op.mul(first, 0) : op.div(op.mul(first, 0), 0); // 0, or NaN
  g.output(op.add(base, op.f32(row, [1, 1024])), 'embedding', 'float32', ['batch', 1024]);
  const bytes = g.toBytes();
  await writeFile(join(dir, 'vision.onnx'), bytes);
  const manifest = JSON.parse(await readFile(join(dir, 'pack.json'), 'utf8'));
  manifest.modalities.vision.sha256 = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(dir, 'pack.json'), JSON.stringify(manifest));
}

t.test('a healthy pack: a row per modality, nothing wrong', async (t) => {
  const dir = t.testdir();
  await buildRandomPack(dir, { modalities: ['vision', 'imu'], size: SIZE });
  const r = await verifyPack(dir, { batch: 3 });
  t.same(r.problems, []);
  t.same(
    r.rows.map((row) => [
      row.modality,
      row.file,
      row.precision,
      row.input,
      row.batch,
      row.provider,
      row.health,
    ]),
    [
      ['vision', 'vision.onnx', 'fp32', 'float32 [batch,3,224,224]', 3, 'cpu', 'ok'],
      ['imu', 'imu.onnx', 'fp32', 'float32 [batch,6,2000]', 3, 'cpu', 'ok'],
    ],
  );
  t.ok(r.rows.every((row) => row.bytes > 100_000 && row.loadMs > 0 && row.batchMs > 0));
  t.match(r.hash, /^[0-9a-f]{64}$/);
  const text = formatVerify(r, dir);
  t.match(text, /pack random@1\.0\.0 \(synthetic\)/);
  t.match(text, /modality +file +size +precision +input +load +batch +provider +health/);
  t.match(text, /imu +imu\.onnx +\d+\.\d kB +fp32 +float32 \[batch,6,2000\] +\d+ ms +[\d.]+ ms ×3 +cpu +ok/);
  t.notMatch(text, /non-commercial/);
});

t.test('the demo pack verifies (its concepts may coincide: it turns the collapse watch off)', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  const r = await verifyPack(dir);
  t.same(r.problems, []);
  t.equal(r.rows.length, 6);
});

t.test('a constant-output encoder is reported as collapsed; NaN as NaN; licences are shown', async (t) => {
  const dir = t.testdir();
  await buildRandomPack(dir, { modalities: ['vision', 'imu'], size: SIZE });
  await replaceVision(dir, 'constant');
  const r = await verifyPack(dir);
  t.equal(r.problems.length, 1);
  t.match(
    r.problems[0],
    /^vision: probes 1 and 2 differ but their embeddings have cosine 1\.000000: the encoder looks collapsed/,
  );
  t.match(
    formatVerify({ ...r, manifest: { ...r.manifest, nonCommercial: true } }, dir),
    /WARNING: non-commercial licence/,
  );
  t.match(formatVerify(r, dir), /vision .* DEGRADED\n/);

  await replaceVision(dir, 'nan');
  const n = await verifyPack(dir);
  t.match(n.problems[0], /^vision: vision\.onnx returned NaN or Inf in 2 of 2 vision embeddings/);
});
