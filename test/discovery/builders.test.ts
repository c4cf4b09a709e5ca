/**
 * The discovery builders are pure: checked here without MQTT, field by field against Home
 * Assistant's documented schema (./haSchema.ts), and for what bindsight promises on top: one
 * device per node, unique ids from node + object id only, stable text, the right state topics.
 */
import t from 'tap';
import {
  CONNECTIVITY_VALUE_TEMPLATE,
  type DiscoveryContext,
  discoveryRecords,
  discoveryTopic,
  EVENT_VALUE_TEMPLATE,
  nodeDiscoveryFilter,
  stableStringify,
} from '../../src/discovery/builders.js';
import { nodeTopics } from '../../src/publish/topics.js';
import { DISCOVERY_TOPIC, SCHEMAS } from './haSchema.js';

const ctx: DiscoveryContext = {
  prefix: 'homeassistant',
  node: 'kitchen',
  topics: nodeTopics('bindsight', 'kitchen'),
  version: '1.2.3',
  configurationUrl: 'http://kitchen.local:8080/',
};
const rules = [{ id: 'person' }, { id: 'fall' }];
const sensors = [{ id: 'thermal0' }, { id: 'imu0' }];
const records = discoveryRecords(ctx, rules, sensors);
const byObject = (id: string) => {
  const r = records.find((x) => x.objectId === id);
  if (!r) throw new Error(`no record ${id}`);
  return r;
};

