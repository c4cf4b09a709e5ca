/**
 * Everything the agent publishes through, built from the `mqtt` config section: the embedded
 * broker (url "embedded", on 127.0.0.1 unless configured otherwise), the outbox, the broker
 * credentials (password or password file, TLS files), the Publisher and Home Assistant
 * discovery. What was started is stopped again, in reverse, if a later step fails.
 */
import type { Logger } from 'pino';
import type { MqttConfig } from '../config/schema.js';
import { HaDiscovery } from '../discovery/discovery.js';
import { errorMessage } from '../errors.js';
import { openOutbox } from '../outbox/open.js';
import { VERSION } from '../version.js';
import { startEmbeddedBroker } from './broker.js';
import { redactUrl } from './brokerErrors.js';
import { loadTls, readPasswordFile } from './credentials.js';
import { Publisher } from './publisher.js';

export interface PublishingConfig {
  node: string;
  mqtt: MqttConfig;
  rules: readonly { id: string }[];
  sensors: readonly { id: string }[];
}

export interface Publishing {
  publisher: Publisher;
  /** Undefined when mqtt.discovery.enabled is false. */
  discovery: HaDiscovery | undefined;
  /** The broker URL in use (the embedded broker's, for "embedded"), without a password. */
  url: string;
  /** Closes discovery, the publisher (it sends "offline" and closes the outbox), then the embedded broker. */
  stop(): Promise<void>;
}

export async function startPublishing(cfg: PublishingConfig, logger: Logger): Promise<Publishing> {
  const { mqtt, node } = cfg;
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) {
      try {
        await s();
      } catch (err) {
        logger.error({ error: errorMessage(err) }, 'stopping MQTT publishing failed');
      }
    }
  };
  try {
    let url = mqtt.url;
    if (url === 'embedded') {
      const broker = await startEmbeddedBroker(mqtt.embedded);
      stops.push(() => broker.close());
      url = broker.url;
      logger.info({ url }, 'embedded MQTT broker listening');
    }
    const password = mqtt.passwordFile ? readPasswordFile(mqtt.passwordFile) : mqtt.password;
    const tls = loadTls(mqtt.tls);
    const outbox = openOutbox(mqtt.outbox, node);
    const publisher = new Publisher({
      url,
      prefix: mqtt.prefix,
      node,
      username: mqtt.username,
      password,
      clientId: mqtt.clientId,
      scoreIntervalMs: mqtt.scoreIntervalMs,
      logger,
      outbox,
      tls,
      offlineStart: mqtt.startOffline,
    });
    stops.push(() => publisher.close());
    const outboxStats = publisher.stats().outbox;
    logger.info(
      { durable: outboxStats.durable, path: outboxStats.path, messages: outboxStats.messages },
      'MQTT outbox open',
    );
    const discovery = mqtt.discovery.enabled
      ? new HaDiscovery({
          publisher,
          node,
          prefix: mqtt.discovery.prefix,
          version: VERSION,
          configurationUrl: mqtt.discovery.configurationUrl,
          rules: cfg.rules,
          sensors: cfg.sensors,
          logger,
        })
      : undefined;
    if (discovery) stops.push(() => discovery.close());
    await publisher.connect();
    return { publisher, discovery, url: redactUrl(url), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
