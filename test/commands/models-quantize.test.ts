/** `bindsight models quantize IN OUT`: a file and a pack folder; bad input exits non-zero in one line. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { buildRandomPack } from '../../models/bench/pack.js';
import { verifyPack } from '../../src/encoders/verify.js';
import { runCli } from '../helpers/cli.js';

t.test('a model file and a pack folder', async (t) => {
  const dir = t.testdir();
  await buildRandomPack(join(dir, 'fp32'), {
    modalities: ['imu', 'depth'],
    size: { width: 64, depth: 1, heads: 2 },
  });
  const one = await runCli([
    'models',
    'quantize',
    join(dir, 'fp32', 'imu.onnx'),
    join(dir, 'imu-int8.onnx'),
    '--per-channel',
  ]);
  t.equal(one.code, 0, one.stderr);
  t.match(
    one.stdout,
    /imu\.onnx → .*imu-int8\.onnx: 6 MatMul\/Gemm weights to int8 \(per-channel\), 2 left float; [\d.]+ MB → [\d.]+ MB \([\d.]+× smaller\)/,
  );
  t.ok((await readFile(join(dir, 'imu-int8.onnx'))).length > 0);
  const pack = await runCli(['models', 'quantize', join(dir, 'fp32'), join(dir, 'int8'), '--json']);
  t.equal(pack.code, 0, pack.stderr);
  t.equal(JSON.parse(pack.stdout.slice(0, pack.stdout.lastIndexOf(']') + 1)).length, 2);
  t.match(pack.stdout, /wrote int8 pack .*int8 \(run: bindsight models verify /);
  const verified = await verifyPack(join(dir, 'int8'));
  t.same(verified.problems, []);
  t.same(
    verified.rows.map((r) => r.precision),
    ['int8', 'int8'],
  );
});

t.test('not an ONNX file, or a missing one: one line, non-zero', async (t) => {
  const dir = t.testdir();
  await writeFile(join(dir, 'bad.onnx'), 'not a model');
  const bad = await runCli(['models', 'quantize', join(dir, 'bad.onnx'), join(dir, 'out.onnx')]);
  t.equal(bad.code, 65);
  t.match(bad.stderr, /^bindsight: .*bad\.onnx: not an ONNX model/);
  const missing = await runCli(['models', 'quantize', join(dir, 'none.onnx'), join(dir, 'out.onnx')]);
  t.equal(missing.code, 66);
  t.match(missing.stderr, /^bindsight: cannot read .*none\.onnx/);
});
