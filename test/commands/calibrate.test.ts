/**
 * `bindsight calibrate` end to end: the real CLI replays generated IMU recordings through the
 * demo pack, proposes thresholds for a false-alarm target, writes them into the config without
 * touching its comments, and a second background measured with those thresholds lands within 2x
 * of the target.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { buildProgram } from '../../src/cli.js';
import { runCli } from '../helpers/cli.js';

/** Seeded standard normal (mulberry32 + Box–Muller). */
function gaussian(seed: number): () => number {
  let a = seed;
  const uniform = () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (((x ^ (x >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * A body-worn IMU at 50 Hz, `seconds` long: |a| = g plus noise whose level changes every second
 * (log-normal around `sd` m/s²). The demo's walk feature follows the noise level smoothly, so the
 * score has a continuous distribution.
 */
function imuCsv(path: string, seed: number, seconds: number, sd: number): void {
  const g = gaussian(seed);
  const rows = ['t_ms,ax,ay,az,gx,gy,gz'];
  for (let s = 0; s < seconds; s++) {
    const level = sd * Math.exp(0.6 * g());
    for (let k = 0; k < 50; k++) {
      const i = s * 50 + k;
      rows.push(
        `${i * 20},${(0.05 * g()).toFixed(3)},${(0.05 * g()).toFixed(3)},${(9.81 + level * g()).toFixed(3)},0,0,0`,
      );
    }
  }
  writeFileSync(path, `${rows.join('\n')}\n`);
}

const dir = t.testdir({});
const pack = join(dir, 'pack');
await buildDemoPack(pack);
imuCsv(join(dir, 'bg1.csv'), 1, 600, 0.35);
imuCsv(join(dir, 'bg2.csv'), 2, 600, 0.35);
imuCsv(join(dir, 'walk.csv'), 3, 30, 4);

const CONFIG = `# my kitchen node
node: kitchen
models: { pack: ${JSON.stringify(pack)} }
sensors:
  - { id: imu0, driver: replay, modality: imu, files: [bg1.csv], window: 5, hop: 1 }
  - { id: thermal0, driver: replay, modality: thermal, files: [t.csv] }
rules:
  # someone moving about
  - id: walk
    sensors: [imu0]
    prompts: ["someone walking"]
    contrast: ["lying still"]   # the alternative
    enter: 0.6    # tuned by hand
    exit: 0.4
  - { id: person, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"] }
`;
const TARGET = 5000; // false alarms per day: about 35 in 600 s, enough to measure

t.test(
  'proposes thresholds, writes them back with comments kept, and they hold on a second recording',
  async (t) => {
    const file = join(dir, 'kitchen.yaml');
    writeFileSync(file, CONFIG);
    const args = ['calibrate', '--config', file, '--rule', 'walk', '--false-alarms-per-day', String(TARGET)];
    const res = await runCli([
      ...args,
      '--background',
      join(dir, 'bg1.csv'),
      '--positives',
      join(dir, 'walk.csv'),
      '--write',
    ]);
    t.equal(res.code, 0, `exit 0 (stderr: ${res.stderr.slice(-1500)})`);
    const [header, row] = res.stdout.split('\n');
    t.match(header, /^rule\s+score\s+enter\s+exit\s+false alarms\/day\s+recall$/);
    const cells = row.split(/\s{2,}/);
    t.equal(cells[0], 'walk');
    t.equal(cells[1], 'softmax');
    const enter = Number(cells[2]);
    const exit = Number(cells[3]);
    t.ok(enter > 0 && enter < 0.6 && exit <= enter, `enter ${enter}, exit ${exit}`);
    t.ok(Number(cells[4]) <= TARGET, `${cells[4]} false alarms/day on the background`);
    t.match(cells[5], /^1\/1 \(\d+% of samples\)$/, 'the walking recording is detected');
    t.match(res.stdout, /wrote the thresholds of 1 rule\(s\) to /);

    const written = readFileSync(file, 'utf8');
    t.equal(
      written,
      CONFIG.replace('enter: 0.6    #', `enter: ${enter}    #`).replace('exit: 0.4\n', `exit: ${exit}\n`),
      'only the two values changed: comments, alignment and the other rule are as they were',
    );

    const measured = await runCli([...args, '--background', join(dir, 'bg2.csv'), '--measure', '--json']);
    t.equal(measured.code, 0, measured.stderr.slice(-1500));
    const [result] = JSON.parse(measured.stdout) as Array<{ enter: number; falseAlarmsPerDay: number }>;
    t.equal(result.enter, enter, '--measure uses the thresholds in the config');
    t.ok(
      result.falseAlarmsPerDay >= TARGET / 2 && result.falseAlarmsPerDay <= TARGET * 2,
      `${result.falseAlarmsPerDay.toFixed(0)} false alarms/day on the second background (target ${TARGET})`,
    );
  },
);

t.test('bad input is a one-line usage error', async (t) => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, CONFIG);
  const bg = join(dir, 'bg1.csv');
  const res = await runCli(['calibrate', '--config', file, '--false-alarms-per-day', '1']);
  t.equal(res.code, 64);
  t.equal(res.stderr, 'bindsight: calibrate needs --background REC (a recording with nothing to detect)\n');
  const cases: Array<[string[], RegExp]> = [
    [['--background', bg], /^--false-alarms-per-day must be a number >= 0, got \(none\)$/],
    [
      ['--background', bg, '--false-alarms-per-day', '1'],
      /^cannot tell which sensor .*bg1\.csv is for: several sensors could read it \(imu0: imu, thermal0: thermal\); name one with --sensor$/,
    ],
    [
      ['--background', join(dir, 'x.wav'), '--false-alarms-per-day', '1'],
      /no sensor of the rules reads \.wav files/,
    ],
    [
      ['--background', bg, '--false-alarms-per-day', '1', '--rule', 'nope'],
      /^--rule nope: no such rule; rules: walk, person$/,
    ],
    [
      ['--background', bg, '--false-alarms-per-day', '1', '--sensor', 'cam9'],
      /^--sensor cam9: no such sensor; sensors: imu0, thermal0$/,
    ],
    [['--background', bg, '--measure', '--write'], /^--measure and --write do not go together$/],
  ];
  for (const [extra, message] of cases) {
    await t.rejects(
      buildProgram().parseAsync(['calibrate', '--config', file, ...extra], { from: 'user' }),
      { code: 'USAGE', message },
      extra.join(' '),
    );
  }
  t.equal(readFileSync(file, 'utf8'), CONFIG, 'nothing written');
});
