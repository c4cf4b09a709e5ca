import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import t from 'tap';
import { checkConfigCommand, maskUrl } from '../../src/commands/check-config.js';
import { DRIVER_LIST } from '../helpers/drivers.js';

const VALID = `node: kitchen
models:
  pack: packs/demo
sensors:
  - id: thermal0
    driver: replay
    modality: thermal
    files: [rec/a.csv]
  - id: mic0
    driver: replay
    modality: audio
    files: [rec/b.wav]
rules:
  - {id: person, sensors: [thermal0], prompts: [a person]}
mqtt:
  url: mqtts://bob:\${BROKER_PW}@broker.lan:8883
  username: bob
  password: \${BROKER_PW}
`;

/** Runs `check-config <file>` in-process; returns what it wrote and the exit code it set. */
async function run(file: string): Promise<{ out: string; err: string; code: number | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('bindsight')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  checkConfigCommand(program);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['check-config', file], { from: 'user' });
    const code = process.exitCode === undefined ? undefined : Number(process.exitCode);
    return { out: out.join(''), err: err.join(''), code };
  } finally {
    process.exitCode = before;
  }
}

t.test('a valid config: a summary, secrets masked, exit 0', async (t) => {
  const dir = t.testdir({ 'c.yaml': VALID });
  process.env.BROKER_PW = 'sup3r:secret';
  t.teardown(() => {
    delete process.env.BROKER_PW;
  });
  const { out, err, code } = await run(join(dir, 'c.yaml'));
  t.equal(code, undefined, 'no exit code set');
  t.equal(err, '');
  t.equal(
    out,
    [
      `${join(dir, 'c.yaml')}: OK`,
      '  node     kitchen',
      '  sensors  2: thermal0 (replay, thermal), mic0 (replay, audio)',
      '  rules    1: person',
      '  mqtt     mqtts://bob:***@broker.lan:8883, prefix bindsight (user "bob", password ***)',
      `  pack     packs/demo → ${join(dir, 'packs/demo')} (providers: cpu)`,
      '',
    ].join('\n'),
  );
  t.notMatch(out, 'sup3r');
});

t.test('an invalid config: the problems on stderr, exit 78', async (t) => {
  const dir = t.testdir({ 'c.yaml': 'sensors:\n  - id: a\n    driver: usb\n' });
  const { out, err, code } = await run(join(dir, 'c.yaml'));
  t.equal(code, 78);
  t.equal(out, '');
  t.equal(
    err,
    `${join(dir, 'c.yaml')}: invalid config (1 problem)\n  ${join(dir, 'c.yaml')}:3:13: sensors[0].driver: unknown driver "usb"; expected one of: ${DRIVER_LIST}\n`,
  );
});

t.test('a missing file: exit 78', async (t) => {
  const dir = t.testdir({});
  const { err, code } = await run(join(dir, 'nope.yaml'));
  t.equal(code, 78);
  t.equal(err, `config file not found: ${join(dir, 'nope.yaml')}\n`);
});

t.test('--help describes the command', async (t) => {
  const out: string[] = [];
  const program = new Command('bindsight').exitOverride().configureOutput({ writeOut: (s) => out.push(s) });
  checkConfigCommand(program);
  await t.rejects(program.parseAsync(['check-config', '--help'], { from: 'user' }), {
    code: 'commander.helpDisplayed',
  });
  t.match(out.join(''), /Usage: bindsight check-config \[options\] <file>[\s\S]*\$\{VAR:-default\}/);
});

t.test('maskUrl', async (t) => {
  t.equal(maskUrl('mqtt://u:p@h:1883'), 'mqtt://u:***@h:1883');
  t.equal(maskUrl('mqtt://h:1883'), 'mqtt://h:1883');
  t.equal(maskUrl('mqtt://u@h'), 'mqtt://u@h');
  t.equal(maskUrl('embedded'), 'embedded');
  t.equal(maskUrl('mqtt://u:p@h:99999'), 'mqtt://u:***@h:99999', 'masked even when the URL does not parse');
});

t.test('as a process: stderr without a stack trace, exit status 78', async (t) => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const command = new URL('../../src/commands/check-config.ts', import.meta.url).href;
  const dir = t.testdir({
    'c.yaml': 'node: kitchen\n',
    'entry.ts': `import { Command } from 'commander';\nimport { checkConfigCommand } from '${command}';\nconst p = new Command('bindsight');\ncheckConfigCommand(p);\nawait p.parseAsync(process.argv);\n`,
  });
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(dir, 'entry.ts'), 'check-config', join(dir, 'c.yaml')],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  t.equal(r.status, 78, r.stderr);
  t.equal(r.stdout, '');
  t.equal(
    r.stderr,
    `${join(dir, 'c.yaml')}: invalid config (1 problem)\n  ${join(dir, 'c.yaml')}:1:1: missing required key "sensors" (a list)\n`,
  );
});
