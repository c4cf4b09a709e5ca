/**
 * The parts of the `mqtt` config section added by issue #10 (TLS, password file, outbox,
 * Home Assistant discovery), embedded by src/config/schema.ts in mqttSchema, and the checks that
 * span several keys (checkMqtt, run by the config schema's superRefine).
 */
import { z } from 'zod';

export const tlsSchema = z
  .strictObject({
    ca: z
      .string()
      .min(1)
      .optional()
      .describe("PEM CA certificate that signed the broker's certificate (default: the system's CAs)"),
    cert: z.string().min(1).optional().describe('PEM client certificate, for brokers that require one'),
    key: z.string().min(1).optional().describe('PEM private key of cert, unencrypted'),
    rejectUnauthorized: z
      .boolean()
      .default(true)
      .describe("verify the broker's certificate and host name; false only for tests"),
  })
  .describe('TLS for mqtts:// URLs; file paths are relative to the config file');

export const outboxSchema = z
  .strictObject({
    durable: z
      .boolean()
      .default(true)
      .describe(
        'keep unsent messages in a SQLite file that survives restarts and power cuts; false: in memory',
      ),
    path: z
      .string()
      .min(1)
      .optional()
      .describe(
        'the outbox file, relative to the config file (default: $STATE_DIRECTORY/<node>/outbox.sqlite under systemd, else ~/.local/state/bindsight/<node>/outbox.sqlite)',
      ),
    maxMessages: z
      .number()
      .int()
      .positive()
      .default(100_000)
      .describe(
        'messages waiting for the broker at most; beyond it the oldest are dropped (counted, logged)',
      ),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024)
      .describe('bytes (topics + payloads) waiting at most; beyond it the oldest are dropped'),
    maxAgeHours: z
      .number()
      .positive()
      .default(168)
      .describe('messages older than this are dropped instead of sent (default one week)'),
  })
  .describe('where events and state changes wait until the broker acknowledges them');

export const discoverySchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('publish Home Assistant MQTT discovery configs'),
    prefix: z
      .string()
      .min(1)
      .regex(/^[^+#\0$/][^+#\0]*$/, 'an MQTT topic prefix without wildcards, NUL or a leading "$" or "/"')
      .refine((p) => !p.split('/').some((l) => l === ''), 'an MQTT topic prefix without empty levels')
      .default('homeassistant')
      .describe("Home Assistant's discovery prefix (its MQTT integration option)"),
    configurationUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("the device's configuration_url in Home Assistant: an http(s) page of this agent"),
  })
  .describe('Home Assistant discovery: one device per node, entities per rule and sensor');

interface MqttKeys {
  url: string;
  password?: string;
  passwordFile?: string;
  tls?: { cert?: string; key?: string };
}

/** Cross-key checks of the mqtt section (at `path` in the config); each problem names the key to fix. */
export function checkMqtt(mqtt: MqttKeys, ctx: z.RefinementCtx, path: readonly string[] = []): void {
  if (mqtt.password !== undefined && mqtt.passwordFile !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'passwordFile'],
      message: 'give either password or passwordFile, not both',
    });
  if (mqtt.tls && !mqtt.url.startsWith('mqtts://'))
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'tls'],
      message: `tls applies to mqtts:// URLs; url is "${mqtt.url.replace(/\/\/[^@/]*@/, '//')}"`,
    });
  if (mqtt.tls && (mqtt.tls.cert === undefined) !== (mqtt.tls.key === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'tls', mqtt.tls.cert === undefined ? 'cert' : 'key'],
      message: 'a client certificate needs both cert and key',
    });
}

interface MqttPaths {
  passwordFile?: string;
  tls?: { ca?: string; cert?: string; key?: string };
  outbox: { path?: string };
}

/** A copy of the mqtt section with its file paths made absolute by `abs` (src/config/paths.ts). */
export function resolveMqttPaths<T extends MqttPaths>(mqtt: T, abs: (p: string) => string): T {
  const opt = (p: string | undefined) => (p === undefined ? undefined : abs(p));
  return {
    ...mqtt,
    ...(mqtt.passwordFile === undefined ? {} : { passwordFile: abs(mqtt.passwordFile) }),
    ...(mqtt.tls === undefined
      ? {}
      : { tls: { ...mqtt.tls, ca: opt(mqtt.tls.ca), cert: opt(mqtt.tls.cert), key: opt(mqtt.tls.key) } }),
    outbox: { ...mqtt.outbox, ...(mqtt.outbox.path === undefined ? {} : { path: abs(mqtt.outbox.path) }) },
  };
}
