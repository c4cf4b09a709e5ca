import { join } from 'node:path';
import t from 'tap';
import { parseConfig } from '../../src/config/load.js';
import { resolvePaths } from '../../src/config/paths.js';
import { BindsightError } from '../../src/errors.js';

const HEAD = `sensors:
  - { id: imu0, driver: replay, modality: imu, files: [walk.csv] }
  - { id: mic0, driver: replay, modality: audio, files: [a.wav] }
rules:
`;

function rules(yaml: string) {
  return parseConfig(HEAD + yaml, 'c.yaml', {}).rules;
}

/** The located problem lines (without the summary line). */
function problems(yaml: string): string[] {
  try {
    parseConfig(HEAD + yaml, 'c.yaml', {});
  } catch (err) {
    if (err instanceof BindsightError && err.code === 'CONFIG_INVALID')
      return err.message.split('\n').slice(1);
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

t.test('the original keys keep working, with the defaults they had', async (t) => {
  const [r] = rules('  - { id: fall, sensors: [imu0], prompts: ["someone fell"], contrast: ["walking"] }\n');
  t.match(r, {
    id: 'fall',
    prompts: ['someone fell'],
    contrast: ['walking'],
    score: 'softmax',
    enter: 0.6,
    exit: 0.4,
    for: 0,
    cooldown: 0,
    updateEvery: 0,
    fusion: 'any',
    align: 2,
  });
  const [cos] = rules('  - { id: x, sensors: [imu0], prompts: ["a fall"] }\n');
  t.equal(cos.score, 'cosine', 'without contrast the score is the cosine, as before');
});

t.test('prompt shapes: text, ensemble, example file', async (t) => {
  const [r] = rules(`  - id: dog
    sensors: [mic0]
    prompts:
      - a dog barking
      - text: [a dog, a barking dog, dog noise]
        name: dog
      - file: examples/bark.wav
      - { file: [a.png, b.png], modality: thermal }
    contrast: [quiet]
`);
  t.same(r.prompts, [
    'a dog barking',
    { text: ['a dog', 'a barking dog', 'dog noise'], name: 'dog' },
    { file: 'examples/bark.wav' },
    { file: ['a.png', 'b.png'], modality: 'thermal' },
  ]);
  const resolved = resolvePaths(
    parseConfig(`${HEAD}  - { id: d, sensors: [mic0], prompts: [{ file: x/bark.wav }] }\n`, 'c.yaml', {}),
    '/etc/bs',
  );
  t.same(
    resolved.rules[0].prompts,
    [{ file: join('/etc/bs', 'x/bark.wav') }],
    'example paths resolve against the config folder',
  );
});

t.test('bad prompts are located, with what is allowed', async (t) => {
  t.same(problems('  - { id: d, sensors: [mic0], prompts: [{ text: a, file: b.wav }] }\n'), [
    '  c.yaml:5:41: rules[0].prompts[0]: a prompt needs exactly one of "text" or "file"',
  ]);
  t.same(problems('  - { id: d, sensors: [mic0], prompts: [{ txt: a }] }\n'), [
    '  c.yaml:5:41: rules[0].prompts[0]: a prompt needs exactly one of "text" or "file"',
    '  c.yaml:5:43: rules[0].prompts[0]: unknown key "txt"; did you mean "text"?',
  ]);
  t.same(problems('  - { id: d, sensors: [mic0], prompts: [3] }\n'), [
    '  c.yaml:5:41: rules[0].prompts[0]: a prompt is a text, {text: [texts…]} or {file: path}',
  ]);
  t.same(problems('  - { id: d, sensors: [mic0], prompts: [{ text: a, modality: audio }] }\n'), [
    '  c.yaml:5:62: rules[0].prompts[0].modality: "modality" applies to "file" prompts only',
  ]);
});

t.test('score modes and their thresholds', async (t) => {
  const [z] = rules('  - { id: z, sensors: [imu0], prompts: [a fall], score: zscore }\n');
  t.match(z, { score: 'zscore', enter: 4, exit: 2 }, 'zscore defaults are standard deviations');
  t.match(
    rules('  - { id: z, sensors: [imu0], prompts: [a fall], score: zscore, enter: 6, exit: -1 }\n')[0],
    {
      enter: 6,
      exit: -1,
    },
  );
  t.same(problems('  - { id: s, sensors: [imu0], prompts: [a fall], score: softmax }\n'), [
    '  c.yaml:5:57: rules[0].score: softmax needs contrast prompts to score against; add "contrast" or use cosine or zscore',
  ]);
  t.same(problems('  - { id: s, sensors: [imu0], prompts: [a fall], contrast: [b], score: cosine }\n'), [
    '  c.yaml:5:60: rules[0].contrast: score: cosine does not use contrast prompts; remove them or use softmax or zscore',
  ]);
  t.same(problems('  - { id: s, sensors: [imu0], prompts: [a], contrast: [b], enter: 3 }\n'), [
    '  c.yaml:5:67: rules[0].enter: must be between 0 and 1 for score: softmax, got 3',
  ]);
  t.same(problems('  - { id: s, sensors: [imu0], prompts: [a], exit: 0.7 }\n'), [
    '  c.yaml:5:51: rules[0].exit: exit must be <= enter (hysteresis)',
  ]);
});

t.test('timing, fusion and when are checked', async (t) => {
  t.same(
    problems(`  - id: a
    sensors: [imu0, mic0]
    prompts: [x]
    for: -1
    fusion: any
    weights: { imu0: 2, cam9: 1 }
    when: { on: [b, a, nope], between: ["22:00", "25:00"] }
  - { id: b, sensors: [imu0], prompts: [y] }
`),
    [
      '  c.yaml:8:10: rules[0].for: must be at least 0, got number -1',
      '  c.yaml:10:14: rules[0].weights: weights apply to fusion mean and embedding, not any',
      `  c.yaml:10:31: rules[0].weights.cam9: "cam9" is not one of this rule's sensors: imu0, mic0`,
      '  c.yaml:11:21: rules[0].when.on[1]: a rule cannot depend on its own state',
      '  c.yaml:11:24: rules[0].when.on[2]: unknown rule "nope"; rules: a, b',
      '  c.yaml:11:50: rules[0].when.between[1]: a local time as "HH:MM" (00:00 to 23:59); got "25:00"',
    ],
  );
  t.same(problems('  - { id: a, sensors: [imu0], prompts: [x], when: { on: [a, nope] } }\n'), [
    '  c.yaml:5:58: rules[0].when.on[0]: a rule cannot depend on its own state',
    '  c.yaml:5:61: rules[0].when.on[1]: unknown rule "nope"; rules: a',
  ]);
  const [r] = rules(
    '  - { id: a, sensors: [imu0, mic0], prompts: [x], fusion: embedding, weights: { mic0: 2 }, align: 0.5 }\n',
  );
  t.match(r, { fusion: 'embedding', weights: { mic0: 2 }, align: 0.5 });
  t.same(problems('  - { id: a, sensors: [imu0], prompts: [x], score: cosine, baseline: {} }\n'), [
    '  c.yaml:5:70: rules[0].baseline: baseline applies to score: zscore only',
  ]);
});
