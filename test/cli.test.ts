/**
 * The CLI as users meet it: --help everywhere, and bad input refused with a clear message
 * and a non-zero exit (no stack trace).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { buildDemoPack } from '../models/demo/build.js';
import { REPO, runCli } from './helpers/cli.js';

const DEMO = join(REPO, 'config', 'demo');

function config(pack: string, sensorFile = join(DEMO, 'thermal_empty.csv'), driver = 'replay'): string {
  return `node: bad
models: { pack: ${JSON.stringify(pack)} }
sensors:
  - { id: thermal0, driver: ${driver}, modality: thermal, files: [${JSON.stringify(sensorFile)}] }
rules:
  - { id: person, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"] }
http: { enabled: false }
mqtt: { url: embedded, embedded: { port: 0 } }
`;
}

function assertClearFailure(
  t: Test,
  res: { code: number | null; stderr: string },
  code: number,
  pattern: RegExp,
) {
  t.equal(res.code, code, `exit code ${code}`);
  t.match(res.stderr, pattern);
  t.notMatch(res.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
}

t.test('every command has --help', async (t) => {
  for (const args of [
    [],
    ['run'],
    ['check-config'],
    ['config-schema'],
    ['models'],
    ['models', 'demo'],
    ['preprocess'],
  ]) {
    const res = await runCli([...args, '--help']);
    t.equal(res.code, 0, `${args.join(' ') || 'bindsight'} --help exits 0`);
    t.match(res.stdout, /Usage: bindsight/);
  }
});

t.test('bad input: a clear message and a non-zero exit', async (t) => {
  const dir = t.testdir({});
  const pack = join(dir, 'pack');
  await buildDemoPack(pack);
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  await t.test('broken YAML', async (t) => {
    const f = write('broken.yaml', 'node: x\nsensors: [\n  - id: a\n');
    const res = await runCli(['run', f]);
    assertClearFailure(t, res, 78, /broken\.yaml:\d+:\d+/);
  });

  await t.test('an unknown driver', async (t) => {
    const res = await runCli(['run', write('driver.yaml', config(pack, undefined, 'teleporter'))]);
    assertClearFailure(t, res, 78, /unknown driver "teleporter"; expected one of: replay, /);
  });

  await t.test('a missing fixture', async (t) => {
    const res = await runCli(['run', write('fixture.yaml', config(pack, join(dir, 'nope.csv')))]);
    assertClearFailure(t, res, 66, /nope\.csv/);
    t.match(res.stderr, /thermal0/);
  });

  await t.test('a missing model file', async (t) => {
    const broken = join(dir, 'pack-missing');
    await buildDemoPack(broken);
    rmSync(join(broken, 'thermal.onnx'));
    const res = await runCli(['run', write('missing.yaml', config(broken))]);
    assertClearFailure(t, res, 66, /thermal\.onnx/);
  });

  await t.test('a pack whose ONNX inputs do not match pack.json', async (t) => {
    const broken = join(dir, 'pack-mismatch');
    await buildDemoPack(broken);
    const manifestFile = join(broken, 'pack.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.modalities.thermal.input.shape = ['batch', 1, 256, 256];
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    const res = await runCli(['run', write('mismatch.yaml', config(broken))]);
    assertClearFailure(t, res, 65, /thermal/);
    t.match(res.stderr, /256/);
  });

  await t.test('a missing config file', async (t) => {
    const res = await runCli(['run', join(dir, 'absent.yaml')]);
    assertClearFailure(t, res, 78, /config file not found/);
  });
});
