/**
 * Publishes the MQTT contract (topics.ts) for one node: status with last will, events, rule
 * state and score, sensor status. It owns the broker link's lifecycle: a fresh connection per
 * attempt (link.ts, plain or TLS), reconnects with capped exponential backoff and jitter, a
 * clean close. Storing, resending and counting of data messages are delivery.ts's job.
 *
 * Every data message goes through #publish() → Delivery.send(), which writes it to the outbox
 * (src/outbox) before sending. The status topic is connection-scoped (online on each connect,
 * offline on close or as the will) and is written on the link directly, like the discovery
 * configs (publishDirect): they must never be replayed from a store.
 */
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { BindsightError } from '../errors.js';
import { MemoryOutbox } from '../outbox/memory.js';
import type { OutboxStore } from '../outbox/types.js';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { type BrokerContext, brokerError, redactUrl } from './brokerErrors.js';
import type { TlsOptions } from './credentials.js';
import { Delivery, type DeliveryStats, type SendOutcome } from './delivery.js';
import type { BindsightEvent } from './event.js';
import { Link } from './link.js';
import { type MessageHandler, Subscriptions } from './subscriptions.js';
import { LatestThrottle } from './throttle.js';
import { type Clock, systemClock, withTimeout } from './timers.js';
import {
  type NodeStatus,
  type NodeTopics,
  nodeTopics,
  type QoS,
  type SensorStatus,
  TOPICS,
  type TopicPayloads,
  type TopicTemplate,
} from './topics.js';
import { checkUrl } from './url.js';