t.test('every payload passes the documented schema of its component, key by key', async (t) => {
  t.equal(records.length, 1 + 2 * rules.length + sensors.length, 'event + 2 per rule + 1 per sensor');
  for (const r of records) {
    const parsed = SCHEMAS[r.component].safeParse(JSON.parse(r.payload));
    t.ok(
      parsed.success,
      `${r.topic}: ${parsed.success ? 'valid' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    t.match(r.topic, DISCOVERY_TOPIC, `${r.topic} has the documented form`);
  }
});

t.test('the schema check can fail: undocumented keys, missing required ones, bad values', async (t) => {
  const good = JSON.parse(byObject('rule_person').payload) as Record<string, unknown>;
  t.notOk(SCHEMAS.binary_sensor.safeParse({ ...good, stat_topic: 'x' }).success, 'an undocumented key');
  const { state_topic: _, ...noState } = good;
  t.notOk(SCHEMAS.binary_sensor.safeParse(noState).success, 'state_topic is required');
  t.notOk(
    SCHEMAS.binary_sensor.safeParse({ ...good, device_class: 'person' }).success,
    'unknown device class',
  );
  t.notOk(
    SCHEMAS.binary_sensor.safeParse({ ...good, platform: 'binary_sensor' }).success,
    'platform: device discovery only',
  );
  const event = JSON.parse(byObject('events').payload) as Record<string, unknown>;
  t.notOk(SCHEMAS.event.safeParse({ ...event, event_types: [] }).success, 'event_types must list something');
  const sensor = JSON.parse(byObject('score_person').payload) as Record<string, unknown>;
  t.notOk(SCHEMAS.sensor.safeParse({ ...sensor, state_class: 'average' }).success, 'unknown state class');
  t.notOk(
    SCHEMAS.sensor.safeParse({ ...sensor, device: { name: 'x' } }).success,
    'a device needs identifiers or connections',
  );
});

t.test('one device per node, with origin and availability on every config', async (t) => {
  for (const r of records) {
    const c = JSON.parse(r.payload);
    t.same(
      c.device,
      {
        configuration_url: 'http://kitchen.local:8080/',
        identifiers: ['bindsight:kitchen'],
        model: 'bindsight',
        name: 'kitchen',
        sw_version: '1.2.3',
      },
      `${r.objectId}: device`,
    );
    t.same(c.origin, { name: 'bindsight', sw_version: '1.2.3' }, `${r.objectId}: origin`);
    t.same(
      c.availability,
      [{ payload_available: 'online', payload_not_available: 'offline', topic: 'bindsight/kitchen/status' }],
      `${r.objectId}: availability is the node status (retained, the last will)`,
    );
  }
  const noUrl = discoveryRecords({ ...ctx, configurationUrl: undefined }, rules, sensors);
  t.notOk('configuration_url' in JSON.parse(noUrl[0].payload).device, 'configuration_url is optional');
});

t.test('per rule: a binary_sensor on its state and a measurement sensor on its score', async (t) => {
  const state = byObject('rule_person');
  t.equal(state.topic, 'homeassistant/binary_sensor/kitchen/rule_person/config');
  t.match(JSON.parse(state.payload), {
    name: 'person',
    unique_id: 'bindsight:kitchen:rule_person',
    state_topic: 'bindsight/kitchen/rules/person/state',
    payload_on: 'ON',
    payload_off: 'OFF',
    qos: 1,
  });
  const score = byObject('score_person');
  t.equal(score.topic, 'homeassistant/sensor/kitchen/score_person/config');
  t.match(JSON.parse(score.payload), {
    name: 'person score',
    unique_id: 'bindsight:kitchen:score_person',
    state_topic: 'bindsight/kitchen/rules/person/score',
    state_class: 'measurement',
  });
});

t.test('per sensor: a diagnostic connectivity binary_sensor on its status', async (t) => {
  const r = byObject('sensor_thermal0');
  t.equal(r.topic, 'homeassistant/binary_sensor/kitchen/sensor_thermal0/config');
  t.match(JSON.parse(r.payload), {
    name: 'thermal0',
    device_class: 'connectivity',
    entity_category: 'diagnostic',
    state_topic: 'bindsight/kitchen/sensors/thermal0/status',
    value_template: CONNECTIVITY_VALUE_TEMPLATE,
    payload_on: 'ON',
    payload_off: 'OFF',
  });
  t.equal(CONNECTIVITY_VALUE_TEMPLATE, "{{ 'OFF' if value == 'down' else 'ON' }}");
});

t.test('the event entity: event_types start/update/end, event_type taken from our "type"', async (t) => {
  const r = byObject('events');
  t.equal(r.topic, 'homeassistant/event/kitchen/events/config');
  const c = JSON.parse(r.payload);
  t.same(c.event_types, ['start', 'update', 'end']);
  t.equal(c.state_topic, 'bindsight/kitchen/events');
  t.equal(c.value_template, EVENT_VALUE_TEMPLATE);
  t.equal(
    c.value_template,
    "{{ {'event_type': value_json['type'], 'id': value_json['id'], 'rule': value_json['rule'], 'prompt': value_json['prompt'], 'score': value_json['score'], 'sensors': value_json['sensors'], 'modality': value_json['modality'], 'time': value_json['time']} | to_json }}",
  );
  t.match(c.value_template, /\| to_json \}\}$/, 'renders JSON, as the event entity requires');
});

t.test('unique ids: distinct, from node + object id only, unambiguous across nodes', async (t) => {
  const ids = records.map((r) => JSON.parse(r.payload).unique_id as string);
  t.equal(new Set(ids).size, ids.length, 'distinct within a node');
  const renamed = discoveryRecords(ctx, [{ id: 'person' }], []).map((r) => JSON.parse(r.payload));
  t.equal(renamed[1].unique_id, 'bindsight:kitchen:rule_person', 'not derived from a display name');
  // "a_rule" + rule "x" vs "a" + rule "rule_x": joined with "_" they would collide.
  const a = discoveryRecords(
    { ...ctx, node: 'a_rule', topics: nodeTopics('bs', 'a_rule') },
    [{ id: 'x' }],
    [],
  );
  const b = discoveryRecords({ ...ctx, node: 'a', topics: nodeTopics('bs', 'a') }, [{ id: 'rule_x' }], []);
  t.not(JSON.parse(a[1].payload).unique_id, JSON.parse(b[1].payload).unique_id);
});

t.test('stable text: sorted keys, same input gives the same payload', async (t) => {
  t.equal(
    stableStringify({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } }),
    '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
  );
  const again = discoveryRecords(ctx, rules, sensors);
  t.same(
    again.map((r) => r.payload),
    records.map((r) => r.payload),
  );
  const keys = Object.keys(JSON.parse(records[0].payload));
  t.same(keys, [...keys].sort());
});

t.test('topics: a bad discovery prefix is refused; the node filter covers every component', async (t) => {
  t.throws(() => discoveryTopic('home/#', 'sensor', 'kitchen', 'x'), { code: 'CONFIG_INVALID' });
  t.equal(nodeDiscoveryFilter('homeassistant', 'kitchen'), 'homeassistant/+/kitchen/+/config');
});
