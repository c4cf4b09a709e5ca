/**
 * What the Publisher must do on any broker (style.md §13: one suite, several brokers):
 * run against Mosquitto in publisher.test.ts and against the embedded aedes broker in
 * broker.test.ts. Everything is checked on the wire, by a real subscriber.
 */
import type { Test } from 'tap';
import { createEvent, type EventInput, eventSchema } from '../../src/publish/event.js';
import { Publisher, type PublisherOptions } from '../../src/publish/publisher.js';
import { until } from './poll.js';
import { retainedOn, subscribe } from './subscriber.js';
import { startProxy } from './tcpProxy.js';

/** Wire tests wait for messages; one that never comes fails here, not at tap's file timeout. */
const WIRE = { timeout: 15_000 };

export interface BrokerUnderTest {
  url: string;
  host: string;
  port: number;
}

const T0 = BigInt(Date.parse('2026-11-29T10:01:31.123Z')) * 1_000_000n; // capture time, ns

export function sampleEvent(over: Partial<EventInput> = {}): ReturnType<typeof createEvent> {
  return createEvent({
    node: 'kitchen',
    rule: 'person',
    prompt: 'a person',
    type: 'start',
    score: 0.912345,
    sensors: ['thermal0'],
    modality: ['thermal'],
    t: T0,
    model: 'demo@1.0.0',
    ...over,
  });
}

export function makePublisher(t: Test, url: string, over: Partial<PublisherOptions> = {}): Publisher {
  const pub = new Publisher({
    url,
    prefix: 'bs',
    node: 'kitchen',
    scoreIntervalMs: 0,
    backoff: { initialMs: 50, maxMs: 200 },
    ...over,
  });
  t.teardown(() => pub.close());
  return pub;
}

export function publisherContract(t: Test, start: (t: Test) => Promise<BrokerUnderTest>): void {
  t.test(
    'events arrive on <prefix>/<node>/events, QoS 1, not retained, valid against the schema',
    WIRE,
    async (t) => {
      const broker = await start(t);
      const sub = await subscribe(t, broker.url, 'bs/kitchen/events');
      const pub = makePublisher(t, broker.url);
      await pub.connect();
      const e = sampleEvent();
      t.equal(await pub.publishEvent(e), 'acked', 'resolves on PUBACK');
      const m = await sub.next((r) => r.topic === 'bs/kitchen/events');
      t.same(
        eventSchema.parse(JSON.parse(m.payload)),
        { ...e, score: 0.9123 },
        'same event, score rounded to 4 decimals',
      );
      t.equal(m.qos, 1);
      t.equal(m.retain, false);
    },
  );

  t.test('status is online (retained) after connect and offline (retained) after close', WIRE, async (t) => {
    const broker = await start(t);
    const pub = makePublisher(t, broker.url);
    await pub.connect();
    t.equal((await retainedOn(t, broker.url, 'bs/kitchen/status')).payload, 'online');
    await pub.close();
    await pub.close(); // idempotent
    t.equal((await retainedOn(t, broker.url, 'bs/kitchen/status')).payload, 'offline');
    const stats = pub.stats();
    t.equal(stats.connected, false);
    t.equal(stats.dropped, 0);
    t.equal(stats.acked, 2, 'online and offline acknowledged');
    t.equal(
      await pub.publishEvent(sampleEvent()),
      'dropped',
      'publishing after close is refused, not lost silently',
    );
    t.equal(pub.stats().dropped, 1);
  });

  t.test('rule state and sensor status are retained, QoS 1', WIRE, async (t) => {
    const broker = await start(t);
    const pub = makePublisher(t, broker.url);
    await pub.connect();
    t.equal(await pub.publishRuleState('person', true), 'acked');
    t.equal(await pub.publishSensorStatus('thermal0', 'degraded'), 'acked');
    const state = await retainedOn(t, broker.url, 'bs/kitchen/rules/person/state');
    t.match(state, { payload: 'ON', retain: true, qos: 1 });
    t.equal((await retainedOn(t, broker.url, 'bs/kitchen/sensors/thermal0/status')).payload, 'degraded');
    t.equal(await pub.publishRuleState('person', false), 'acked');
    t.equal((await retainedOn(t, broker.url, 'bs/kitchen/rules/person/state')).payload, 'OFF');
  });

  t.test('scores are rate limited per rule and the latest one is never lost', WIRE, async (t) => {
    const broker = await start(t);
    const sub = await subscribe(t, broker.url, 'bs/kitchen/rules/+/score');
    const pub = makePublisher(t, broker.url, { scoreIntervalMs: 200 });
    await pub.connect();
    for (const s of [0.1, 0.2, 0.3, 0.41234]) pub.publishScore('person', s);
    pub.publishScore('fall', 0.7);
    const person = await sub.collect((m) => m.topic === 'bs/kitchen/rules/person/score', 2);
    t.same(
      person.map((m) => m.payload),
      ['0.1', '0.4123'],
      'first at once, then the latest when the interval elapsed',
    );
    t.equal(person[0].qos, 0);
    t.equal(person[0].retain, false);
    t.equal(
      (await sub.next((m) => m.topic === 'bs/kitchen/rules/fall/score')).payload,
      '0.7',
      'rules are independent',
    );
    t.equal(pub.stats().scoresSuperseded, 2);
    // The latest score still pending when close() is called goes out before "offline".
    pub.publishScore('person', 0.5);
    pub.publishScore('person', 0.6);
    await pub.close();
    await sub.next((m) => m.topic === 'bs/kitchen/rules/person/score' && m.payload === '0.6');
    t.notOk(
      sub.messages.some((m) => m.payload === '0.2' || m.payload === '0.3'),
      'intermediate scores were not published',
    );
    t.throws(
      () => pub.publishScore('person', 1.5),
      RangeError,
      'a score outside [0, 1] is a bug, refused at once',
    );
  });

  t.test('the last will "offline" is published when the connection dies without close()', WIRE, async (t) => {
    const broker = await start(t);
    const proxy = await startProxy(t, broker);
    const sub = await subscribe(t, broker.url, 'bs/kitchen/status');
    const pub = makePublisher(t, proxy.url);
    await pub.connect();
    await sub.next((m) => m.payload === 'online');
    // The broker sees its socket close without DISCONNECT; the publisher cannot reconnect yet.
    await proxy.refuse();
    await sub.next((m) => m.payload === 'offline');
    t.equal(
      (await retainedOn(t, broker.url, 'bs/kitchen/status')).payload,
      'offline',
      'the will is retained',
    );
    await until(() => pub.stats().failedAttempts >= 1);
    await proxy.accept();
    await sub.collect((m) => m.payload === 'online', 2);
    t.same(
      sub.messages.map((m) => m.payload),
      ['online', 'offline', 'online'],
      'online again after the reconnect',
    );
    t.equal(pub.stats().reconnects, 1);
    t.equal(pub.stats().connected, true);
  });
}
