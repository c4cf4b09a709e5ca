/**
 * The embedded aedes broker: it carries the same traffic as Mosquitto (the shared publisher
 * contract), listens on a free port for port 0, says clearly when its port is taken, and
 * closes promptly with clients still connected.
 */
import { connect as netConnect } from 'node:net';
import { connect as mqttConnect } from 'mqtt';
import t from 'tap';
import { isBindsightError } from '../../src/errors.js';
import { startEmbeddedBroker } from '../../src/publish/broker.js';
import { makePublisher, publisherContract, sampleEvent } from './publisherContract.js';
import { subscribe } from './subscriber.js';

/** Wire tests wait for messages; one that never comes fails here, not at tap's file timeout. */
const WIRE = { timeout: 15_000 };

t.test('contract on the embedded broker', async (t) => {
  publisherContract(t, async (t) => {
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    t.teardown(broker.close);
    return { url: broker.url, host: '127.0.0.1', port: broker.port };
  });
});

t.test('port 0 picks a free port and the url points at it', WIRE, async (t) => {
  const a = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
  t.teardown(a.close);
  const b = await startEmbeddedBroker({ host: '0.0.0.0', port: 0 });
  t.teardown(b.close);
  t.not(a.port, 0);
  t.not(a.port, b.port);
  t.equal(a.url, `mqtt://127.0.0.1:${a.port}`);
  t.equal(b.url, `mqtt://127.0.0.1:${b.port}`, 'a wildcard listen address is reached on loopback');
  const pub = makePublisher(t, b.url);
  await pub.connect();
  t.equal(await pub.publishEvent(sampleEvent()), 'acked');
});

t.test('a port in use → BROKER_UNREACHABLE saying so and what to change', WIRE, async (t) => {
  const first = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
  t.teardown(first.close);
  const err = await startEmbeddedBroker({ host: '127.0.0.1', port: first.port }).catch((e: unknown) => e);
  t.ok(isBindsightError(err));
  t.match(err, {
    code: 'BROKER_UNREACHABLE',
    message: `cannot listen on 127.0.0.1:${first.port}: address in use; set mqtt.embedded.port or mqtt.url`,
    context: { port: first.port, errno: 'EADDRINUSE' },
  });
  const pub = makePublisher(t, first.url);
  await pub.connect();
  t.equal(await pub.publishRuleState('person', true), 'acked', 'the first broker still works');
});

t.test('close() ends client connections and the listener, once', WIRE, async (t) => {
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
  const sub = await subscribe(t, broker.url, '#', { reconnectPeriod: 0 });
  const subClosed = new Promise<void>((resolve) => sub.client.once('close', () => resolve()));
  // A socket that never sends CONNECT is not an aedes client yet; it must not keep the server open.
  const raw = netConnect({ host: '127.0.0.1', port: broker.port });
  await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
  const rawClosed = new Promise<void>((resolve) => raw.once('close', () => resolve()));

  await Promise.all([broker.close(), broker.close()]);
  await broker.close();
  await subClosed;
  await rawClosed;
  t.pass('subscriber and raw socket were disconnected');

  const late = mqttConnect(broker.url, { reconnectPeriod: 0, connectTimeout: 2000 });
  const err = await new Promise<Error>((resolve) => late.once('error', resolve));
  late.end(true);
  t.match(err, { code: 'ECONNREFUSED' }, 'nothing listens any more');
});
