/**
 * The mqtt config keys of issue #10: defaults, the checks across keys (located at the key to
 * fix), and relative paths resolved against the config file's folder.
 */
import { join } from 'node:path';
import t from 'tap';
import { loadConfig, parseConfig } from '../../src/config/load.js';

const base = 'sensors: [{ id: t0, driver: replay, modality: thermal, files: [a.csv] }]\n';

t.test('defaults: durable outbox, discovery on, start offline', async (t) => {
  const { mqtt } = parseConfig(base, 'c.yaml', {});
  t.same(mqtt.outbox, { durable: true, maxMessages: 100_000, maxBytes: 64 * 1024 * 1024, maxAgeHours: 168 });
  t.same(mqtt.discovery, { enabled: true, prefix: 'homeassistant' });
  t.equal(mqtt.startOffline, true);
  t.equal(mqtt.tls, undefined);
  t.same(mqtt.embedded, { host: '127.0.0.1', port: 1883 }, 'the embedded broker listens on loopback');
});

t.test('checks across keys name the key to fix', async (t) => {
  const bad = (mqtt: string) => {
    try {
      parseConfig(`${base}mqtt: ${mqtt}\n`, 'c.yaml', {});
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };
  t.match(
    bad('{ password: a, passwordFile: pw }'),
    /mqtt\.passwordFile: give either password or passwordFile/,
  );
  t.match(bad('{ url: "mqtt://h:1883", tls: { ca: ca.crt } }'), /mqtt\.tls: tls applies to mqtts:\/\/ URLs/);
  t.match(bad('{ tls: { ca: ca.crt } }'), /mqtt\.tls: tls applies to mqtts:\/\/ URLs; url is "embedded"/);
  t.match(
    bad('{ url: "mqtts://h:8883", tls: { cert: c.crt } }'),
    /mqtt\.tls\.key: a client certificate needs both cert and key/,
  );
  t.match(bad('{ discovery: { configurationUrl: "ftp://x" } }'), /mqtt\.discovery\.configurationUrl/);
  t.match(bad('{ outbox: { maxMessages: 0 } }'), /mqtt\.outbox\.maxMessages/);
  t.match(bad('{ discovery: { prefix: "ha/#" } }'), /mqtt\.discovery\.prefix: .*without wildcards/);
  t.match(bad('{ discovery: { prefix: "ha//x" } }'), /mqtt\.discovery\.prefix: .*empty levels/);
  t.equal(bad('{ url: "mqtts://bob:pw@h:8883", tls: { ca: ca.crt, cert: c.crt, key: c.key } }'), 'accepted');
});

t.test('tls files, passwordFile and outbox.path are relative to the config file', async (t) => {
  const dir = t.testdir({
    'c.yaml': `${base}mqtt:
  url: mqtts://h:8883
  passwordFile: secrets/pw
  tls: { ca: certs/ca.crt, cert: /etc/c.crt, key: certs/c.key }
  outbox: { path: state/outbox.sqlite }
`,
  });
  const { config } = await loadConfig(join(dir, 'c.yaml'));
  t.equal(config.mqtt.passwordFile, join(dir, 'secrets/pw'));
  t.same(config.mqtt.tls, {
    ca: join(dir, 'certs/ca.crt'),
    cert: '/etc/c.crt',
    key: join(dir, 'certs/c.key'),
    rejectUnauthorized: true,
  });
  t.equal(config.mqtt.outbox.path, join(dir, 'state/outbox.sqlite'));
});
