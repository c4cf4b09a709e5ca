/**
 * The Publisher through broker outages, against a real Mosquitto: messages queued while the
 * broker is away are delivered in order after the reconnect, the queue is bounded and what
 * it drops is counted, and close() during an outage neither hangs nor loses count.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import type { SendOutcome } from '../../src/publish/publisher.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { until, within } from './poll.js';
import { makePublisher, sampleEvent } from './publisherContract.js';
import { type Received, subscribe } from './subscriber.js';
import { startProxy } from './tcpProxy.js';

/** Wire tests wait for messages; one that never comes fails here, not at tap's file timeout. */
const WIRE = { timeout: 15_000 };

const isEvent = (m: Received): boolean => m.topic === 'bs/kitchen/events';
const promptOf = (m: Received): string => (JSON.parse(m.payload) as { prompt: string }).prompt;
/** QoS 1 is at least once: keep the first copy of each event id. */
function firstCopies(ms: readonly Received[]): Received[] {
  const seen = new Set<string>();
  return ms.filter((m) => {
    const id = (JSON.parse(m.payload) as { id: string }).id;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

t.test('broker stopped and restarted: QoS-1 events published meanwhile arrive, in order', WIRE, async (t) => {
  // Persistence keeps the subscriber's session across the restart, so nothing published
  // before it resubscribes is lost on its side; the publisher's side is what is under test.
  const broker = await startMosquitto(t, { persistence: true });
  const sub = await subscribe(t, broker.url, 'bs/kitchen/events', { clientId: 'outage-sub', clean: false });
  const pub = makePublisher(t, broker.url);
  await pub.connect();
  t.equal(await pub.publishEvent(sampleEvent({ prompt: 'e0' })), 'acked');
  await sub.next((m) => isEvent(m) && promptOf(m) === 'e0');

  await broker.stop();
  const outcomes: Promise<SendOutcome>[] = [];
  // Some of these may be written to the dying socket before the publisher notices the loss.
  for (let i = 1; i <= 10; i++) outcomes.push(pub.publishEvent(sampleEvent({ prompt: `e${i}` })));
  await until(() => !pub.stats().connected);
  for (let i = 11; i <= 20; i++) outcomes.push(pub.publishEvent(sampleEvent({ prompt: `e${i}` })));
  t.equal(pub.stats().queued + pub.stats().inFlight, 20, 'all 20 held while the broker is down');

  await broker.restart();
  t.same(
    await within(Promise.all(outcomes), 'the PUBACKs'),
    Array(20).fill('acked'),
    'every one acknowledged after the reconnect',
  );
  const got = await sub.collect((m) => isEvent(m) && promptOf(m) !== 'e0', 20);
  t.same(
    firstCopies(got).map(promptOf),
    Array.from({ length: 20 }, (_, i) => `e${i + 1}`),
    'in publish order',
  );
  const stats = pub.stats();
  t.equal(stats.reconnects, 1);
  t.equal(stats.dropped, 0);
  t.equal(stats.queued, 0);
  t.equal(stats.inFlight, 0);
});

t.test(
  'messages in flight when the connection dies are resent after the reconnect, in order',
  WIRE,
  async (t) => {
    const broker = await startMosquitto(t);
    const proxy = await startProxy(t, broker);
    const sub = await subscribe(t, broker.url, 'bs/kitchen/events');
    const pub = makePublisher(t, proxy.url, { maxInFlight: 4 });
    await pub.connect();
    await until(() => pub.stats().acked === 1); // "online"
    proxy.blackhole();
    const outcomes = Array.from({ length: 6 }, (_, i) =>
      pub.publishEvent(sampleEvent({ prompt: `f${i + 1}` })),
    );
    await until(() => pub.stats().inFlight === 4);
    t.match(
      pub.stats(),
      { inFlight: 4, queued: 2, published: 5 },
      'a window of 4 written (after "online"), 2 waiting',
    );
    proxy.cut();
    t.same(await within(Promise.all(outcomes), 'the PUBACKs'), Array(6).fill('acked'));
    const got = await sub.collect(isEvent, 6);
    t.same(firstCopies(got).map(promptOf), ['f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    t.match(pub.stats(), { resent: 4, dropped: 0, reconnects: 1 });
  },
);

t.test(
  'the in-memory queue is bounded: the oldest waiting messages are dropped and counted',
  WIRE,
  async (t) => {
    const broker = await startMosquitto(t);
    const proxy = await startProxy(t, broker);
    const sub = await subscribe(t, broker.url, 'bs/kitchen/#');
    const pub = makePublisher(t, proxy.url, { maxQueued: 5 });
    await pub.connect();
    await proxy.refuse();
    await until(() => !pub.stats().connected);

    const outcomes = Array.from({ length: 8 }, (_, i) =>
      pub.publishEvent(sampleEvent({ prompt: `q${i + 1}` })),
    );
    t.same(
      await within(Promise.all(outcomes.slice(0, 3)), 'the drops'),
      ['dropped', 'dropped', 'dropped'],
      'the 3 oldest are dropped',
    );
    t.match(pub.stats(), { dropped: 3, queued: 5 });

    await proxy.accept();
    t.same(await within(Promise.all(outcomes.slice(3)), 'the PUBACKs'), Array(5).fill('acked'));
    const got = await sub.collect(isEvent, 5);
    t.same(firstCopies(got).map(promptOf), ['q4', 'q5', 'q6', 'q7', 'q8']);
    t.equal(pub.stats().dropped, 3);
  },
);

t.test('close() during an outage returns, and counts what it could not deliver', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const proxy = await startProxy(t, broker);
  const pub = makePublisher(t, proxy.url);
  await pub.connect();
  await proxy.refuse();
  await until(() => pub.stats().failedAttempts >= 1);
  const pending = [pub.publishEvent(sampleEvent()), pub.publishRuleState('person', true)];
  pub.publishScore('person', 0.3);
  await pub.close();
  t.same(await Promise.all(pending), ['dropped', 'dropped']);
  t.match(pub.stats(), { connected: false, dropped: 2, queued: 0, inFlight: 0 });
  // Absence of a reconnect can only be seen by waiting: well past the 200 ms backoff cap.
  await proxy.accept();
  await sleep(600);
  t.equal(proxy.open, 0, 'no reconnect after close()');
});

t.test('scores while disconnected: only the latest per rule is sent after the reconnect', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const proxy = await startProxy(t, broker);
  const sub = await subscribe(t, broker.url, 'bs/kitchen/rules/+/score');
  const pub = makePublisher(t, proxy.url);
  await pub.connect();
  await proxy.refuse();
  await until(() => !pub.stats().connected);
  for (const s of [0.1, 0.2, 0.3]) pub.publishScore('person', s);
  await proxy.accept();
  const m = await sub.next((r) => r.topic === 'bs/kitchen/rules/person/score');
  t.equal(m.payload, '0.3');
  t.same(
    sub.messages.map((r) => r.payload),
    ['0.3'],
    'the earlier ones were not sent',
  );
  t.equal(pub.stats().dropped, 0, 'a superseded QoS-0 score is not a drop');
});
