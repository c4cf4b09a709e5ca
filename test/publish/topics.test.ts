import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import {
  buildTopic,
  matchTopic,
  nodeTopics,
  TOPIC_TEMPLATES,
  TOPICS,
  type TopicTemplate,
} from '../../src/publish/topics.js';
import { sampleEvent } from './publisherContract.js';

t.test('node topics', async (t) => {
  const topics = nodeTopics('bindsight', 'kitchen');
  t.equal(topics.status, 'bindsight/kitchen/status');
  t.equal(topics.events, 'bindsight/kitchen/events');
  t.equal(topics.all, 'bindsight/kitchen/#');
  t.equal(topics.ruleState('person'), 'bindsight/kitchen/rules/person/state');
  t.equal(topics.ruleScore('person'), 'bindsight/kitchen/rules/person/score');
  t.equal(topics.sensorStatus('thermal0'), 'bindsight/kitchen/sensors/thermal0/status');
  t.equal(nodeTopics('home/bindsight', 'n1').status, 'home/bindsight/n1/status', 'a prefix may span levels');
  t.equal(
    buildTopic('<prefix>/<node>/rules/<rule>/state', { prefix: 'p', node: 'n', rule: 'r' }),
    'p/n/rules/r/state',
  );
});

t.test('topic parts that would break the topic tree are refused with the reason', async (t) => {
  const cases: [string, string, string, RegExp][] = [
    ['', 'n', 'prefix', /is empty/],
    ['p/', 'n', 'prefix', /empty level/],
    ['a//b', 'n', 'prefix', /empty level/],
    ['p/#', 'n', 'prefix', /wildcard/],
    ['$SYS', 'n', 'prefix', /reserved for the broker/],
    ['p', 'a/b', 'node', /contains "\/"/],
    ['p', 'n+', 'node', /wildcard/],
  ];
  for (const [prefix, node, which, reason] of cases) {
    t.throws(
      () => nodeTopics(prefix, node),
      { code: 'CONFIG_INVALID', message: reason },
      `${which} "${prefix}"/"${node}"`,
    );
    t.throws(() => nodeTopics(prefix, node), { message: new RegExp(`topic ${which} "`) });
  }
  const topics = nodeTopics('p', 'n');
  t.throws(() => topics.ruleState('a/b'), { code: 'CONFIG_INVALID', context: { rule: 'a/b' } });
  t.throws(() => topics.sensorStatus('#'), { code: 'CONFIG_INVALID' });
});

t.test('retain and QoS per topic', async (t) => {
  const table = Object.fromEntries(TOPIC_TEMPLATES.map((k) => [k, [TOPICS[k].retain, TOPICS[k].qos]]));
  t.same(table, {
    '<prefix>/<node>/status': [true, 1],
    '<prefix>/<node>/events': [false, 1],
    '<prefix>/<node>/rules/<rule>/state': [true, 1],
    '<prefix>/<node>/rules/<rule>/score': [false, 0],
    '<prefix>/<node>/sensors/<sensor>/status': [true, 1],
  });
});

t.test('payload codecs', async (t) => {
  const status = TOPICS['<prefix>/<node>/status'];
  t.equal(status.encode('online'), 'online');
  t.equal(status.decode('offline'), 'offline');
  t.throws(() => status.decode('ONLINE'), RangeError);
  const state = TOPICS['<prefix>/<node>/rules/<rule>/state'];
  t.equal(state.decode('ON'), 'ON');
  t.throws(() => state.decode('on'), /is not one of ON, OFF/);
  const sensor = TOPICS['<prefix>/<node>/sensors/<sensor>/status'];
  t.equal(sensor.decode('degraded'), 'degraded');
  t.throws(() => sensor.decode('broken'), /ok, degraded, down/);

  const score = TOPICS['<prefix>/<node>/rules/<rule>/score'];
  t.equal(score.encode(0.912345), '0.9123');
  t.equal(score.encode(0.00004), '0');
  t.equal(score.encode(1), '1');
  t.equal(score.decode('0.9123'), 0.9123);
  for (const bad of [-0.1, 1.01, Number.NaN]) t.throws(() => score.encode(bad), RangeError, `encode ${bad}`);
  for (const bad of ['1.5', '-0', 'abc', '', '1e-3'])
    t.throws(() => score.decode(bad), RangeError, `decode "${bad}"`);

  const events = TOPICS['<prefix>/<node>/events'];
  const e = sampleEvent();
  t.same(events.decode(events.encode(e)), { ...e, score: 0.9123 });
});

t.test('matchTopic maps a received topic back to its template', async (t) => {
  t.same(matchTopic('home/bs', 'home/bs/kitchen/rules/person/state'), {
    template: '<prefix>/<node>/rules/<rule>/state',
    params: { prefix: 'home/bs', node: 'kitchen', rule: 'person' },
  });
  t.same(matchTopic('bs', 'bs/kitchen/status')?.template, '<prefix>/<node>/status');
  t.equal(matchTopic('bs', 'bs/kitchen/rules/person/colour'), undefined);
  t.equal(matchTopic('bs', 'other/kitchen/status'), undefined);
  t.equal(matchTopic('bs', 'bs//status'), undefined);
});

/** DESIGN.md "MQTT contract" is the human-readable copy of TOPICS; they must agree (style.md §9). */
const designPath = ['DESIGN.md', 'docs/DESIGN.md', '../shared/DESIGN.md']
  .map((p) => new URL(`../../${p}`, import.meta.url))
  .find((p) => existsSync(p));
const skipDesign = designPath
  ? false
  : 'DESIGN.md not found next to the repository (looked in ./, docs/, ../shared/)';

t.test('the DESIGN.md topic table matches TOPICS', { skip: skipDesign }, async (t) => {
  const text = readFileSync(designPath ?? '', 'utf8');
  const section = text.slice(text.indexOf('## MQTT contract'));
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map(([, topic, , flags]) => ({ topic: topic.replaceAll('`', ''), flags }))
    .filter((r) => !r.topic.startsWith('homeassistant/'));
  t.ok(rows.length > 0, 'found the table');
  t.same(rows.map((r) => r.topic).sort(), [...TOPIC_TEMPLATES].sort(), 'same topics');
  for (const { topic, flags } of rows) {
    const spec = TOPICS[topic as TopicTemplate];
    if (!spec) continue;
    t.equal(/retained/.test(flags), spec.retain, `${topic} retain`);
    t.equal(Number(/(\d)\s*$/.exec(flags)?.[1]), spec.qos, `${topic} QoS`);
  }
});
