/** Every shipped config (config/default.yaml, config/examples/*.yaml) must load (style.md §10). */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadConfig } from '../../src/config/load.js';

const configDir = fileURLToPath(new URL('../../config/', import.meta.url));
/** The variables the examples take from the environment. */
const env = { MQTT_USERNAME: 'bindsight', MQTT_PASSWORD: 'p4ss: #"word' };

t.test('every example config is valid', async (t) => {
  const examples = (await readdir(`${configDir}examples`))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `examples/${f}`);
  t.ok(examples.includes('examples/home-assistant.yaml'), 'the examples folder is read');
  for (const name of ['default.yaml', ...examples]) {
    const loaded = await loadConfig(`${configDir}${name}`, env);
    t.ok(loaded.config.sensors.length > 0, `${name} loads`);
  }
});

t.test('the Home Assistant example takes its credentials from the environment', async (t) => {
  const { config } = await loadConfig(`${configDir}examples/home-assistant.yaml`, env);
  t.equal(config.mqtt.url, 'mqtt://homeassistant.local:1883');
  t.equal(config.mqtt.username, 'bindsight');
  t.equal(config.mqtt.password, env.MQTT_PASSWORD);
  await t.rejects(loadConfig(`${configDir}examples/home-assistant.yaml`, {}), {
    code: 'CONFIG_INVALID',
    message: /MQTT_USERNAME is not set[\s\S]*MQTT_PASSWORD is not set/,
  });
});
