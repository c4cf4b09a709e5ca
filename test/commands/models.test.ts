import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack, DEMO_PACK_VERSION } from '../../models/demo/build.js';
import { ensureDemoPack } from '../../src/commands/models.js';
import { runCli } from '../helpers/cli.js';

t.test('ensureDemoPack builds a missing pack, keeps a current one, rebuilds a stale demo pack', async (t) => {
  const dir = join(t.testdir({}), 'demo');
  const logs: string[] = [];
  t.equal(await ensureDemoPack(dir, (m) => logs.push(m)), true);
  const manifestFile = join(dir, 'pack.json');
  t.equal(JSON.parse(readFileSync(manifestFile, 'utf8')).version, DEMO_PACK_VERSION);
  t.equal(await ensureDemoPack(dir, (m) => logs.push(m)), false, 'a current pack is kept');

  const stale = JSON.parse(readFileSync(manifestFile, 'utf8'));
  stale.version = '0.0.1';
  writeFileSync(manifestFile, JSON.stringify(stale));
  t.equal(await ensureDemoPack(dir, (m) => logs.push(m)), true, 'a stale demo pack is rebuilt');
  t.equal(JSON.parse(readFileSync(manifestFile, 'utf8')).version, DEMO_PACK_VERSION);
  t.match(logs.join('\n'), /version 0\.0\.1/);

  const other = JSON.parse(readFileSync(manifestFile, 'utf8'));
  other.family = 'imagebind';
  other.version = '9';
  writeFileSync(manifestFile, JSON.stringify(other));
  t.equal(await ensureDemoPack(dir, () => {}), false, 'a user pack is never overwritten');
});

t.test('`models demo --out DIR` builds the same bytes as the builder', async (t) => {
  const root = t.testdir({});
  const res = await runCli(['models', 'demo', '--out', join(root, 'cli')]);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /built model pack "demo@/);
  await buildDemoPack(join(root, 'lib'));
  for (const f of ['pack.json', 'thermal.onnx', 'text.onnx', 'vocab.json']) {
    t.same(readFileSync(join(root, 'cli', f)), readFileSync(join(root, 'lib', f)), f);
  }
});
