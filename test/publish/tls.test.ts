/**
 * mqtts against a real Mosquitto with a TLS listener that requires a client certificate, with
 * certificates generated here by openssl: the right CA and client certificate connect; a wrong
 * CA, a missing client certificate, refused credentials and an unreachable broker each give
 * their own error code and a message that says what to fix; secrets never show.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import pino from 'pino';
import t from 'tap';
import { EXIT_CODES } from '../../src/errors.js';
import { loadTls, readPasswordFile } from '../../src/publish/credentials.js';
import { decodeEvent } from '../../src/publish/event.js';
import { freePort } from '../helpers/ports.js';
import { makePublisher, sampleEvent } from './publisherContract.js';
import { type Certs, makeCerts, startTlsMosquitto } from './tlsBroker.js';

const WIRE = { timeout: 20_000 };

t.test('TLS', async (t) => {
  const certs: Certs = await makeCerts(t.testdir({}));
  const good = () =>
    loadTls({ ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, rejectUnauthorized: true });

  t.test('the CA and a client certificate it signed: connected, events delivered', WIRE, async (t) => {
    const broker = await startTlsMosquitto(t, certs);
    const tls = good();
    const sub = await connectAsync(broker.url, { ...tls, reconnectPeriod: 0 });
    t.teardown(() => sub.endAsync(true));
    const got = new Promise<string>((resolve) => sub.on('message', (_topic, p) => resolve(p.toString())));
    await sub.subscribeAsync('bs/kitchen/events', { qos: 1 });
    const pub = makePublisher(t, broker.url, { tls });
    await pub.connect();
    const e = sampleEvent();
    t.equal(await pub.publishEvent(e), 'acked');
    t.equal(decodeEvent(await got).id, e.id);
  });

  t.test('a broker certificate from another CA: BROKER_TLS "certificate verify failed"', WIRE, async (t) => {
    const broker = await startTlsMosquitto(t, certs);
    const tls = loadTls({
      ca: certs.otherCa,
      cert: certs.clientCert,
      key: certs.clientKey,
      rejectUnauthorized: true,
    });
    const err = await makePublisher(t, broker.url, { tls })
      .connect()
      .catch((e: unknown) => e);
    t.match(err, {
      code: 'BROKER_TLS',
      message: new RegExp(
        `^TLS: certificate verify failed for MQTT broker at mqtts://127\\.0\\.0\\.1:${broker.port}: .*; set mqtt\\.tls\\.ca to the CA certificate that signed the broker's certificate$`,
      ),
    });
    t.equal(EXIT_CODES.BROKER_TLS, 77, 'exit code 77 (EX_NOPERM), like refused credentials');
  });

  t.test('no client certificate where the broker requires one: BROKER_TLS', WIRE, async (t) => {
    const broker = await startTlsMosquitto(t, certs);
    const tls = loadTls({ ca: certs.ca, rejectUnauthorized: true });
    const err = await makePublisher(t, broker.url, { tls })
      .connect()
      .catch((e: unknown) => e);
    t.match(err, { code: 'BROKER_TLS', message: /requires a client certificate|rejected the handshake/ });
    t.match((err as Error).message, /mqtt\.tls\.cert/, 'names the keys to set');
  });

  t.test('password from a file over TLS: refused → BROKER_REFUSED, never showing it', WIRE, async (t) => {
    const broker = await startTlsMosquitto(t, certs, { users: { bob: 'right-horse' } });
    const dir = t.testdir({ 'wrong.pw': 'wrong-staple\n', 'right.pw': 'right-horse\n' });
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (l: string) => lines.push(l) });
    const password = readPasswordFile(join(dir, 'wrong.pw'));
    t.equal(password, 'wrong-staple', 'the trailing newline is not part of it');
    const wrong = makePublisher(t, broker.url, { tls: good(), username: 'bob', password, logger });
    const err = await wrong.connect().catch((e: unknown) => e);
    t.match(err, { code: 'BROKER_REFUSED', message: /refused user "bob": not authorized/ });
    await wrong.close();
    t.notMatch(
      `${(err as Error).message} ${JSON.stringify((err as { context: unknown }).context)}`,
      /wrong-staple/,
    );
    t.notMatch(lines.join(''), /wrong-staple/, 'not in the logs');
    const right = makePublisher(t, broker.url, {
      tls: good(),
      username: 'bob',
      password: readPasswordFile(join(dir, 'right.pw')),
    });
    await right.connect();
    t.equal(right.stats().connected, true);
  });

  t.test('nothing listening: BROKER_UNREACHABLE, not a TLS error', WIRE, async (t) => {
    const url = `mqtts://127.0.0.1:${await freePort()}`;
    await t.rejects(makePublisher(t, url, { tls: good() }).connect(), {
      code: 'BROKER_UNREACHABLE',
      message: /connection refused/,
    });
  });

  t.test('plain mqtt:// to the TLS port: unreachable, with the hint to use mqtts://', WIRE, async (t) => {
    const broker = await startTlsMosquitto(t, certs);
    await t.rejects(
      makePublisher(t, `mqtt://127.0.0.1:${broker.port}`, { connectTimeoutMs: 3000 }).connect(),
      {
        code: 'BROKER_UNREACHABLE',
        message: /\(if the port expects TLS, use mqtts:\/\/\)/,
      },
    );
  });
});

t.test('unusable TLS or password files are refused at start, naming the key and the file', async (t) => {
  const dir = t.testdir({ certs: {}, 'not.pem': 'hello', 'empty.pw': '\n', 'crlf.pw': 'pa ss\r\n' });
  const certs = await makeCerts(join(dir, 'certs'));
  t.throws(() => loadTls({ ca: join(dir, 'missing.crt'), rejectUnauthorized: true }), {
    code: 'CONFIG_INVALID',
    message: new RegExp(`^mqtt\\.tls\\.ca: cannot read ${join(dir, 'missing.crt')}`),
  });
  t.throws(() => loadTls({ ca: join(dir, 'not.pem'), rejectUnauthorized: true }), {
    code: 'CONFIG_INVALID',
    message: /mqtt\.tls\.ca: .*not\.pem is not a PEM file/,
  });
  t.throws(() => loadTls({ cert: certs.clientCert, key: certs.serverKey, rejectUnauthorized: true }), {
    code: 'CONFIG_INVALID',
    message: /mqtt\.tls: the CA, certificate or key cannot be used/,
  });
  t.equal(loadTls(undefined), undefined);
  t.throws(() => readPasswordFile(join(dir, 'empty.pw')), { code: 'CONFIG_INVALID', message: /is empty/ });
  t.throws(() => readPasswordFile(join(dir, 'nope.pw')), {
    code: 'CONFIG_INVALID',
    message: /mqtt\.passwordFile/,
  });
  t.equal(readPasswordFile(join(dir, 'crlf.pw')), 'pa ss', 'one CRLF stripped, inner spaces kept');
  writeFileSync(join(dir, 'two.pw'), 'secret\n\n');
  t.equal(readPasswordFile(join(dir, 'two.pw')), 'secret\n', 'only one trailing newline is stripped');
});
