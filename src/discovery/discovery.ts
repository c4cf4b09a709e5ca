/**
 * Keeps Home Assistant's discovery configs for one node in line with its rules and sensors
 * (style.md §14, after zigbee2mqtt's homeassistant extension, without its size):
 *
 * - On every connection it subscribes to the node's discovery topics and collects the retained
 *   configs the broker holds. To know when they have all arrived it publishes a token to
 *   `<prefix>/<node>/discovery/sync` and waits for it to come back: the broker queues our
 *   messages in order, so the token arrives after the retained configs (Mosquitto queues them
 *   FIFO per client). aedes streams retained messages asynchronously and may deliver the token
 *   first; configs are then written again although unchanged, which is harmless, and the
 *   embedded broker starts empty with each agent anyway. syncTimeoutMs bounds the wait.
 * - Then it reconciles: publishes (retained, QoS 1) each config whose text differs from the one
 *   retained, and clears with an empty retained payload each retained config under the node that
 *   no longer applies (a rule or sensor removed), which is how Home Assistant deletes an entity
 *   (https://www.home-assistant.io/integrations/mqtt/#discovery-payload).
 * - When Home Assistant announces itself on `<discovery prefix>/status` with "online" (its birth
 *   message), every config is published again after a short random delay, as its docs recommend
 *   (https://www.home-assistant.io/integrations/mqtt/#birth-and-last-will-messages).
 * - update() with new rules (hot reload) republishes what changed and clears what went away.
 *
 * Configs are connection-scoped (Publisher.publishDirect): never stored in the outbox.
 */
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { MessageHandler } from '../publish/subscriptions.js';
import { type Clock, systemClock } from '../publish/timers.js';
import type { NodeTopics, QoS } from '../publish/topics.js';
import { type DiscoveryContext, discoveryRecords, nodeDiscoveryFilter } from './builders.js';

/** What discovery needs from the Publisher. */
export interface DiscoveryPublisher {
  readonly topics: NodeTopics;
  subscribe(filter: string, handler: MessageHandler): void;
  onConnect(listener: () => void): void;
  publishDirect(topic: string, payload: string, opts: { qos: QoS; retain: boolean }): Promise<boolean>;
  stats(): { connected: boolean };
}

export interface HaDiscoveryOptions {
  publisher: DiscoveryPublisher;
  node: string;
  /** Home Assistant's discovery prefix. */
  prefix: string;
  version: string;
  configurationUrl?: string;
  /** What to discover at start; update() changes it. */
  rules: readonly { id: string }[];
  sensors: readonly { id: string }[];
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** Upper bound of the random delay before republishing on Home Assistant's birth message. Default 2000. */
  birthJitterMs?: number;
  /** Longest wait for the retained configs after connecting. Default 3000. */
  syncTimeoutMs?: number;
}

export interface DiscoveryStats {
  /** Configs written (new or changed, or again after Home Assistant's birth message). */
  published: number;
  /** Configs already retained with the same text, so not written again. */
  unchanged: number;
  /** Retained configs cleared because they no longer apply. */
  cleared: number;
  /** Writes that failed (the next connection reconciles again). */
  failed: number;
  /** Home Assistant birth messages seen. */
  births: number;
}

export class HaDiscovery {
  readonly #opts: HaDiscoveryOptions;
  readonly #ctx: DiscoveryContext;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #syncTopic: string;
  readonly #filter: string;
  /** topic → payload of every config that should be retained. */
  #desired = new Map<string, string>();
  /** topic → payload of the configs retained on the broker under this node, as far as we know. */
  readonly #retained = new Map<string, string>();
  #token = '';
  #synced = false;
  #cancelSync: (() => void) | undefined;
  #cancelBirth: (() => void) | undefined;
  #closed = false;
  readonly #n: DiscoveryStats = { published: 0, unchanged: 0, cleared: 0, failed: 0, births: 0 };