export type { SendOutcome } from './delivery.js';

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
  /**
   * Where QoS-1 messages wait for their PUBACK (src/outbox); the publisher closes it in close().
   * Default: a MemoryOutbox holding at most maxQueued messages.
   */
  outbox?: OutboxStore;
  /** Bound of the default memory outbox (waiting + in flight); beyond it the oldest waiting one is dropped. Default 10000. */
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
  /** Wall clock for message ages in the outbox (ms since the epoch). Default Date.now. */
  wallClock?: () => number;
  /** For mqtts:// URLs: CA, client certificate and key (file contents), broker verification. */
  tls?: TlsOptions;
  /**
   * If the first attempt cannot reach the broker (BROKER_UNREACHABLE), connect() resolves anyway
   * and the link keeps retrying; messages wait in the outbox. A refusal or a TLS failure still
   * rejects. Default false: connect() rejects on any first failure.
   */
  offlineStart?: boolean;
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
  /** connect() has resolved (connected, or started offline). */
  #started = false;
  /** A CONNACK was ever received: later ones are reconnects. */
  #connectedOnce = false;
  #cancelRetry: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  #n = { reconnects: 0, failedAttempts: 0 };
  readonly #subscriptions = new Subscriptions();
  readonly #connectListeners: Array<() => void> = [];

  constructor(opts: PublisherOptions) {
    this.#url = checkUrl(opts.url, opts.tls !== undefined);
    this.topics = nodeTopics(opts.prefix, opts.node);
    this.#opts = opts;
    this.#clientId = opts.clientId ?? `bindsight_${opts.node}_${randomBytes(3).toString('hex')}`;
    this.#log = (opts.logger ?? pino({ level: 'silent' })).child({ ns: 'bindsight:publish' });
    this.#backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#clock = opts.clock ?? systemClock;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 3_000;
    this.#delivery = new Delivery({
      store: opts.outbox ?? new MemoryOutbox({ maxMessages: opts.maxQueued ?? 10_000 }),
      maxInFlight: opts.maxInFlight ?? 100,
      log: this.#log,
      clock: this.#clock,
      wallClock: opts.wallClock,
    });
    this.#scores = new LatestThrottle(
      opts.scoreIntervalMs,
      (rule, score) =>
        void this.#publish('<prefix>/<node>/rules/<rule>/score', this.topics.ruleScore(rule), score),
      this.#clock,
    );
  }

  /**
   * Opens the connection. Resolves on the first CONNACK; rejects with BROKER_UNREACHABLE,
   * BROKER_REFUSED or BROKER_TLS if that first attempt fails (no retry: a wrong URL, password or
   * certificate should stop the agent with a clear message), except that with offlineStart an
   * unreachable broker resolves too. Later losses are retried with backoff, forever.
   */
  connect(): Promise<void> {
    if (this.#closing)
      return Promise.reject(new BindsightError('USAGE', 'Publisher.connect() after close()'));
    if (this.#started) return Promise.resolve();
    this.#connecting ??= new Promise<void>((resolve, reject) => {
      this.#first = { resolve, reject };
      this.#openLink();
    }).catch((err: unknown) => {
      this.#connecting = undefined;
      throw err;
    });
    return this.#connecting;
  }

  /** In the outbox when this returns; resolves 'acked' (PUBACK), 'kept' (still stored at close) or 'dropped'. */
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
   * command (issue #9) and Home Assistant discovery; `filter` may hold MQTT wildcards, `handler`
   * gets each payload, whether the broker flagged it retained, and its topic. The subscription is
   * repeated after each reconnect, so a retained message arrives again then.
   */
  subscribe(filter: string, handler: MessageHandler): void {
    this.#subscriptions.set(filter, handler);
    if (this.#link?.up) this.#subscribeOn(this.#link, filter);
  }

  /** Runs `listener` after every CONNACK, once "online" and the subscriptions have been written. */
  onConnect(listener: () => void): void {
    this.#connectListeners.push(listener);
  }

  /**
   * A connection-scoped message (Home Assistant discovery): written on the current connection
   * only, never stored or replayed. Resolves true on PUBACK (QoS 1) or once written (QoS 0),
   * false if not connected or the write failed.
   */
  publishDirect(topic: string, payload: string, opts: { qos: QoS; retain: boolean }): Promise<boolean> {
    const link = this.#link;
    if (!link?.up || this.#closing) return Promise.resolve(false);
    return this.#delivery.writeDirect(link, topic, payload, opts.qos, opts.retain);
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
   * closeTimeoutMs, then disconnects cleanly and closes the outbox. Messages still unacknowledged
   * stay in a durable outbox for the next start ('kept'); a memory outbox drops and counts them.
   * Idempotent.
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
      // Write what is waiting; PUBACKs come in order, so the one for "offline" covers them. A
      // durable outbox keeps the rest for the next start: no need to push a whole backlog out now.
      const durable = this.#delivery.stats().outbox.durable;
      this.#delivery.flushAll(link, durable ? (this.#opts.maxInFlight ?? 100) : Number.POSITIVE_INFINITY);
      const acked = await withTimeout(this.#clock, this.#writeStatus(link, 'offline'), this.#closeTimeoutMs);
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
        tls: this.#opts.tls,
      },
      {
        up: (link) => this.#onUp(link),
        down: (link, err) => this.#onDown(link, err),
        error: (_link, err) => this.#log.debug({ err: err.message }, 'broker link error'),
        message: (link, topic, payload, retained) => {
          if (link === this.#link) this.#subscriptions.dispatch(topic, payload, retained);
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
      this.#started = true;
      this.#log.info({ url: redactUrl(this.#url), clientId: this.#clientId }, 'connected to MQTT broker');
      this.#first?.resolve();
      this.#first = undefined;
    }
    void this.#writeStatus(link, 'online');
    for (const filter of this.#subscriptions.filters) this.#subscribeOn(link, filter);
    this.#delivery.linkUp(link);
    for (const listener of this.#connectListeners) {
      try {
        listener();
      } catch (err) {
        this.#log.error({ err: (err as Error).message }, 'connect listener failed');
      }
    }
  }

  #onDown(link: Link, err: Error | undefined): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    this.#delivery.linkDown();
    if (this.#first) {
      const error = brokerError(err, this.#brokerContext());
      if (!this.#opts.offlineStart || error.code !== 'BROKER_UNREACHABLE') {
        this.#log.debug({ code: error.code, url: redactUrl(this.#url) }, error.message); // the caller reports it
        this.#first.reject(error);
        this.#first = undefined;
        return;
      }
      this.#log.warn(
        { url: redactUrl(this.#url), outbox: this.#delivery.stats().outbox.path },
        `${error.message}; starting anyway: messages wait in the outbox until the broker is reachable`,
      );
      this.#started = true;
      this.#first.resolve();
      this.#first = undefined;
      this.#scheduleRetry();
      return;
    }
    if (this.#closing) return;
    const delay = this.#scheduleRetry();
    const attempt = this.#n.failedAttempts;
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
  }

  /** Counts a failed attempt and opens the next link after the backoff delay; returns the delay. */
  #scheduleRetry(): number {
    const delay = backoffDelay(this.#n.failedAttempts, this.#backoff, this.#opts.random);
    this.#n.failedAttempts++;
    this.#cancelRetry = this.#clock.schedule(() => {
      this.#cancelRetry = undefined;
      if (!this.#closing) this.#openLink();
    }, delay);
    return delay;
  }

  #brokerContext(): BrokerContext {
    return { url: this.#url, username: this.#opts.username, connectTimeoutMs: this.#connectTimeoutMs };
  }
}
