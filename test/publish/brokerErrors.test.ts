/**
 * Classification of what mqtt.js reports. The real errors are produced on the wire in
 * publisher.test.ts; here every branch, including those a test broker cannot easily produce.
 */
import t from 'tap';
import { brokerError, redactUrl } from '../../src/publish/brokerErrors.js';

const ctx = { url: 'mqtt://bob:hunter2@broker.lan:1883', connectTimeoutMs: 5000 };
const sysErr = (code: string, message = code) => Object.assign(new Error(message), { code });
const connack = (code: number) => Object.assign(new Error(`Connection refused: ${code}`), { code });

t.test('redactUrl drops the password', async (t) => {
  t.equal(redactUrl('mqtt://bob:hunter2@broker.lan:1883'), 'mqtt://bob@broker.lan:1883');
  t.equal(redactUrl('mqtts://broker.lan:8883'), 'mqtts://broker.lan:8883');
  t.equal(redactUrl('not a url://bob:pw@x'), 'not a url://bob@x');
});

t.test('network errors → BROKER_UNREACHABLE', async (t) => {
  for (const [code, text] of [
    ['ECONNREFUSED', 'connection refused'],
    ['ENOTFOUND', 'host name not found (DNS)'],
    ['EHOSTUNREACH', 'host unreachable'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
  ]) {
    const e = brokerError(sysErr(code, 'self-signed certificate'), ctx);
    t.match(e, {
      code: 'BROKER_UNREACHABLE',
      message: `cannot reach MQTT broker at mqtt://bob@broker.lan:1883: ${text}`,
    });
    t.notMatch(e.message, /hunter2/);
    t.match(e.context, { errno: code });
  }
  t.match(brokerError(new Error('connack timeout'), ctx), {
    code: 'BROKER_UNREACHABLE',
    message: 'no answer from MQTT broker at mqtt://bob@broker.lan:1883 within 5000 ms',
  });
  t.match(brokerError(undefined, ctx), {
    code: 'BROKER_UNREACHABLE',
    message: /connection closed before CONNACK/,
  });
});

t.test('CONNACK refusals → BROKER_REFUSED naming the user and the fix', async (t) => {
  for (const rc of [4, 134]) {
    t.match(brokerError(connack(rc), ctx), {
      code: 'BROKER_REFUSED',
      message: `MQTT broker at mqtt://bob@broker.lan:1883 refused user "bob": bad username or password (CONNACK ${rc}); check mqtt.username and mqtt.password`,
      context: { username: 'bob', returnCode: rc },
    });
  }
  t.match(brokerError(connack(5), { ...ctx, url: 'mqtt://h:1883' }), {
    code: 'BROKER_REFUSED',
    message: /refused the connection \(no username given\): not authorized/,
  });
  t.match(brokerError(connack(2), ctx), {
    code: 'BROKER_REFUSED',
    message: /client id rejected.*check mqtt\.clientId/,
  });
  t.match(brokerError(connack(3), ctx), { code: 'BROKER_UNREACHABLE', message: /unavailable \(CONNACK 3/ });
});