  constructor(opts: HaDiscoveryOptions) {
    this.#opts = opts;
    const { publisher } = opts;
    this.#ctx = {
      prefix: opts.prefix,
      node: opts.node,
      topics: publisher.topics,
      version: opts.version,
      configurationUrl: opts.configurationUrl,
    };
    this.#log = (opts.logger ?? pino({ level: 'silent' })).child({ ns: 'bindsight:discovery' });
    this.#clock = opts.clock ?? systemClock;
    this.#filter = nodeDiscoveryFilter(opts.prefix, opts.node);
    this.#syncTopic = `${publisher.topics.status.slice(0, -'status'.length)}discovery/sync`;
    this.#desired = this.#build(opts.rules, opts.sensors);
    publisher.subscribe(this.#filter, (payload, _retained, topic) => this.#onConfig(topic, payload));
    publisher.subscribe(this.#syncTopic, (payload) => this.#onSync(payload));
    publisher.subscribe(`${opts.prefix}/status`, (payload, retained) => this.#onHaStatus(payload, retained));
    publisher.onConnect(() => this.#onConnect());
    if (publisher.stats().connected) this.#onConnect();
  }

  /** Sets the rules and sensors to discover; publishes the difference now if connected, else on connect. */
  update(rules: readonly { id: string }[], sensors: readonly { id: string }[]): void {
    this.#desired = this.#build(rules, sensors);
    if (this.#synced) this.#reconcile(false);
  }

  #build(rules: readonly { id: string }[], sensors: readonly { id: string }[]): Map<string, string> {
    return new Map(discoveryRecords(this.#ctx, rules, sensors).map((r) => [r.topic, r.payload]));
  }

  stats(): DiscoveryStats {
    return { ...this.#n };
  }

  close(): void {
    this.#closed = true;
    this.#cancelSync?.();
    this.#cancelBirth?.();
  }

  #onConnect(): void {
    if (this.#closed) return;
    this.#synced = false;
    this.#retained.clear(); // the subscription is repeated on this connection: the broker sends them again
    this.#token = randomBytes(8).toString('hex');
    this.#cancelSync?.();
    this.#cancelSync = this.#clock.schedule(() => {
      this.#log.debug({ timeoutMs: this.#syncTimeout() }, 'no discovery sync token; reconciling anyway');
      this.#markSynced();
    }, this.#syncTimeout());
    void this.#opts.publisher.publishDirect(this.#syncTopic, this.#token, { qos: 1, retain: false });
  }

  #syncTimeout(): number {
    return this.#opts.syncTimeoutMs ?? 3000;
  }

  #onConfig(topic: string, payload: string): void {
    // Everything on the filter counts, our own publications included: the broker's retained
    // copy is the last retained publish. Only reconcile() writes, so two agents never fight.
    if (payload === '') this.#retained.delete(topic);
    else this.#retained.set(topic, payload);
  }

  #onSync(payload: string): void {
    if (payload === this.#token && !this.#synced) this.#markSynced();
  }

  #markSynced(): void {
    this.#cancelSync?.();
    this.#cancelSync = undefined;
    if (this.#synced || this.#closed) return;
    this.#synced = true;
    this.#reconcile(false);
  }

  #onHaStatus(payload: string, retained: boolean): void {
    // A retained "online" is an old birth replayed on subscribe; the connect already reconciles.
    if (payload !== 'online' || retained || this.#closed) return;
    this.#n.births++;
    this.#cancelBirth?.();
    const delay = Math.round((this.#opts.random ?? Math.random)() * (this.#opts.birthJitterMs ?? 2000));
    this.#log.info({ delayMs: delay }, 'Home Assistant came online; republishing discovery');
    this.#cancelBirth = this.#clock.schedule(() => {
      this.#cancelBirth = undefined;
      if (this.#synced) this.#reconcile(true);
    }, delay);
  }

  /** Writes what differs from the retained configs (everything if `all`) and clears what no longer applies. */
  #reconcile(all: boolean): void {
    const before = { ...this.#n };
    for (const [topic, payload] of this.#desired) {
      if (!all && this.#retained.get(topic) === payload) {
        this.#n.unchanged++;
        continue;
      }
      this.#retained.set(topic, payload);
      this.#n.published++;
      this.#write(topic, payload);
    }
    for (const topic of [...this.#retained.keys()]) {
      if (this.#desired.has(topic)) continue;
      this.#retained.delete(topic);
      this.#n.cleared++;
      this.#log.info({ topic }, 'removing a discovery config that no longer applies');
      this.#write(topic, '');
    }
    this.#log.info(
      {
        published: this.#n.published - before.published,
        unchanged: this.#n.unchanged - before.unchanged,
        cleared: this.#n.cleared - before.cleared,
      },
      'Home Assistant discovery up to date',
    );
  }

  #write(topic: string, payload: string): void {
    void this.#opts.publisher.publishDirect(topic, payload, { qos: 1, retain: true }).then((ok) => {
      if (ok) return;
      this.#n.failed++;
      this.#log.warn({ topic }, 'discovery config not acknowledged; it is sent again on the next connection');
    });
  }
}
