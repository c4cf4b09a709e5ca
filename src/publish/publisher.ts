/**
 * Publishes the MQTT contract (topics.ts) for one node: status with last will, events, rule
 * state and score, sensor status. It owns the broker link's lifecycle: a fresh connection per
 * attempt (link.ts), reconnects with capped exponential backoff and jitter, a clean close.
 * Queueing, resending and counting of data messages are delivery.ts's job.
 *
 * Every data message goes through #publish() → Delivery.send(): the one path where the
 * durable outbox will go. The status topic is connection-scoped (online on each connect,
 * offline on close or as the will) and is written on the link directly; it must never be
 * replayed from a store.
 */
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { BindsightError } from '../errors.js';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { type BrokerContext, brokerError, redactUrl } from './brokerErrors.js';
import { Delivery, type DeliveryStats } from './delivery.js';
import type { BindsightEvent } from './event.js';
import { Link } from './link.js';
import type { SendOutcome } from './sendQueue.js';
import { LatestThrottle } from './throttle.js';
import { type Clock, systemClock } from './timers.js';
import {
  type NodeStatus,
  type NodeTopics,
  nodeTopics,
  type SensorStatus,
  TOPICS,
  type TopicPayloads,
  type TopicTemplate,
} from './topics.js';

export type { SendOutcome } from './sendQueue.js';

export interface PublisherOptions {
  /** mqtt://host:1883 or mqtts://host:8883 (start the embedded broker first for "embedded"). */
  url: string;
  prefix: string;
  node: string;
  username?: string;
  password?: string;
  /** Default: bindsight_<node>_<random>, kept across reconnects. */
  clientId?: string;
  /** Minimum ms between two messages on one rule's score topic. */
  scoreIntervalMs: number;
  logger?: Logger;
  /** QoS-1 messages held in memory (waiting + in flight); beyond it the oldest waiting one is dropped. Default 10000. */
  maxQueued?: number;
  /** QoS-1 messages written and not yet acknowledged. Default 100. */
  maxInFlight?: number;
  /** Per connection attempt: socket + CONNACK. Default 10000. */
  connectTimeoutMs?: number;
  /** Bound on waiting for the PUBACK of "offline" (and the socket close) in close(). Default 3000. */
  closeTimeoutMs?: number;
  keepaliveS?: number;
  backoff?: Partial<BackoffOptions>;
  clock?: Clock;
  random?: () => number;
}

export interface PublisherStats extends DeliveryStats {
  connected: boolean;
  /** Connections re-established after a loss. */
  reconnects: number;
  /** Failed attempts since the last successful connection (the backoff exponent). */
  failedAttempts: number;
  /** Score values replaced by a newer one within scoreIntervalMs (by design, not a loss). */
  scoresSuperseded: number;
}

export class Publisher {
  readonly topics: NodeTopics;
  readonly #url: string;
  readonly #log: Logger;
  readonly #clientId: string;
  readonly #opts: PublisherOptions;
  readonly #backoff: BackoffOptions;
  readonly #clock: Clock;
  readonly #connectTimeoutMs: number;
  readonly #closeTimeoutMs: number;
  readonly #delivery: Delivery;
  readonly #scores: LatestThrottle<number>;
  #link: Link | undefined;
  #linkCount = 0;
  #first: { resolve: () => void; reject: (e: BindsightError) => void } | undefined;
  #connecting: Promise<void> | undefined;
  #connectedOnce = false;
  #cancelRetry: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  #n = { reconnects: 0, failedAttempts: 0 };
  readonly #subscriptions = new Map<string, (payload: string, retained: boolean) => void>();

