import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { loadConfig } from '../../src/config/load.js';
import type { RuleConfig } from '../../src/rules/config.js';
import type { CompiledRule } from '../../src/rules/engine.js';
import { changedSections, RuleUpdates } from '../../src/rules/updates.js';
import { captureLogs } from '../helpers/logs.js';

const config = (rules: string, node = 'kitchen') => `node: ${node}
sensors:
  - { id: thermal0, driver: replay, modality: thermal, files: [t.csv] }
rules:
${rules}`;
const PERSON = '  - { id: person, sensors: [thermal0], prompts: [a person] }\n';
const BOTH = `${PERSON}  - { id: warm, sensors: [thermal0], prompts: [a person], enter: 0.8, exit: 0.5 }\n`;

async function setup(t: Test, compile?: (rules: RuleConfig[]) => Promise<CompiledRule[]>) {
  const dir = t.testdir({});
  const file = join(dir, 'c.yaml');
  writeFileSync(file, config(PERSON));
  const loaded = await loadConfig(file);
  const { lines: logs, logger } = captureLogs();
  const applied: string[][] = [];
  let onApply: () => void = () => {};
  const updates = new RuleUpdates({
    config: loaded.config,
    configDir: dir,
    compile:
      compile ??
      (async (rules) => rules.map((r) => ({ ...r, prompts: [], promptVectors: [], contrastVectors: [] }))),
    apply: (rules) => {
      applied.push(rules.map((r) => r.id));
      onApply();
    },
    logger,
    debounceMs: 20,
  });
  t.teardown(() => updates.close());
  const nextApply = () => new Promise<void>((resolve) => (onApply = resolve));
  return { dir, file, updates, applied, logs, nextApply };
}

t.test('a saved config file is re-read and its rules applied', async (t) => {
  const { file, updates, applied, nextApply } = await setup(t);
  updates.watch(file);
  const done = nextApply();
  writeFileSync(file, config(BOTH));
  await done;
  t.same(applied, [['person', 'warm']]);
  t.same(
    updates.rules.map((r) => [r.id, r.enter]),
    [
      ['person', 0.6],
      ['warm', 0.8],
    ],
  );
});

t.test('an invalid file keeps the running rules and logs the located problem', async (t) => {
  const { file, updates, applied, logs } = await setup(t);
  writeFileSync(file, config('  - { id: person, sensors: [thermal9], prompts: [a person] }\n'));
  await updates.reloadFile(file);
  t.same(applied, []);
  t.same(
    updates.rules.map((r) => r.id),
    ['person'],
  );
  const error = logs.find((l) => l.level === 50);
  t.match(error, {
    msg: 'config reload refused; the running rules stay',
    error: /c\.yaml:5:29: rules\[0\]\.sensors\[0\]: unknown sensor "thermal9"/,
  });
  writeFileSync(file, config(PERSON, 'pantry'));
  await updates.reloadFile(file);
  t.same(applied, [], 'same rules: nothing to apply');
  t.match(
    logs.find((l) => l.level === 40),
    { msg: 'config changes outside "rules" need a restart; not applied', sections: ['node'] },
  );
  t.match(updates.stats(), {
    applied: 0,
    refused: 1,
    lastRefused: { source: 'file', error: /unknown sensor "thermal9"/, time: /^\d{4}-\d\d-\d\dT/ },
  });
});

t.test('the rules command: applied, refused with reasons, repeated or cleared', async (t) => {
  const refuse = async (rules: RuleConfig[]) => {
    if (rules.some((r) => r.id === 'bad'))
      throw new Error('rule "bad": prompt "x" means nothing to model pack "demo"');
    return rules.map((r) => ({ ...r, prompts: [], promptVectors: [], contrastVectors: [] }));
  };
  const { updates, applied } = await setup(t, refuse);
  const payload = '- { id: warm, sensors: [thermal0], prompts: [a person] }';
  t.match(await updates.command(payload, ['thermal0']), { ok: true, rules: ['warm'], errors: [] });
  t.equal(
    await updates.command(payload, ['thermal0']),
    undefined,
    'the same payload again (a reconnect) is done',
  );
  t.equal(await updates.command('', ['thermal0']), undefined, 'an empty payload clears the retained command');
  t.match(await updates.command('- { id: warm, sensors: [cam0], prompts: [x] }', ['thermal0']), {
    ok: false,
    rules: [],
    errors: ['rules/set:1:25: [0].sensors[0]: unknown sensor "cam0"; configured sensors: thermal0'],
  });
  t.match(await updates.command('- { id: bad, sensors: [thermal0], prompts: [x] }', ['thermal0']), {
    ok: false,
    errors: [/means nothing to model pack/],
  });
  t.same(applied, [['warm']], 'refused sets were never applied');
  t.match(updates.stats(), {
    applied: 1,
    refused: 2,
    lastRefused: { source: 'command', error: /means nothing to model pack/ },
  });
  t.same(
    updates.rules.map((r) => r.id),
    ['warm'],
  );
});

t.test('changedSections names what needs a restart', async (t) => {
  const dir = t.testdir({
    'a.yaml': config(PERSON),
    'b.yaml': `${config(BOTH, 'pantry')}mqtt: { prefix: home }\n`,
  });
  const a = (await loadConfig(join(dir, 'a.yaml'))).config;
  const b = (await loadConfig(join(dir, 'b.yaml'))).config;
  t.same(changedSections(a, b), ['mqtt', 'node']);
  t.same(changedSections(a, a), []);
});
