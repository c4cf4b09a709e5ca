/** `bindsight import` as a user runs it: files into one MCAP with the given ids; bad specs are one usage line. */
import { join } from 'node:path';
import t from 'tap';
import { inspectMcap } from '../../src/record/inspect.js';
import { REPO, runCli } from '../helpers/cli.js';

const DEMO = join(REPO, 'config', 'demo');

t.test('import writes one session with the given sensor ids, from --start', async (t) => {
  const out = join(t.testdir({}), 'demo.mcap');
  const res = await runCli([
    'import',
    '--out',
    out,
    '--start',
    '2024-05-01T12:00:00Z',
    '--window',
    '2',
    '--sensor',
    `thermal0=thermal:${join(DEMO, 'thermal_empty.csv')}`,
    '--sensor',
    `mic0=audio:${join(DEMO, 'audio_siren.wav')}`,
    '--sensor',
    `cam0=vision:${join(DEMO, 'vision_dark.png')}`,
  ]);
  t.equal(res.code, 0, res.stderr);
  t.match(
    res.stdout,
    /demo\.mcap: \d+ samples \(thermal0 20, mic0 \d+, cam0 1\), .*; 3 files imported, 0 skipped, 0 corrupt rows dropped\n$/,
  );
  const report = await inspectMcap(out);
  t.same(
    report.channels.map((c) => [c.topic, c.schema, c.modality]),
    [
      ['cam0', 'foxglove.CompressedImage', 'vision'],
      ['mic0', 'bindsight.Window', 'audio'],
      ['thermal0', 'foxglove.RawImage', 'thermal'],
    ],
  );
  t.equal(report.start, 1_714_564_800_000_000_000n);
});

t.test('bad specs and options exit 64 with one line', async (t) => {
  const out = join(t.testdir({}), 'x.mcap');
  const spec = await runCli(['import', '--out', out, '--sensor', 'thermal0:thermal=x.csv']);
  t.equal(spec.code, 64);
  t.match(spec.stderr, /^bindsight: --sensor "thermal0:thermal=x.csv" is not ID=MODALITY:PATH .*\n$/);
  const rate = await runCli([
    'import',
    '--out',
    out,
    '--rate',
    '-1',
    '--sensor',
    `cam0=vision:${join(DEMO, 'vision_dark.png')}`,
  ]);
  t.equal(rate.code, 64);
  t.equal(rate.stderr, 'bindsight: --rate must be a positive number; got "-1"\n');
});
