// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are what this file tests
import { join } from 'node:path';
import t from 'tap';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { BindsightError } from '../../src/errors.js';
import { DRIVER_LIST } from '../helpers/drivers.js';

/** The files of a replay sensor (the sensor union has other drivers too). */
function replayFiles(s: { driver: string } & Partial<{ files: string[] }>): string[] | undefined {
  return s.driver === 'replay' ? s.files : undefined;
}

const SENSOR = `sensors:
  - id: imu0
    driver: replay
    modality: imu
    files: [walk.csv]
`;

/** The CONFIG_INVALID message lines parseConfig throws for `yaml` (named c.yaml). */
function problems(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(yaml, 'c.yaml', env);
  } catch (err) {
    if (err instanceof BindsightError && err.code === 'CONFIG_INVALID') return err.message.split('\n');
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

t.test('a minimal config gets every default', async (t) => {
  const config = parseConfig(SENSOR, 'c.yaml', {});
  t.equal(config.version, 1);
  t.equal(config.node, 'bindsight');
  t.match(config.models, { pack: 'models/packs/demo', providers: ['cpu'] });
  t.same(config.rules, []);
  t.equal(config.mqtt.url, 'embedded');
  t.match(config.sensors[0], { id: 'imu0', driver: 'replay', speed: 1, loop: false, window: 5 });
});

t.test('env substitution', async (t) => {
  const cfg = (mqtt: string, env: Record<string, string>) =>
    parseConfig(`${SENSOR}mqtt:\n${mqtt}`, 'c.yaml', env).mqtt;

  t.equal(cfg('  password: ${PW}\n', { PW: 'hunter2' }).password, 'hunter2', 'set variable');
  t.equal(
    cfg('  url: mqtt://${HOST}:1883\n', { HOST: 'ha.local' }).url,
    'mqtt://ha.local:1883',
    'inside a string',
  );
  t.equal(cfg('  prefix: ${P:-bs}\n', {}).prefix, 'bs', 'default when unset');
  t.equal(cfg('  prefix: ${P:-bs}\n', { P: 'x' }).prefix, 'x', 'default not used when set');
  t.equal(cfg('  password: "$${PW}"\n', { PW: 'no' }).password, '${PW}', '$${ is a literal ${');
  t.equal(cfg('  clientId: "${A}-${B:-b}"\n', { A: 'a' }).clientId, 'a-b', 'several references');

  const secret = 'p: #x\n- [y]\n"\'{z} &a *a ${NOT}';
  t.equal(cfg('  password: ${PW}\n', { PW: secret }).password, secret, 'YAML syntax in a secret stays data');
  t.equal(cfg('  username: ${U}\n', { U: '1883' }).username, '1883', 'numeric-looking values stay strings');

  const lines = problems(`${SENSOR}mqtt:\n  username: \${MQTT_USER}\n  password: \${MQTT_PASSWORD}\n`);
  t.equal(lines[0], 'c.yaml: cannot substitute environment variables (2 problems)');
  t.match(lines[1], /^ {2}c\.yaml:7:13: mqtt\.username: environment variable MQTT_USER is not set/);
  t.match(lines[2], /^ {2}c\.yaml:8:13: mqtt\.password: environment variable MQTT_PASSWORD is not set/);

  const malformed = problems(`${SENSOR}mqtt:\n  password: "\${bad name}"\n`);
  t.match(malformed[1], 'c.yaml:7:13: mqtt.password: malformed variable reference "${bad name}"');

  t.match(
    problems(`${SENSOR}\${K}: 1\n`, { K: 'node' })[1],
    'unknown key "${K}"',
    'keys are not substituted',
  );
  t.equal(
    parseConfig(`${SENSOR}# \${IN_A_COMMENT}\n`, 'c.yaml', {}).node,
    'bindsight',
    'comments are left alone',
  );
});

t.test('a substituted value is never printed in a schema error', async (t) => {
  const lines = problems(`${SENSOR}mqtt:\n  scoreIntervalMs: \${SECRET_MS}\n`, { SECRET_MS: 'topsecret' });
  t.equal(
    lines[1],
    '  c.yaml:7:20: mqtt.scoreIntervalMs: expected number, got string from "${SECRET_MS}" (values from environment variables are always strings)',
  );
  t.notMatch(lines.join('\n'), 'topsecret');
});

t.test('YAML syntax errors give file:line:col', async (t) => {
  const lines = problems('node: a\nsensors:\n - id: a\n   modality: imu\n  driver: x\n');
  t.equal(lines[0], 'c.yaml: invalid YAML (1 error)');
  t.equal(lines[1], '  c.yaml:5:1: Sequence item without - indicator');
  t.equal(lines[2].trim(), 'driver: x', 'shows the offending line');

  const dup = problems('node: a\nnode: b\n');
  t.match(dup[1], /^ {2}c\.yaml:2:1: Map keys must be unique/);
});

t.test('schema problems are human and located', async (t) => {
  t.same(
    problems('sensors:\n  - id: cam0\n    driver: usbcam\n'),
    [
      'c.yaml: invalid config (1 problem)',
      `  c.yaml:3:13: sensors[0].driver: unknown driver "usbcam"; expected one of: ${DRIVER_LIST}`,
    ],
    'unknown driver lists the drivers the schema has',
  );
  t.equal(
    problems('sensors:\n  - id: cam0\n    modality: imu\n')[1],
    `  c.yaml:2:5: sensors[0]: missing required key "driver"; expected one of: ${DRIVER_LIST}`,
    'missing driver points at the sensor',
  );
  t.equal(
    problems(`${SENSOR}    lopp: true\n`)[1],
    '  c.yaml:6:5: sensors[0]: unknown key "lopp"; did you mean "loop"?',
    'unknown key with a likely typo',
  );
  t.match(
    problems(`${SENSOR}colour: red\n`)[1],
    /^ {2}c\.yaml:6:1: unknown key "colour"; expected one of: version, node, models, sensors, rules/,
    'unknown key lists the valid ones',
  );
  t.equal(
    problems(`${SENSOR}    speed: abc\n`)[1],
    '  c.yaml:6:12: sensors[0].speed: expected number, got string "abc"',
    'wrong type',
  );
  t.equal(
    problems(`${SENSOR}models:\n  providers: [gpu]\n`)[1],
    '  c.yaml:7:15: models.providers[0]: expected one of: tensorrt, cuda, cpu; got string "gpu"',
    'enum lists its options',
  );
  t.equal(
    problems('node: kitchen\n')[1],
    '  c.yaml:1:1: missing required key "sensors" (a list)',
    'missing sensors points at the nearest parent',
  );
  t.equal(problems('')[1], '  c.yaml:1:1: the file is empty; it needs at least a "sensors:" list');
  t.match(problems(`node: Kitchen\n${SENSOR}`)[1], 'c.yaml:1:7: node: an id of lower-case letters');
  t.match(problems(`node: Kitchen\n${SENSOR}`)[1], /; got "Kitchen"$/, 'the bad id is shown');
});

t.test('cross-field rules', async (t) => {
  const rule = (body: string) => `${SENSOR}rules:\n  - id: r\n    prompts: [a person]\n${body}`;
  t.equal(
    problems(rule('    sensors: [imu0, cam9]\n'))[1],
    '  c.yaml:9:21: rules[0].sensors[1]: unknown sensor "cam9"; configured sensors: imu0',
  );
  t.equal(
    problems(rule('    sensors: [imu0]\n    enter: 0.3\n    exit: 0.5\n'))[1],
    '  c.yaml:11:11: rules[0].exit: exit must be <= enter (hysteresis)',
  );
  parseConfig(rule('    sensors: [imu0]\n    enter: 0.5\n    exit: 0.5\n'), 'c.yaml', {});
  t.pass('exit == enter is allowed');

  const dup = problems(
    `${SENSOR}  - id: imu0\n    driver: replay\n    modality: audio\n    files: [a.wav]\n`,
  );
  t.same(dup, [
    'c.yaml: invalid config (1 problem)',
    '  c.yaml:6:9: sensors[1].id: duplicate sensor id "imu0"',
  ]);
  const dupRule = problems(
    `${SENSOR}rules:\n  - {id: r, sensors: [imu0], prompts: [x]}\n  - {id: r, sensors: [imu0], prompts: [y]}\n`,
  );
  t.equal(dupRule[1], '  c.yaml:8:10: rules[1].id: duplicate rule id "r"');
});

t.test('every problem is reported, in file order', async (t) => {
  const lines = problems(
    'version: 2\nsensors:\n  - id: a\n    driver: nope\n  - id: b\n    driver: replay\n    modality: x\n',
  );
  t.equal(lines[0], 'c.yaml: invalid config (4 problems)');
  t.same(
    lines.slice(1).map((l) => l.trim().split(':').slice(1, 3).join(':')),
    ['1:10', '4:13', '5:5', '7:15'],
  );
});

t.test('loadConfig reads the file and resolves paths against its folder', async (t) => {
  const dir = t.testdir({
    etc: {
      'c.yaml': `models:\n  pack: ../packs/demo\n${SENSOR}  - id: mic0\n    driver: replay\n    modality: audio\n    files: [/abs/a.wav, rec/b.wav]\n`,
    },
  });
  const loaded = await loadConfig(join(dir, 'etc/c.yaml'), {});
  t.equal(loaded.file, join(dir, 'etc/c.yaml'));
  t.equal(loaded.dir, join(dir, 'etc'));
  t.equal(loaded.config.models.pack, join(dir, 'packs/demo'));
  t.same(replayFiles(loaded.config.sensors[0]), [join(dir, 'etc/walk.csv')]);
  t.same(
    replayFiles(loaded.config.sensors[1]),
    ['/abs/a.wav', join(dir, 'etc/rec/b.wav')],
    'absolute paths are kept',
  );
  t.equal(loaded.raw.models.pack, '../packs/demo', 'raw keeps the paths as written');
  t.same(replayFiles(loaded.raw.sensors[0]), ['walk.csv']);
});

t.test('loadConfig: missing file and env', async (t) => {
  const dir = t.testdir({ 'c.yaml': `${SENSOR}mqtt:\n  password: \${PW}\n` });
  await t.rejects(loadConfig(join(dir, 'nope.yaml')), {
    code: 'CONFIG_NOT_FOUND',
    message: `config file not found: ${join(dir, 'nope.yaml')}`,
  });
  await t.rejects(loadConfig(dir), {
    code: 'CONFIG_NOT_FOUND',
    message: /^cannot read config file .*EISDIR/,
  });
  t.equal((await loadConfig(join(dir, 'c.yaml'), { PW: 's3cret' })).config.mqtt.password, 's3cret');
  await t.rejects(loadConfig(join(dir, 'c.yaml'), {}), {
    code: 'CONFIG_INVALID',
    message: /c\.yaml:7:13: mqtt\.password: .*PW/,
  });
});