  constructor(opts: PublisherOptions) {
    this.#url = checkUrl(opts.url);
    this.topics = nodeTopics(opts.prefix, opts.node);
    this.#opts = opts;
    this.#clientId = opts.clientId ?? `bindsight_${opts.node}_${randomBytes(3).toString('hex')}`;
    this.#log = (opts.logger ?? pino({ level: 'silent' })).child({ ns: 'bindsight:publish' });
    this.#backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#clock = opts.clock ?? systemClock;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 3_000;
    this.#delivery = new Delivery({
      maxQueued: opts.maxQueued ?? 10_000,
      maxInFlight: opts.maxInFlight ?? 100,
      log: this.#log,
      clock: this.#clock,
    });
    this.#scores = new LatestThrottle(
      opts.scoreIntervalMs,
      (rule, score) =>
        void this.#publish('<prefix>/<node>/rules/<rule>/score', this.topics.ruleScore(rule), score),
      this.#clock,
    );
  }

  /**
   * Opens the connection. Resolves on the first CONNACK; rejects with BROKER_UNREACHABLE or
   * BROKER_REFUSED if that first attempt fails (no retry: a wrong URL or password should stop
   * the agent with a clear message). Later losses are retried with backoff, forever.
   */
  connect(): Promise<void> {
    if (this.#closing)
      return Promise.reject(new BindsightError('USAGE', 'Publisher.connect() after close()'));
    if (this.#connectedOnce) return Promise.resolve();
    this.#connecting ??= new Promise<void>((resolve, reject) => {
      this.#first = { resolve, reject };
      this.#openLink();
    }).catch((err: unknown) => {
      this.#connecting = undefined;
      throw err;
    });
    return this.#connecting;
  }

  /** Resolves 'acked' on PUBACK, or 'dropped' if the message was given up (see stats()). */
  publishEvent(e: BindsightEvent): Promise<SendOutcome> {
    return this.#publish('<prefix>/<node>/events', this.topics.events, e);
  }

  publishRuleState(rule: string, on: boolean): Promise<SendOutcome> {
    return this.#publish(
      '<prefix>/<node>/rules/<rule>/state',
      this.topics.ruleState(rule),
      on ? 'ON' : 'OFF',
    );
  }

  /** Rate-limited per rule: intermediate scores within scoreIntervalMs are replaced, the latest always goes out. */
  publishScore(rule: string, score: number): void {
    TOPICS['<prefix>/<node>/rules/<rule>/score'].encode(score); // throws now, not in a timer
    this.topics.ruleScore(rule);
    this.#scores.push(rule, score);
  }

  publishSensorStatus(sensor: string, state: SensorStatus): Promise<SendOutcome> {
    return this.#publish('<prefix>/<node>/sensors/<sensor>/status', this.topics.sensorStatus(sensor), state);
  }

  /**
   * Subscribes (QoS 1) on this and every later connection, for command topics such as the rules
   * command (issue #9); `handler` gets each payload and whether the broker flagged it retained.
   * The subscription is repeated after each reconnect, so a retained message arrives again then.
   */
  subscribe(topic: string, handler: (payload: string, retained: boolean) => void): void {
    this.#subscriptions.set(topic, handler);
    if (this.#link?.up) this.#subscribeOn(this.#link, topic);
  }

  /** A command's reply (outside the TopicPayloads table): QoS 1, retained, through the same delivery path. */
  publishReply(topic: string, payload: string): Promise<SendOutcome> {
    return this.#delivery.send(topic, payload, { qos: 1, retain: true });
  }

  #subscribeOn(link: Link, topic: string): void {
    link.subscribe(topic, (err) => {
      if (err) this.#log.warn({ topic, err: err.message }, 'subscribe failed');
    });
  }

  stats(): PublisherStats {
    return {
      connected: this.#link?.up ?? false,
      ...this.#delivery.stats(),
      ...this.#n,
      scoresSuperseded: this.#scores.superseded,
    };
  }

  /**
   * Flushes pending scores, publishes "offline" (retained) and waits for its PUBACK, bounded by
   * closeTimeoutMs, then disconnects cleanly. Messages still unacknowledged are dropped and
   * counted. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    this.#scores.flush();
    this.#first?.reject(
      new BindsightError('BROKER_UNREACHABLE', `closed before connecting to ${redactUrl(this.#url)}`, {
        url: redactUrl(this.#url),
      }),
    );
    this.#first = undefined;
    const link = this.#link;
    if (link?.up) {
      // Write everything still waiting; PUBACKs come in order, so the one for "offline" covers them.
      this.#delivery.flushAll(link);
      const acked = await this.#withTimeout(this.#writeStatus(link, 'offline'), this.#closeTimeoutMs);
      if (!acked)
        this.#log.warn(
          { timeoutMs: this.#closeTimeoutMs },
          'no PUBACK for "offline" in time; closing anyway',
        );
      await link.end(acked, this.#closeTimeoutMs);
    } else if (link) {
      await link.end(false, this.#closeTimeoutMs);
    }
    this.#link = undefined;
    this.#scores.stop();
    this.#delivery.close();
    this.#log.info(this.stats(), 'publisher closed');
  }

  #publish<K extends TopicTemplate>(
    template: K,
    topic: string,
    payload: TopicPayloads[K],
  ): Promise<SendOutcome> {
    const spec = TOPICS[template];
    return this.#delivery.send(topic, spec.encode(payload), { qos: spec.qos, retain: spec.retain });
  }

  #writeStatus(link: Link, status: NodeStatus): Promise<boolean> {
    const spec = TOPICS['<prefix>/<node>/status'];
    return this.#delivery.writeDirect(link, this.topics.status, spec.encode(status), spec.qos, spec.retain);
  }

  #openLink(): void {
    const statusSpec = TOPICS['<prefix>/<node>/status'];
    this.#link = new Link(
      ++this.#linkCount,
      {
        url: this.#url,
        clientId: this.#clientId,
        username: this.#opts.username,
        password: this.#opts.password,
        connectTimeoutMs: this.#connectTimeoutMs,
        keepaliveS: this.#opts.keepaliveS ?? 30,
        will: { topic: this.topics.status, payload: statusSpec.encode('offline'), qos: 1, retain: true },
      },
      {
        up: (link) => this.#onUp(link),
        down: (link, err) => this.#onDown(link, err),
        error: (_link, err) => this.#log.debug({ err: err.message }, 'broker link error'),
        message: (link, topic, payload, retained) => {
          if (link === this.#link) this.#subscriptions.get(topic)?.(payload, retained);
        },
      },
    );
  }

  #onUp(link: Link): void {
    if (link !== this.#link || this.#closing) return;
    const attempts = this.#n.failedAttempts;
    this.#n.failedAttempts = 0;
    if (this.#connectedOnce) {
      this.#n.reconnects++;
      this.#log.info(
        { url: redactUrl(this.#url), attempts, resend: this.#delivery.stats().queued },
        'reconnected to MQTT broker',
      );
    } else {
      this.#connectedOnce = true;
      this.#log.info({ url: redactUrl(this.#url), clientId: this.#clientId }, 'connected to MQTT broker');
      this.#first?.resolve();
      this.#first = undefined;
    }
    void this.#writeStatus(link, 'online');
    for (const topic of this.#subscriptions.keys()) this.#subscribeOn(link, topic);
    this.#delivery.linkUp(link);
  }

  #onDown(link: Link, err: Error | undefined): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    this.#delivery.linkDown();
    if (this.#first) {
      const error = brokerError(err, this.#brokerContext());
      this.#log.debug({ code: error.code, url: redactUrl(this.#url) }, error.message); // the caller reports it
      this.#first.reject(error);
      this.#first = undefined;
      return;
    }
    if (this.#closing) return;
    const delay = backoffDelay(this.#n.failedAttempts, this.#backoff, this.#opts.random);
    const attempt = this.#n.failedAttempts + 1;
    if (link.wasUp) {
      this.#log.warn(
        { url: redactUrl(this.#url), err: err?.message, queued: this.#delivery.stats().queued },
        `lost the MQTT broker connection; retrying in ${delay} ms`,
      );
    } else {
      // Warn on attempts 1, 2, 4, 8, ...: a long outage (or a revoked password) stays visible without flooding.
      const level = (attempt & (attempt - 1)) === 0 ? 'warn' : 'debug';
      this.#log[level](
        { reason: brokerError(err, this.#brokerContext()).message, attempt },
        `MQTT reconnect attempt ${attempt} failed; next in ${delay} ms`,
      );
    }
    this.#n.failedAttempts++;
    this.#cancelRetry = this.#clock.schedule(() => {
      this.#cancelRetry = undefined;
      if (!this.#closing) this.#openLink();
    }, delay);
  }

  #brokerContext(): BrokerContext {
    return { url: this.#url, username: this.#opts.username, connectTimeoutMs: this.#connectTimeoutMs };
  }

  #withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = this.#clock.schedule(() => resolve(false), ms);
      void p.then((v) => {
        cancel();
        resolve(v);
      });
    });
  }
}

function checkUrl(url: string): string {
  const valid = 'mqtt://host:1883 or mqtts://host:8883';
  if (url === 'embedded') {
    throw new BindsightError(
      'CONFIG_INVALID',
      `mqtt.url "embedded" needs the embedded broker started first (startEmbeddedBroker) and its url passed here`,
      { url },
    );
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new BindsightError('CONFIG_INVALID', `mqtt.url "${redactUrl(url)}" is not a URL; use ${valid}`, {
      url: redactUrl(url),
    });
  }
  if (protocol !== 'mqtt:' && protocol !== 'mqtts:') {
    throw new BindsightError(
      'CONFIG_INVALID',
      `mqtt.url "${redactUrl(url)}" has protocol ${protocol}; use ${valid}`,
      {
        url: redactUrl(url),
      },
    );
  }
  return url;
}
