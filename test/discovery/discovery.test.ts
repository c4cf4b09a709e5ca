/**
 * Home Assistant discovery on the wire, against a real Mosquitto: retained configs valid against
 * the documented schema, nothing republished when nothing changed, what no longer applies
 * cleared with an empty retained payload (at start and on a rule change), everything
 * republished when Home Assistant announces itself online.
 */
import { connectAsync } from 'mqtt';
import t, { type Test } from 'tap';
import { discoveryRecords } from '../../src/discovery/builders.js';
import { HaDiscovery } from '../../src/discovery/discovery.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { until } from '../publish/poll.js';
import { makePublisher } from '../publish/publisherContract.js';
import { type Received, subscribe } from '../publish/subscriber.js';
import { SCHEMAS } from './haSchema.js';

const WIRE = { timeout: 20_000 };
const RULES = [{ id: 'person' }, { id: 'fall' }];
const SENSORS = [{ id: 'thermal0' }];
const CONFIGS = 1 + 2 * RULES.length + SENSORS.length;
const isConfig = (m: Received) => /^homeassistant\/[a-z_]+\/kitchen\/[^/]+\/config$/.test(m.topic);

async function startDiscovery(
  t: Test,
  url: string,
  over: { rules?: { id: string }[]; version?: string } = {},
): Promise<HaDiscovery> {
  const publisher = makePublisher(t, url);
  const discovery = new HaDiscovery({
    publisher,
    node: 'kitchen',
    prefix: 'homeassistant',
    version: over.version ?? '1.0.0',
    rules: over.rules ?? RULES,
    sensors: SENSORS,
    birthJitterMs: 0,
  });
  t.teardown(() => discovery.close());
  await publisher.connect();
  return discovery;
}

const settled = (d: HaDiscovery, n: number) => () => d.stats().published + d.stats().unchanged >= n;

/**
 * All retained configs under the node, as topic → payload: a fresh subscriber's retained
 * messages, up to a marker it publishes itself (Mosquitto delivers in order, so every retained
 * message comes before it).
 */
async function retainedConfigs(t: Test, url: string): Promise<Map<string, string>> {
  const sub = await subscribe(t, url, 'homeassistant/#');
  await sub.client.publishAsync('homeassistant/test/marker', 'end', { qos: 1 });
  await sub.next((m) => m.topic === 'homeassistant/test/marker');
  await sub.close();
  return new Map(sub.messages.filter((m) => m.retain && isConfig(m)).map((m) => [m.topic, m.payload]));
}

t.test('configs are retained and valid; a restart with the same rules publishes nothing', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const first = await startDiscovery(t, broker.url);
  await until(settled(first, CONFIGS), 'the first reconcile');
  t.match(first.stats(), { published: CONFIGS, unchanged: 0, cleared: 0, failed: 0 });
  const retained = await retainedConfigs(t, broker.url);
  t.equal(retained.size, CONFIGS);
  for (const [topic, payload] of retained) {
    const component = topic.split('/')[1] as keyof typeof SCHEMAS;
    t.ok(SCHEMAS[component].safeParse(JSON.parse(payload)).success, `${topic} valid`);
  }
  first.close();

  const second = await startDiscovery(t, broker.url);
  await until(settled(second, CONFIGS), 'the second reconcile');
  t.match(second.stats(), { published: 0, unchanged: CONFIGS }, 'retained text equal: not written again');

  const third = await startDiscovery(t, broker.url, { rules: [...RULES, { id: 'alarm' }] });
  await until(settled(third, CONFIGS + 2), 'the third reconcile');
  t.match(third.stats(), { published: 2, unchanged: CONFIGS }, 'only the new rule');
});

t.test('what no longer applies is cleared with an empty retained payload', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const other = await connectAsync(broker.url);
  t.teardown(() => other.endAsync());
  await other.publishAsync('homeassistant/binary_sensor/kitchen/rule_old/config', '{"state_topic":"x"}', {
    qos: 1,
    retain: true,
  });
  await other.publishAsync('homeassistant/binary_sensor/hall/rule_x/config', '{"state_topic":"y"}', {
    qos: 1,
    retain: true,
  });
  const watch = await subscribe(t, broker.url, 'homeassistant/#');
  const discovery = await startDiscovery(t, broker.url);
  await until(() => discovery.stats().cleared === 1, 'the stale config to be cleared');
  const cleared = await watch.next((m) => m.topic.endsWith('/rule_old/config') && m.payload === '');
  t.equal(cleared.payload, '', 'an empty payload removes the entity in Home Assistant');

  discovery.update([{ id: 'fall' }], SENSORS);
  for (const gone of ['rule_person', 'score_person'])
    await watch.next((m) => m.topic.endsWith(`/${gone}/config`) && m.payload === '');
  t.equal(discovery.stats().cleared, 3);
  const left = await retainedConfigs(t, broker.url);
  t.same(
    [...left.keys()].sort(),
    discoveryRecords(
      {
        prefix: 'homeassistant',
        node: 'kitchen',
        topics: makePublisher(t, broker.url).topics,
        version: '1.0.0',
      },
      [{ id: 'fall' }],
      SENSORS,
    )
      .map((r) => r.topic)
      .sort(),
    "only the current rules' and sensors' configs remain",
  );
  const hall = await subscribe(t, broker.url, 'homeassistant/binary_sensor/hall/+/config');
  t.equal(
    (await hall.next((m) => m.retain)).payload,
    '{"state_topic":"y"}',
    "another node's config is untouched",
  );
});

t.test("Home Assistant's birth message makes every config go out again", WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const discovery = await startDiscovery(t, broker.url);
  await until(settled(discovery, CONFIGS), 'the first reconcile');
  const watch = await subscribe(t, broker.url, 'homeassistant/+/kitchen/+/config');
  await watch.collect((m) => m.retain, CONFIGS);
  const ha = await connectAsync(broker.url);
  t.teardown(() => ha.endAsync());
  await ha.publishAsync('homeassistant/status', 'online', { qos: 1 });
  const again = await watch.collect((m) => !m.retain && isConfig(m), CONFIGS);
  t.equal(new Set(again.map((m) => m.topic)).size, CONFIGS, 'each config once more');
  t.match(discovery.stats(), { births: 1, published: 2 * CONFIGS });
  await ha.publishAsync('homeassistant/status', 'offline', { qos: 1 });
  t.equal(discovery.stats().births, 1, '"offline" is not a birth');
});
