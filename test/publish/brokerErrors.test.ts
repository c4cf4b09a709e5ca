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
  ]) {
    const e = brokerError(sysErr(code), ctx);
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
    message: /connection closed before CONNACK \(if the port expects TLS, use mqtts:\/\/\)/,
  });
});

t.test('TLS handshake failures → BROKER_TLS, each with its fix', async (t) => {
  const tctx = { url: 'mqtts://broker.lan:8883', connectTimeoutMs: 5000 };
  const cases: Array<[string, string, RegExp]> = [
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', /set mqtt\.tls\.ca/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', /set mqtt\.tls\.ca/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', /set mqtt\.tls\.ca/],
    ['CERT_HAS_EXPIRED', 'certificate has expired', /renew the broker's certificate/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", /subjectAltName/],
  ];
  for (const [code, text, fix] of cases) {
    const e = brokerError(sysErr(code, text), tctx);
    t.match(e, {
      code: 'BROKER_TLS',
      message: `TLS: certificate verify failed for MQTT broker at mqtts://broker.lan:8883: ${text} (${code})`,
      context: { errno: code },
    });
    t.match(e.message, fix, `${code}: the fix`);
  }
  t.match(brokerError(sysErr('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'alert'), tctx), {
    code: 'BROKER_TLS',
    message: /requires a client certificate .*set mqtt\.tls\.cert and mqtt\.tls\.key/,
  });
  t.match(brokerError(sysErr('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca'), tctx), {
    code: 'BROKER_TLS',
    message: /rejected the handshake: tlsv1 alert unknown ca .*signed by a CA the broker trusts/,
  });
  t.match(brokerError(sysErr('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), tctx), {
    code: 'BROKER_TLS',
    message: /is the port a TLS listener\?/,
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
