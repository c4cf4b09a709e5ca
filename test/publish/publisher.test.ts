/**
 * The Publisher against a real Mosquitto: the shared contract, then what needs Mosquitto
 * itself (password file) or a broker that is not there at all.
 */
import { createServer, type Socket } from 'node:net';
import pino from 'pino';
import t from 'tap';
import { isBindsightError } from '../../src/errors.js';
import { Publisher } from '../../src/publish/publisher.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { until } from './poll.js';
import { makePublisher, publisherContract } from './publisherContract.js';

/** Wire tests wait for messages; one that never comes fails here, not at tap's file timeout. */
const WIRE = { timeout: 15_000 };

t.test('contract on mosquitto', async (t) => {
  publisherContract(t, (t) => startMosquitto(t));
});

t.test('nothing listening → BROKER_UNREACHABLE naming the URL', WIRE, async (t) => {
  const url = `mqtt://127.0.0.1:${await freePort()}`;
  const pub = makePublisher(t, url);
  const err = await pub.connect().catch((e: unknown) => e);
  t.ok(isBindsightError(err), 'a BindsightError');
  t.match(err, {
    code: 'BROKER_UNREACHABLE',
    message: `cannot reach MQTT broker at ${url}: connection refused`,
  });
  t.notMatch(String((err as Error).message), /\n/, 'one line');
  t.equal(pub.stats().failedAttempts, 0, 'a failed first connect is not retried');
});

t.test('a server that never answers CONNECT → BROKER_UNREACHABLE after connectTimeoutMs', WIRE, async (t) => {
  const sockets = new Set<Socket>();
  const silent = createServer((s) => sockets.add(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const address = silent.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const pub = makePublisher(t, `mqtt://127.0.0.1:${port}`, { connectTimeoutMs: 300 });
  await t.rejects(pub.connect(), {
    code: 'BROKER_UNREACHABLE',
    message: `no answer from MQTT broker at mqtt://127.0.0.1:${port} within 300 ms`,
  });
});

t.test('close() while the first connection is pending rejects connect() and returns', WIRE, async (t) => {
  const silent = createServer(() => {});
  const sockets = new Set<Socket>();
  silent.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const address = silent.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const pub = makePublisher(t, `mqtt://127.0.0.1:${port}`);
  const connecting = pub.connect();
  await until(() => sockets.size > 0);
  await pub.close();
  await t.rejects(connecting, { code: 'BROKER_UNREACHABLE', message: /closed before connecting/ });
  await t.rejects(pub.connect(), { code: 'USAGE' });
});

t.test(
  'credentials: wrong password or none → BROKER_REFUSED, never showing the password',
  WIRE,
  async (t) => {
    const broker = await startMosquitto(t, { users: { bob: 'right-horse' } });
    const logs: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => logs.push(line) });
    const wrong = makePublisher(t, broker.url, { username: 'bob', password: 'wrong-staple', logger });
    const err = await wrong.connect().catch((e: unknown) => e);
    t.match(err, {
      code: 'BROKER_REFUSED',
      message: /refused user "bob": not authorized \(bad username or password/,
    });
    t.notMatch((err as Error).message, /wrong-staple|right-horse/);
    t.notMatch(JSON.stringify((err as { context: unknown }).context), /wrong-staple/);
    await wrong.close();
    t.ok(logs.length > 0, 'it logged');
    t.notMatch(logs.join(''), /wrong-staple/, 'not in the logs either');

    const inUrl = `mqtt://bob:wrong-staple@127.0.0.1:${broker.port}`;
    const err2 = await makePublisher(t, inUrl)
      .connect()
      .catch((e: unknown) => e);
    t.match(err2, {
      code: 'BROKER_REFUSED',
      message: `MQTT broker at mqtt://bob@127.0.0.1:${broker.port} refused user "bob"`,
    });
    t.notMatch((err2 as Error).message, /wrong-staple/);

    await t.rejects(makePublisher(t, broker.url).connect(), {
      code: 'BROKER_REFUSED',
      message: /refused the connection \(no username given\)/,
    });

    const right = makePublisher(t, broker.url, { username: 'bob', password: 'right-horse' });
    await right.connect();
    t.equal(right.stats().connected, true, 'the right password connects');
  },
);

t.test('bad config is refused before connecting', WIRE, async (t) => {
  const base = { prefix: 'bs', node: 'kitchen', scoreIntervalMs: 0 };
  t.throws(() => new Publisher({ ...base, url: 'embedded' }), {
    code: 'CONFIG_INVALID',
    message: /startEmbeddedBroker/,
  });
  t.throws(() => new Publisher({ ...base, url: 'http://h:1883' }), {
    code: 'CONFIG_INVALID',
    message: 'mqtt.url "http://h:1883" has protocol http:; use mqtt://host:1883 or mqtts://host:8883',
  });
  t.throws(() => new Publisher({ ...base, url: 'mqtt://h', prefix: 'bs/#' }), {
    code: 'CONFIG_INVALID',
    message: /wildcard/,
  });
  const pub = new Publisher({ ...base, url: 'mqtt://127.0.0.1:1' });
  t.throws(() => pub.publishRuleState('a/b', true), { code: 'CONFIG_INVALID', message: /rule "a\/b"/ });
  await pub.close();
});
