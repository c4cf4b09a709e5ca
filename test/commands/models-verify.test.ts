/** `bindsight models verify PACK`: the table on a good pack, exit 0; a broken pack exits non-zero in one line. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { runCli } from '../helpers/cli.js';

t.test('a good pack prints the table and exits 0; --json gives the rows', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  const res = await runCli(['models', 'verify', dir, '--providers', 'cuda,cpu', '--threads', '1']);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /^pack demo@\d+\.\d+\.\d+ \(demo\) at /);
  t.match(res.stdout, /licence: Apache-2\.0/);
  t.match(res.stdout, /modality +file +size +precision +input +load +batch +provider +health/);
  for (const m of ['vision', 'text', 'audio', 'depth', 'thermal', 'imu']) {
    t.match(
      res.stdout,
      new RegExp(
        `\\n${m} +${m}\\.onnx +[\\d.]+ kB +fp32 +\\w+ \\[batch,[\\d,]+\\] +\\d+ ms +[\\d.]+ ms ×2 +cpu +ok`,
      ),
    );
  }
  const json = await runCli(['models', 'verify', dir, '--json', '--batch', '3']);
  const r = JSON.parse(json.stdout);
  t.equal(r.rows.length, 6);
  t.ok(r.rows.every((row: { batch: number }) => row.batch === 3));
});

t.test('a corrupt pack and bad options exit non-zero with one line', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  const file = join(dir, 'imu.onnx');
  const bytes = await readFile(file);
  bytes[bytes.length - 10] ^= 1;
  await writeFile(file, bytes);
  const res = await runCli(['models', 'verify', dir]);
  t.equal(res.code, 65);
  t.match(res.stderr, /^bindsight: .*imu\.onnx: sha256 is [0-9a-f]+ but pack\.json says [0-9a-f]+/);
  t.equal(res.stderr.trim().split('\n').length, 1);
  const bad = await runCli(['models', 'verify', dir, '--providers', 'gpu']);
  t.equal(bad.code, 64);
  t.match(bad.stderr, /unknown execution provider "gpu"; use some of tensorrt, cuda, cpu/);
});
