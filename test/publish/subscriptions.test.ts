/** Topic filters with MQTT wildcards (MQTT 3.1.1 §4.7), as the publisher's subscriptions use them. */
import t from 'tap';
import { Subscriptions, topicMatches } from '../../src/publish/subscriptions.js';

t.test('topicMatches follows MQTT 3.1.1 §4.7', async (t) => {
  const cases: Array<[string, string, boolean]> = [
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+/c', 'a/b/c', true],
    ['a/#', 'a', true], // §4.7.1.2: "sport/#" also matches "sport"
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
    ['+/+', 'a', false],
    ['homeassistant/+/kitchen/+/config', 'homeassistant/sensor/kitchen/score_x/config', true],
    ['homeassistant/+/kitchen/+/config', 'homeassistant/sensor/hall/score_x/config', false],
    ['#', '$SYS/broker/uptime', false], // §4.7.2
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
  ];
  for (const [filter, topic, expected] of cases)
    t.equal(topicMatches(filter, topic), expected, `${filter} ~ ${topic}`);
});

t.test('dispatch calls every matching handler with payload, retained flag and topic', async (t) => {
  const subs = new Subscriptions();
  const got: string[] = [];
  subs.set('a/+', (p, r, topic) => got.push(`plus ${topic} ${p} ${r}`));
  subs.set('a/#', (p, _r, topic) => got.push(`hash ${topic} ${p}`));
  subs.set('b', () => got.push('b'));
  subs.dispatch('a/x', 'hi', true);
  t.same(got, ['plus a/x hi true', 'hash a/x hi']);
  t.same(subs.filters, ['a/+', 'a/#', 'b']);
});
