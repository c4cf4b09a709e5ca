/**
 * `bindsight record` as a user runs it: progress on stderr while it records, Ctrl-C (SIGINT) stops
 * it with the index written and the summary on stdout; --duration stops it; bad input is one
 * `bindsight:` line and the usage/config exit code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { inspectMcap } from '../../src/record/inspect.js';
import { REPO, runCli, startCli } from '../helpers/cli.js';

const DEMO = join(REPO, 'config', 'demo');

function writeConfig(dir: string): string {
  const file = join(dir, 'c.yaml');
  writeFileSync(
    file,
    `sensors:
  - { id: thermal0, driver: replay, modality: thermal, files: [${join(DEMO, 'thermal_person.csv')}], speed: 10, loop: true }
  - { id: imu0, driver: replay, modality: imu, files: [${join(DEMO, 'imu_walk.csv')}], speed: 10, loop: true, window: 2, hop: 1 }
`,
  );
  return file;
}

t.test('SIGINT stops a recording cleanly: indexed file, summary on stdout, progress on stderr', async (t) => {
  const dir = t.testdir({});
  const out = join(dir, 'session.mcap');
  const cli = startCli(['record', '--config', writeConfig(dir), '--out', out]);
  t.teardown(() => {
    cli.child.kill('SIGKILL');
  });
  while (!/recording .*imu0 \d+/.test(cli.stderr()) && cli.child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  cli.child.kill('SIGINT');
  const res = await cli.done;
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /session\.mcap: \d+ samples \(thermal0 \d+, imu0 \d+\), .* chunks zstd, 0 dropped\n$/);
  t.match(res.stderr, /recording \d+\.\d s: \d+ samples/);
  const report = await inspectMcap(out);
  t.equal(report.indexed, true, 'the index was written');
  t.same(report.problems, []);
  t.same(
    report.channels.map((c) => c.topic),
    ['imu0', 'thermal0'],
  );
});

t.test('--duration and --sensors; bad input exits with one line', async (t) => {
  const dir = t.testdir({});
  const config = writeConfig(dir);
  const timed = await runCli([
    'record',
    '--config',
    config,
    '--out',
    join(dir, 'a.mcap'),
    '--duration',
    '0.5',
    '--sensors',
    'thermal0',
  ]);
  t.equal(timed.code, 0, timed.stderr);
  t.match(timed.stdout, /a\.mcap: \d+ samples \(thermal0 \d+\)/);
  const bad = await runCli([
    'record',
    '--config',
    config,
    '--out',
    join(dir, 'b.mcap'),
    '--duration',
    'soon',
  ]);
  t.equal(bad.code, 64);
  t.equal(bad.stderr, 'bindsight: --duration must be a positive number of seconds; got "soon"\n');
  const unknown = await runCli([
    'record',
    '--config',
    config,
    '--out',
    join(dir, 'b.mcap'),
    '--sensors',
    'cam9',
  ]);
  t.equal(unknown.code, 78);
  t.match(
    unknown.stderr,
    /^bindsight: unknown sensor "cam9" to record; configured sensors: thermal0, imu0\n$/,
  );
});
