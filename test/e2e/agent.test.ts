/**
 * End to end on the wire: a real Mosquitto started here on a free loopback port, the real
 * CLI running a replay config over the demo fixtures and the demo pack, and a subscriber
 * checking the events (rule, sensor, type, score range) and the status topic.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { type BindsightEvent, decodeEvent } from '../../src/publish/event.js';
import { REPO, runCli, startCli } from '../helpers/cli.js';
import { startMosquitto } from '../helpers/mosquitto.js';

const DEMO = join(REPO, 'config', 'demo');

interface Captured {
  events: BindsightEvent[];
  retained: Map<string, string>;
  client: mqtt.MqttClient;
}

async function subscribe(url: string, topic: string): Promise<Captured> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const captured: Captured = { events: [], retained: new Map(), client };
  client.on('message', (topicName, payload) => {
    const text = payload.toString();
    if (topicName.endsWith('/events')) captured.events.push(decodeEvent(text));
    else captured.retained.set(topicName, text);
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return captured;
}

function sensor(id: string, modality: string, files: string[], extra: string): string {
  const list = files.map((f) => JSON.stringify(join(DEMO, f))).join(', ');
  return `  - { id: ${id}, driver: replay, modality: ${modality}, speed: 4, files: [${list}]${extra} }\n`;
}

function writeConfig(dir: string, node: string, url: string, pack: string, sensors: string): string {
  const file = join(dir, `${node}.yaml`);
  writeFileSync(
    file,
    `node: ${node}
models: { pack: ${JSON.stringify(pack)} }
sensors:
${sensors}rules:
  - { id: person, sensors: [thermal0], prompts: ["a person"], contrast: ["an empty room"], enter: 0.6, exit: 0.4 }
  - { id: fall, sensors: [imu0], prompts: ["someone fell"], contrast: ["someone walking", "lying still"], enter: 0.6, exit: 0.4 }
  - { id: alarm, sensors: [mic0], prompts: ["a siren"], contrast: ["a quiet room", "noise"], enter: 0.6, exit: 0.4 }
  - { id: lights, sensors: [cam0], prompts: ["a bright room"], contrast: ["a dark room"], enter: 0.6, exit: 0.4 }
http: { enabled: false }
mqtt: { url: ${JSON.stringify(url)}, prefix: bindsight }
`,
  );
  return file;
}

t.test(
  'the agent publishes the demo events over a real Mosquitto, and none for negative recordings',
  async (t) => {
    const broker = await startMosquitto(t);
    const dir = t.testdir({});
    const pack = join(dir, 'pack');
    await buildDemoPack(pack);

    await t.test('positive recordings: person, fall, alarm and lights start events', async (t) => {
      const sub = await subscribe(broker.url, 'bindsight/pos/#');
      t.teardown(() => sub.client.endAsync());
      const sensors =
        sensor(
          'thermal0',
          'thermal',
          ['thermal_empty.csv', 'thermal_person.csv', 'thermal_empty.csv'],
          ', rate: 4',
        ) +
        sensor('imu0', 'imu', ['imu_walk.csv', 'imu_fall.csv'], ', window: 5, hop: 1') +
        sensor('mic0', 'audio', ['audio_quiet.wav', 'audio_siren.wav'], ', window: 2, hop: 1') +
        sensor('cam0', 'vision', ['vision_dark.png', 'vision_bright.png'], ', rate: 1');
      const cfg = writeConfig(dir, 'pos', broker.url, pack, sensors);
      const res = await runCli(['run', cfg, '--exit-on-end', '--json'], { timeoutMs: 120_000 });
      t.equal(res.code, 0, `exit 0 (stderr: ${res.stderr.slice(-2000)})`);
      await new Promise((r) => setTimeout(r, 300));

      const starts = (rule: string) => sub.events.filter((e) => e.rule === rule && e.type === 'start');
      const expectations: Array<[string, string, string]> = [
        ['person', 'thermal0', 'thermal'],
        ['fall', 'imu0', 'imu'],
        ['alarm', 'mic0', 'audio'],
        ['lights', 'cam0', 'vision'],
      ];
      for (const [rule, sensorId, modality] of expectations) {
        const found = starts(rule);
        t.equal(found.length, 1, `exactly one ${rule} start event`);
        const e = found[0];
        if (!e) continue;
        t.same(e.sensors, [sensorId]);
        t.same(e.modality, [modality]);
        t.ok(e.score >= 0.6 && e.score <= 1, `${rule} start score ${e.score} is within [enter, 1]`);
        t.equal(e.node, 'pos');
        t.match(e.model, /^demo@/);
      }
      // Every episode ends, those still on when the recordings run out at shutdown: every start
      // has an end with its episode id, and every rule's retained state reads OFF.
      for (const start of sub.events.filter((e) => e.type === 'start')) {
        t.ok(
          sub.events.some((e) => e.type === 'end' && e.episode === start.episode),
          `${start.rule} episode ${start.episode} ends`,
        );
      }
      for (const rule of ['person', 'fall', 'alarm', 'lights']) {
        t.equal(sub.retained.get(`bindsight/pos/rules/${rule}/state`), 'OFF', `${rule} state OFF after exit`);
      }
      const personEnd = sub.events.find((e) => e.rule === 'person' && e.type === 'end');
      t.ok(personEnd, 'the person leaves: an end event');
      if (personEnd) t.ok(personEnd.score < 0.4, `end score ${personEnd.score} is below exit`);
      // stdout carries the same events as JSON lines, in publish order
      const printed = res.stdout.trim().split('\n').filter(Boolean).map(decodeEvent);
      t.same(
        printed.map((e) => e.id),
        sub.events.map((e) => e.id),
        'printed events = published events',
      );
      t.equal(sub.retained.get('bindsight/pos/status'), 'offline', 'status reads offline after exit');
      t.equal(sub.retained.get('bindsight/pos/rules/person/state'), 'OFF');
      t.equal(sub.retained.get('bindsight/pos/sensors/thermal0/status'), 'ok');
    });

    await t.test('negative recordings: no event at all', async (t) => {
      const sub = await subscribe(broker.url, 'bindsight/neg/#');
      t.teardown(() => sub.client.endAsync());
      const sensors =
        sensor('thermal0', 'thermal', ['thermal_empty.csv'], ', rate: 4') +
        sensor('imu0', 'imu', ['imu_walk.csv', 'imu_still.csv'], ', window: 5, hop: 1') +
        sensor('mic0', 'audio', ['audio_quiet.wav'], ', window: 2, hop: 1') +
        sensor('cam0', 'vision', ['vision_dark.png', 'vision_dark.png'], ', rate: 1');
      const cfg = writeConfig(dir, 'neg', broker.url, pack, sensors);
      const res = await runCli(['run', cfg, '--exit-on-end'], { timeoutMs: 120_000 });
      t.equal(res.code, 0, `exit 0 (stderr: ${res.stderr.slice(-2000)})`);
      await new Promise((r) => setTimeout(r, 300));
      t.same(sub.events, [], 'no events');
      t.equal(res.stdout, '', 'nothing printed');
      t.equal(sub.retained.get('bindsight/neg/rules/fall/state'), 'OFF');
      t.equal(sub.retained.get('bindsight/neg/status'), 'offline');
    });

    await t.test('Ctrl-C stops the agent cleanly and the status topic reads offline', async (t) => {
      const sub = await subscribe(broker.url, 'bindsight/sig/status');
      t.teardown(() => sub.client.endAsync());
      const sensors = sensor('thermal0', 'thermal', ['thermal_person.csv'], ', rate: 4, loop: true');
      const cfg = writeConfig(dir, 'sig', broker.url, pack, sensors).replace(/\.yaml$/, '.yaml');
      // rules name sensors that this config lacks: keep only the person rule
      const { readFileSync } = await import('node:fs');
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/\n {2}- \{ id: (fall|alarm|lights).*/g, ''));
      const running = startCli(['run', cfg]);
      t.teardown(() => running.child.kill('SIGKILL'));
      const deadline = Date.now() + 60_000;
      while (sub.retained.get('bindsight/sig/status') !== 'online' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      t.equal(sub.retained.get('bindsight/sig/status'), 'online');
      running.child.kill('SIGINT');
      const res = await running.done;
      t.equal(res.code, 0, `exit 0 after SIGINT (stderr: ${res.stderr.slice(-1000)})`);
      await new Promise((r) => setTimeout(r, 200));
      t.equal(sub.retained.get('bindsight/sig/status'), 'offline');
    });
  },
);
