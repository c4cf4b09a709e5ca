/**
 * Prompt compilation on the real demo pack: texts, prompt ensembles and example files of other
 * modalities, all embedded into one space and usable against any sensor's embedding.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { parseConfig } from '../../src/config/load.js';
import { resolvePaths } from '../../src/config/paths.js';
import { loadPack } from '../../src/encoders/pack.js';
import { preprocessSample } from '../../src/preprocess/index.js';
import { classVector, compileRules } from '../../src/rules/compile.js';
import { packPromptEmbedder } from '../../src/rules/embedder.js';
import { RuleEngine, type RuleTransition } from '../../src/rules/engine.js';
import { dot } from '../../src/rules/score.js';
import { REPO } from '../helpers/cli.js';

const dir = t.testdir({});
await buildDemoPack(join(dir, 'pack'));
const pack = await loadPack(join(dir, 'pack'));
t.teardown(() => pack.close());
const embedder = packPromptEmbedder(pack);
const DEMO = join(REPO, 'config', 'demo');

/** Rules parsed from YAML exactly as the agent reads them (paths against `dir`). */
function rules(yaml: string) {
  const text = `sensors:
  - { id: cam0, driver: replay, modality: vision, files: [a.png] }
  - { id: thermal0, driver: replay, modality: thermal, files: [a.csv] }
rules:
${yaml}`;
  return resolvePaths(parseConfig(text, 'c.yaml', {}), dir).rules;
}

/** An 8-bit grey 32×24 thermal image: background 60, a warm blob of 230. */
async function thermalPng(path: string, blob: boolean): Promise<void> {
  const data = Buffer.alloc(32 * 24, 60);
  if (blob) for (let y = 9; y < 15; y++) for (let x = 13; x < 19; x++) data[y * 32 + x] = 230;
  await sharp(data, { raw: { width: 32, height: 24, channels: 1 } })
    .png()
    .toFile(path);
}

t.test('a prompt ensemble is the normalised mean of its phrasings', async (t) => {
  const [r] = await compileRules(
    rules(
      '  - { id: p, sensors: [cam0], prompts: [{ text: [a bright room, daylight, a dark room], name: mixed }] }\n',
    ),
    embedder,
  );
  const [bright, day, dark] = await pack.embedTexts(['a bright room', 'daylight', 'a dark room']);
  const expected = classVector([bright, day, dark]);
  t.equal(r.prompts[0], 'mixed', 'events name it by `name`');
  t.ok(Math.abs(dot(r.promptVectors[0], expected) - 1) < 1e-5);
  t.ok(
    Math.abs(dot(r.promptVectors[0], bright) - 2 / Math.sqrt(5)) < 1e-3,
    'two parts bright, one part dark',
  );
});

t.test('an example image is a prompt: a bright example fires on a bright camera frame', async (t) => {
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 215, g: 215, b: 210 } } })
    .png()
    .toFile(join(dir, 'frame.png'));
  const compiled = await compileRules(
    rules(`  - id: lights
    sensors: [cam0]
    prompts: [{ file: ${join(DEMO, 'vision_bright.png')} }]
    contrast: [{ file: ${join(DEMO, 'vision_dark.png')}, name: dark }]
`),
    embedder,
  );
  t.same(compiled[0].prompts, ['vision_bright.png'], 'named after the file by default');
  const transitions: RuleTransition[] = [];
  const engine = new RuleEngine({
    rules: compiled,
    logitScale: pack.manifest.logitScale,
    logitBias: 0,
    observer: { onScore: () => {}, onTransition: (tr) => transitions.push(tr) },
  });
  const frame = { kind: 'frame', sensor: 'cam0', modality: 'vision', t: 1n, width: 0, height: 0 } as const;
  const { readFile } = await import('node:fs/promises');
  const bytes = new Uint8Array(await readFile(join(dir, 'frame.png')));
  const x = await preprocessSample(
    { ...frame, format: 'png', data: bytes },
    pack.manifest.modalities.vision!.preprocess,
  );
  const [e] = await pack.encoders.get('vision')!.embed([x]);
  engine.observe('cam0', 'vision', 1n, e);
  t.match(transitions, [{ rule: 'lights', type: 'start', prompt: 'vision_bright.png' }]);
  t.ok(transitions[0]?.score > 0.9, `score ${transitions[0]?.score}`);
});

t.test('an example file of one modality lines up with text and other sensors (cross-modal)', async (t) => {
  await thermalPng(join(dir, 'warm.png'), true);
  await thermalPng(join(dir, 'cold.png'), false);
  const [r] = await compileRules(
    rules(`  - id: warm
    sensors: [thermal0]
    prompts: [{ file: warm.png, modality: thermal }]
    contrast: [{ file: cold.png, modality: thermal }]
`),
    embedder,
  );
  const [person, empty] = await pack.embedTexts(['a person', 'an empty room']);
  t.ok(dot(r.promptVectors[0], person) > 0.9, 'the warm example points where the text "a person" does');
  t.ok(dot(r.contrastVectors[0], empty) > 0.9, 'the cold one where "an empty room" does');
});

t.test('refusals name the rule, the prompt and the fix', async (t) => {
  await t.rejects(
    compileRules(rules('  - { id: r, sensors: [cam0], prompts: [a purple giraffe] }\n'), embedder),
    {
      code: 'PROMPT_INVALID',
      message:
        /rule "r": prompt "a purple giraffe" means nothing to model pack "demo" \(unknown: purple, giraffe\); words it knows: /,
    },
  );
  await t.rejects(
    compileRules(rules('  - { id: r, sensors: [cam0], prompts: [{ file: x.npy }] }\n'), embedder),
    {
      code: 'PROMPT_INVALID',
      message:
        /rule "r": cannot tell the modality of example file .*x\.npy from its extension; add modality: vision \| audio/,
    },
  );
  await t.rejects(
    compileRules(rules('  - { id: r, sensors: [cam0], prompts: [{ file: missing.png }] }\n'), embedder),
    {
      code: 'PROMPT_INVALID',
      message: /rule "r": example file .*missing\.png \(vision\): cannot read/,
    },
  );
  const textOnly = { ...embedder, embedFile: undefined };
  await t.rejects(
    compileRules(rules('  - { id: r, sensors: [cam0], prompts: [{ file: warm.png }] }\n'), textOnly),
    {
      code: 'PROMPT_INVALID',
    },
  );
});
