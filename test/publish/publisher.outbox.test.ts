/**
 * The Publisher with the durable SQLite outbox, against a real Mosquitto: what was not
 * acknowledged survives the publisher and goes out first, in order, with its original payload;
 * rows go only on PUBACK; bounds drop the oldest (counted, logged once); the status is never
 * stored; an unreachable broker at start is not fatal with offlineStart.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import t, { type Test } from 'tap';
import { BindsightError } from '../../src/errors.js';
import { MemoryOutbox } from '../../src/outbox/memory.js';
import { SqliteOutbox } from '../../src/outbox/sqlite.js';
import type { OutboxMessage, StoredMessage } from '../../src/outbox/types.js';
import { decodeEvent } from '../../src/publish/event.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { until, within } from './poll.js';
import { makePublisher, sampleEvent } from './publisherContract.js';
import { type Received, subscribe } from './subscriber.js';
import { startProxy } from './tcpProxy.js';

const WIRE = { timeout: 20_000 };
const isEvent = (m: Received): boolean => m.topic === 'bs/kitchen/events';
const promptOf = (m: Received): string => decodeEvent(m.payload).prompt;

function storeIn(t: Test, dir: string, bounds = {}): SqliteOutbox {
  const store = new SqliteOutbox(join(dir, 'outbox.sqlite'), bounds);
  t.teardown(() => store.close());
  return store;
}

t.test(
  'unacknowledged messages outlive the publisher and go out first, in order, unchanged',
  WIRE,
  async (t) => {
    const broker = await startMosquitto(t);
    const proxy = await startProxy(t, broker);
    const dir = t.testdir({});
    const first = makePublisher(t, proxy.url, { outbox: storeIn(t, dir) });
    await first.connect();
    await proxy.refuse();
    await until(() => !first.stats().connected, 'the publisher to notice');
    const sent = [1, 2, 3, 4, 5].map((i) => sampleEvent({ prompt: `p${i}` }));
    const outcomes = sent.map((e) => first.publishEvent(e));
    const state = first.publishRuleState('person', true);
    await first.close();
    t.same(await Promise.all([...outcomes, state]), Array(6).fill('kept'), "'kept' for the next start");
    t.match(first.stats(), { dropped: 0, kept: 6 });

    const sub = await subscribe(t, broker.url, 'bs/kitchen/#');
    await proxy.accept();
    const second = makePublisher(t, proxy.url, { outbox: storeIn(t, dir) });
    t.match(second.stats(), { replayed: 6, queued: 6 });
    await second.connect();
    const later = sampleEvent({ prompt: 'p6' });
    t.equal(await second.publishEvent(later), 'acked');
    const got = await sub.collect(isEvent, 6);
    t.same(
      got.map((m) => decodeEvent(m.payload)),
      [...sent, later].map((e) => ({ ...e, score: 0.9123 })),
      'same ids, times and order; the old ones before the new one',
    );
    const stateMsg = await sub.next((m) => m.topic === 'bs/kitchen/rules/person/state');
    t.equal(stateMsg.payload, 'ON');
    await until(() => second.stats().outbox.messages === 0, 'the outbox to empty');
    t.match(second.stats(), { acked: 8, dropped: 0 }, '6 replayed + 1 new + "online"');
  },
);

t.test('a row is deleted only on PUBACK', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const proxy = await startProxy(t, broker);
  const sub = await subscribe(t, broker.url, 'bs/kitchen/events');
  const pub = makePublisher(t, proxy.url, { outbox: storeIn(t, t.testdir({})) });
  await pub.connect();
  await until(() => pub.stats().acked === 1, '"online" acknowledged');
  proxy.blackhole();
  const outcome = pub.publishEvent(sampleEvent({ prompt: 'held' }));
  await until(() => pub.stats().inFlight === 1, 'the write');
  t.match(pub.stats(), { inFlight: 1, outbox: { messages: 1 } }, 'written, not acknowledged: still stored');
  proxy.cut();
  t.equal(await within(outcome, 'the PUBACK after the reconnect'), 'acked');
  t.equal(promptOf(await sub.next(isEvent)), 'held');
  await until(() => pub.stats().outbox.messages === 0, 'the row to go');
  t.match(pub.stats(), { resent: 1, dropped: 0 });
});

t.test('bounds drop the oldest waiting messages: counted, logged at warn once per burst', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const proxy = await startProxy(t, broker);
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
  const pub = makePublisher(t, proxy.url, { outbox: storeIn(t, t.testdir({}), { maxMessages: 3 }), logger });
  await pub.connect();
  await proxy.refuse();
  await until(() => !pub.stats().connected, 'the publisher to notice');
  const outcomes = [1, 2, 3, 4, 5, 6].map((i) => pub.publishEvent(sampleEvent({ prompt: `b${i}` })));
  t.same(await Promise.all(outcomes.slice(0, 3)), ['dropped', 'dropped', 'dropped']);
  t.match(pub.stats(), { dropped: 3, queued: 3 });
  const warns = lines.filter((l) => l.includes('dropped MQTT messages'));
  t.equal(warns.length, 1, 'one warning for the burst');
  t.match(warns[0], /outbox full: more than 3 messages wait for the broker/);
  const sub = await subscribe(t, broker.url, 'bs/kitchen/events');
  await proxy.accept();
  t.same(await within(Promise.all(outcomes.slice(3)), 'the PUBACKs'), ['acked', 'acked', 'acked']);
  t.same((await sub.collect(isEvent, 3)).map(promptOf), ['b4', 'b5', 'b6']);
});

t.test('the node status is never stored: a stale "online" must not be replayed', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  const proxy = await startProxy(t, broker);
  const dir = t.testdir({});
  const pub = makePublisher(t, proxy.url, { outbox: storeIn(t, dir) });
  await pub.connect();
  await proxy.refuse();
  await until(() => !pub.stats().connected, 'the publisher to notice');
  void pub.publishSensorStatus('thermal0', 'down');
  await pub.close();
  const db = new Database(join(dir, 'outbox.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT topic, payload FROM outbox').all(), [
    { topic: 'bs/kitchen/sensors/thermal0/status', payload: 'down' },
  ]);
});

t.test('offlineStart: an unreachable broker at start is not fatal; a refusal still is', WIRE, async (t) => {
  const broker = await startMosquitto(t, { users: { bob: 'right-horse' } });
  const proxy = await startProxy(t, broker);
  await proxy.refuse();
  const pub = makePublisher(t, proxy.url, {
    outbox: storeIn(t, t.testdir({})),
    offlineStart: true,
    username: 'bob',
    password: 'right-horse',
  });
  await pub.connect();
  t.match(pub.stats(), { connected: false, failedAttempts: 1 }, 'resolved without a connection');
  const outcome = pub.publishEvent(sampleEvent({ prompt: 'early' }));
  const sub = await subscribe(t, broker.url, 'bs/kitchen/events', {
    username: 'bob',
    password: 'right-horse',
  });
  await proxy.accept();
  t.equal(await within(outcome, 'the PUBACK once the broker is reachable'), 'acked');
  t.equal(promptOf(await sub.next(isEvent)), 'early');
  t.equal(pub.stats().reconnects, 0, 'the first connection is not a reconnect');

  const wrong = makePublisher(t, broker.url, { offlineStart: true, username: 'bob', password: 'nope' });
  await t.rejects(wrong.connect(), { code: 'BROKER_REFUSED' });
  const nowhere = makePublisher(t, `mqtt://127.0.0.1:${await freePort()}`);
  await t.rejects(nowhere.connect(), { code: 'BROKER_UNREACHABLE' }, 'without offlineStart: rejected');
});

t.test('an outbox that cannot be written: dropped, counted, logged; publishing goes on', WIRE, async (t) => {
  const broker = await startMosquitto(t);
  let full = true;
  class FullDisk extends MemoryOutbox {
    override append(m: OutboxMessage, now: number): StoredMessage {
      if (full) throw new BindsightError('OUTBOX_FAILED', 'cannot append to the MQTT outbox x: disk full');
      return super.append(m, now);
    }
  }
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (l: string) => lines.push(l) });
  const pub = makePublisher(t, broker.url, { outbox: new FullDisk(), logger });
  await pub.connect();
  t.equal(await pub.publishEvent(sampleEvent()), 'dropped');
  t.match(pub.stats(), { dropped: 1 });
  t.match(lines.join(''), /dropped MQTT messages: cannot append to the MQTT outbox x: disk full/);
  full = false;
  t.equal(await pub.publishEvent(sampleEvent()), 'acked', 'works again once the disk has room');
});
