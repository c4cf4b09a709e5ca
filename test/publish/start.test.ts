/**
 * startPublishing builds the publishing side from the mqtt config: the embedded broker (on
 * loopback), the outbox, credentials, publisher and discovery; a failing step stops what had
 * started, with the step's own error.
 */
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { parseConfig } from '../../src/config/load.js';
import { startPublishing } from '../../src/publish/start.js';
import { subscribe } from './subscriber.js';

const logger = pino({ level: 'silent' });

function mqttConfig(dir: string, extra = '') {
  const cfg = parseConfig(
    `node: kitchen
sensors: [{ id: t0, driver: replay, modality: thermal, files: [a.csv] }]
mqtt:
  url: embedded
  embedded: { port: 0 }
  outbox: { path: ${JSON.stringify(join(dir, 'outbox.sqlite'))} }
${extra}`,
    'c.yaml',
    {},
  );
  return { node: cfg.node, mqtt: cfg.mqtt, rules: [{ id: 'person' }], sensors: cfg.sensors };
}

t.test('embedded broker, durable outbox, discovery: connected and publishing', async (t) => {
  const dir = t.testdir({});
  const p = await startPublishing(mqttConfig(dir), logger);
  t.teardown(() => p.stop());
  t.match(p.url, /^mqtt:\/\/127\.0\.0\.1:\d+$/, 'the embedded broker listens on loopback');
  t.match(p.publisher.stats(), {
    connected: true,
    outbox: { durable: true, path: join(dir, 'outbox.sqlite') },
  });
  t.ok(p.discovery, 'discovery is on by default');
  const sub = await subscribe(t, p.url, 'homeassistant/binary_sensor/kitchen/rule_person/config');
  const config = await sub.next(() => true);
  t.match(JSON.parse(config.payload), { unique_id: 'bindsight:kitchen:rule_person' });
  await p.stop();
  await p.stop();
  t.equal(p.publisher.stats().connected, false, 'stopped');
});

t.test('a failing step stops what had started and reports its own error', async (t) => {
  const dir = t.testdir({});
  const missing = join(dir, 'nope.pw');
  await t.rejects(startPublishing(mqttConfig(dir, `  passwordFile: ${JSON.stringify(missing)}\n`), logger), {
    code: 'CONFIG_INVALID',
    message: new RegExp(`mqtt\\.passwordFile: cannot read ${missing}`),
  });
  // A step after the outbox opened: the outbox is closed again (not left locked).
  const bad = mqttConfig(dir);
  bad.mqtt.discovery.prefix = 'home/#'; // the schema refuses it; startPublishing must too
  await t.rejects(startPublishing(bad, logger), {
    code: 'CONFIG_INVALID',
    message: /wildcard/,
  });
  const again = await startPublishing(mqttConfig(dir, '  discovery: { enabled: false }\n'), logger);
  t.teardown(() => again.stop());
  t.equal(again.discovery, undefined);
});
