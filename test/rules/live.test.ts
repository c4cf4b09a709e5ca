/**
 * Rules changed while the agent runs (issue #9), against a real Mosquitto with the agent
 * in-process on the demo pack: episodes carry one id across start/end, a saved config file swaps
 * the rules without a restart, an invalid file or command is refused with the reason and the
 * running rules stay, and a valid retained command replaces them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { Agent } from '../../src/agent.js';
import { loadConfig } from '../../src/config/load.js';
import { type BindsightEvent, decodeEvent } from '../../src/publish/event.js';
import { REPO } from '../helpers/cli.js';
import { captureLogs } from '../helpers/logs.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { retainedOn, subscribe } from '../publish/subscriber.js';

const DEMO = join(REPO, 'config', 'demo');

/** Resolves once `cond()` holds; the test's own timeout bounds the wait. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

t.test('rules change while the agent runs; episodes keep their ids', async (t) => {
  const broker = await startMosquitto(t);
  const dir = t.testdir({});
  await buildDemoPack(join(dir, 'pack'));
  const file = join(dir, 'live.yaml');
  const write = (rules: string) =>
    writeFileSync(
      file,
      `node: live
models: { pack: pack, promptCache: false }
sensors:
  - id: thermal0
    driver: replay
    modality: thermal
    files: [${join(DEMO, 'thermal_person.csv')}, ${join(DEMO, 'thermal_empty.csv')}]
    speed: 8
    loop: true
rules:
${rules}mqtt: { url: ${JSON.stringify(broker.url)}, prefix: bindsight }
`,
    );
  const PERSON =
    '  - { id: person, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"] }\n';
  write(PERSON);
  const sub = await subscribe(t, broker.url, 'bindsight/live/#');
  const events: BindsightEvent[] = [];
  const { lines: logs, logger } = captureLogs();
  const loaded = await loadConfig(file);
  const agent = new Agent({
    config: loaded.config,
    logger,
    configFile: loaded.file,
    onEvent: (e) => events.push(e),
  });
  t.teardown(() => agent.stop());
  await agent.start();
  const of = (rule: string, type?: string) =>
    events.filter((e) => e.rule === rule && (!type || e.type === type));

  await t.test('start and end of one episode share its id; the next episode has another', async (t) => {
    await until(() => of('person', 'end').length >= 2);
    const [s1, e1, s2, e2] = of('person');
    t.same([s1.type, e1.type, s2.type, e2.type], ['start', 'end', 'start', 'end']);
    t.equal(s1.episode, e1.episode);
    t.equal(s2.episode, e2.episode);
    t.not(s1.episode, s2.episode);
    t.equal(new Set(events.map((e) => e.id)).size, events.length, 'every message has its own id');
    t.ok((e1.duration_s ?? 0) > 0 && (e1.peak ?? 0) >= 0.6, `end: ${e1.duration_s} s, peak ${e1.peak}`);
    t.equal(s1.duration_s, undefined);
    const wire = sub.messages
      .filter((m) => m.topic === 'bindsight/live/events')
      .map((m) => decodeEvent(m.payload));
    t.match(
      wire.find((e) => e.id === e1.id),
      { episode: s1.episode, type: 'end', duration_s: Number },
    );
  });

  await t.test('saving the config file swaps the rules without a restart', async (t) => {
    write(
      `${PERSON}  - { id: warm, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"], for: 0.5 }\n`,
    );
    await until(() => of('warm', 'start').length >= 1);
    t.pass('the new rule "warm" runs');
    await sub.next((m) => m.topic === 'bindsight/live/rules/warm/state' && m.payload === 'OFF');
    t.ok(logs.some((l) => l.msg === 'rules reloaded from the config file'));
  });

  await t.test('an invalid file is refused with the located reason; the rules keep running', async (t) => {
    write('  - { id: person, sensors: [thermal9], prompts: ["a person"] }\n');
    await until(() => logs.some((l) => l.msg === 'config reload refused; the running rules stay'));
    const refused = logs.find((l) => l.msg === 'config reload refused; the running rules stay');
    t.match(refused?.error, /live\.yaml:\d+:\d+: rules\[0\]\.sensors\[0\]: unknown sensor "thermal9"/);
    const before = of('warm', 'start').length;
    await until(() => of('warm', 'start').length > before);
    t.pass('"warm" still fires');
  });

  await t.test('the retained rules command: refused with reasons, then applied', async (t) => {
    await sub.client.publishAsync(
      'bindsight/live/rules/set',
      '- { id: x, sensors: [cam0], prompts: [a person] }',
      {
        qos: 1,
        retain: true,
      },
    );
    const refused = await sub.next((m) => m.topic === 'bindsight/live/rules/result');
    t.match(JSON.parse(refused.payload), {
      ok: false,
      rules: [],
      errors: ['rules/set:1:22: [0].sensors[0]: unknown sensor "cam0"; configured sensors: thermal0'],
    });
    const retained = await retainedOn(t, broker.url, 'bindsight/live/rules/result');
    t.equal(retained.payload, refused.payload, 'the result is retained');

    const payload = JSON.stringify([
      { id: 'empty', sensors: ['thermal0'], prompts: ['an empty room'], contrast: ['a person'] },
    ]);
    await sub.client.publishAsync('bindsight/live/rules/set', payload, { qos: 1, retain: true });
    const applied = await sub.next(
      (m) => m.topic === 'bindsight/live/rules/result' && m.payload.includes('"ok":true'),
    );
    t.match(JSON.parse(applied.payload), { ok: true, rules: ['empty'], errors: [] });
    await until(() => of('empty', 'start').length >= 1);
    const lastPerson = of('person').at(-1);
    const lastWarm = of('warm').at(-1);
    t.equal(lastPerson?.type, 'end', 'person, removed, is not left on');
    t.equal(lastWarm?.type, 'end', 'warm, removed, is not left on');
    const count = of('person').length;
    await until(() => of('empty', 'start').length >= 2);
    t.equal(of('person').length, count, 'the removed rule no longer fires');
    await sub.client.publishAsync('bindsight/live/rules/set', '', { qos: 1, retain: true });
  });
});
