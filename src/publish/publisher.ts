/**
 * Publishes the MQTT contract (topics.ts) for one node: status with last will, events, rule
 * state and score, sensor status. It owns the broker link: a fresh connection per attempt,
 * reconnects with capped exponential backoff and jitter, and holds unacknowledged QoS-1
 * messages itself (bounded, counted, resent in order after a reconnect).
 *
 * Every data message goes through #send(): the one place where the durable outbox will go.
 * The status topic is connection-scoped (online on each connect, offline on close or as the
 * will) and is written on the link directly; it must never be replayed from a store.
 */
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { BindsightError } from '../errors.js';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { type BrokerContext, brokerError, redactUrl } from './brokerErrors.js';
import type { BindsightEvent } from './event.js';
import { Link } from './link.js';
import { type Outgoing, type SendOutcome, SendQueue } from './sendQueue.js';
import { LatestThrottle } from './throttle.js';
import { type Clock, systemClock } from './timers.js';
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

export interface PublisherStats {
  connected: boolean;
  /** Messages written to the broker (status included), each counted once. */
  published: number;
  /** QoS-1 messages acknowledged (PUBACK). */
  acked: number;
  /** QoS-1 messages given up: queue full, or still unacknowledged at close(). */
  dropped: number;
  /** Messages written again after a reconnect (QoS 1 is at least once). */
  resent: number;
  /** Connections re-established after a loss. */
  reconnects: number;
  /** Failed attempts since the last successful connection (the backoff exponent). */
  failedAttempts: number;
  queued: number;
  inFlight: number;
  /** Score values replaced by a newer one within scoreIntervalMs (by design, not a loss). */
  scoresSuperseded: number;
}

interface Pending extends Outgoing {
  writes: number;
}

interface HeldQos0 {
  payload: string;
  retain: boolean;
  settle: (o: SendOutcome) => void;
}

const DROP_WARN_INTERVAL_MS = 10_000;

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
  readonly #maxInFlight: number;
  readonly #queue: SendQueue;
  readonly #held = new Map<string, HeldQos0>();
  readonly #scores: LatestThrottle<number>;
  #link: Link | undefined;
  #linkCount = 0;
  #seq = 0;
  #first: { resolve: () => void; reject: (e: BindsightError) => void } | undefined;
  #connecting: Promise<void> | undefined;
  #connectedOnce = false;
  #cancelRetry: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  #dropWarn = { last: Number.NEGATIVE_INFINITY, unreported: 0 };
  #n = { published: 0, acked: 0, dropped: 0, resent: 0, reconnects: 0, failedAttempts: 0 };

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
    this.#maxInFlight = opts.maxInFlight ?? 100;
    this.#queue = new SendQueue(opts.maxQueued ?? 10_000);
    this.#scores = new LatestThrottle(
      opts.scoreIntervalMs,
      (rule, score) => void this.#publish('<prefix>/<node>/rules/<rule>/score', this.topics.ruleScore(rule), score),
      this.#clock,
    );
  }

  /**
   * Opens the connection. Resolves on the first CONNACK; rejects with BROKER_UNREACHABLE or
   * BROKER_REFUSED if that first attempt fails (no retry: a wrong URL or password should stop
   * the agent with a clear message). Later losses are retried with backoff, forever.
   */
  connect(): Promise<void> {
    if (this.#closing) return Promise.reject(new BindsightError('USAGE', 'Publisher.connect() after close()'));
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
    return this.#publish('<prefix>/<node>/rules/<rule>/state', this.topics.ruleState(rule), on ? 'ON' : 'OFF');
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

  stats(): PublisherStats {
    return {
      connected: this.#link?.up ?? false,
      ...this.#n,
      queued: this.#queue.waiting,
      inFlight: this.#queue.inFlight,
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
      for (let msg = this.#queue.next(); msg; msg = this.#queue.next()) this.#write(link, msg as Pending);
      this.#flushHeld(link);
      const acked = await this.#withTimeout(this.#writeStatus(link, 'offline'), this.#closeTimeoutMs);
      if (!acked) this.#log.warn({ timeoutMs: this.#closeTimeoutMs }, 'no PUBACK for "offline" in time; closing anyway');
      await link.end(acked, this.#closeTimeoutMs);
    } else if (link) {
      await link.end(false, this.#closeTimeoutMs);
    }
    this.#closed = true;
    this.#link = undefined;
    this.#scores.stop();
    const left = this.#queue.drain();
    if (left.length > 0) this.#drop(left, 'not acknowledged before close');
    for (const held of this.#held.values()) held.settle('dropped');
    this.#held.clear();
    this.#log.info(this.stats(), 'publisher closed');
  }

  #publish<K extends TopicTemplate>(template: K, topic: string, payload: TopicPayloads[K]): Promise<SendOutcome> {
    const spec = TOPICS[template];
    return this.#send(topic, spec.encode(payload), { qos: spec.qos, retain: spec.retain });
  }

  /** The single path for data messages (the durable outbox goes here). */
  #send(topic: string, payload: string, opts: { qos: QoS; retain: boolean }): Promise<SendOutcome> {
    if (this.#closed) {
      if (opts.qos === 1) this.#drop([], 'publish after close()', 1);
      return Promise.resolve<SendOutcome>('dropped');
    }
    return new Promise<SendOutcome>((settle) => {
      if (opts.qos === 0) {
        this.#sendQos0(topic, { payload, retain: opts.retain, settle });
        return;
      }
      const msg: Pending = { seq: ++this.#seq, topic, payload, qos: opts.qos, retain: opts.retain, settle, writes: 0 };
      const dropped = this.#queue.push(msg);
      if (dropped) this.#drop([dropped], `more than ${this.#queue.limit} messages waiting for the broker`);
      this.#pump();
    });
  }

  /** QoS 0 (scores) is not queued: while offline only the latest value per topic is kept. */
  #sendQos0(topic: string, held: HeldQos0): void {
    const link = this.#link;
    if (link?.up) {
      this.#n.published++;
      link.publish(topic, held.payload, 0, held.retain, (err) => held.settle(err ? 'dropped' : 'sent'));
      return;
    }
    this.#held.get(topic)?.settle('dropped');
    this.#held.set(topic, held);
  }

  #flushHeld(link: Link): void {
    const held = [...this.#held.entries()];
    this.#held.clear();
    for (const [topic, h] of held) {
      this.#n.published++;
      link.publish(topic, h.payload, 0, h.retain, (err) => h.settle(err ? 'dropped' : 'sent'));
    }
  }

  #pump(): void {
    const link = this.#link;
    if (!link?.up || this.#closing) return;
    while (this.#queue.inFlight < this.#maxInFlight) {
      const msg = this.#queue.next();
      if (!msg) break;
      this.#write(link, msg as Pending);
    }
  }

  #write(link: Link, msg: Pending): void {
    const write = ++msg.writes;
    if (write === 1) this.#n.published++;
    else this.#n.resent++;
    link.publish(msg.topic, msg.payload, msg.qos, msg.retain, (err) => {
      // Stale: the message was requeued (link lost) or drained (close) since this write.
      if (msg.writes !== write || !this.#queue.isInFlight(msg.seq)) return;
      if (err) {
        // mqtt.js fails unacknowledged publishes with "Connection closed" when the link drops;
        // they stay in flight until the link's down event requeues them.
        if (link.down || /connection closed/i.test(err.message)) return;
        this.#queue.complete(msg.seq);
        this.#drop([msg], `broker link error: ${err.message}`);
      } else {
        this.#queue.complete(msg.seq);
        this.#n.acked++;
        msg.settle('acked');
      }
      this.#pump();
    });
  }

  #writeStatus(link: Link, status: NodeStatus): Promise<boolean> {
    const spec = TOPICS['<prefix>/<node>/status'];
    this.#n.published++;
    return new Promise((resolve) => {
      link.publish(this.topics.status, spec.encode(status), spec.qos, spec.retain, (err) => {
        if (!err) this.#n.acked++;
        resolve(!err);
      });
    });
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
        { url: redactUrl(this.#url), attempts, resend: this.#queue.waiting },
        'reconnected to MQTT broker',
      );
    } else {
      this.#connectedOnce = true;
      this.#log.info({ url: redactUrl(this.#url), clientId: this.#clientId }, 'connected to MQTT broker');
      this.#first?.resolve();
      this.#first = undefined;
    }
    void this.#writeStatus(link, 'online');
    this.#pump();
    this.#flushHeld(link);
  }

  #onDown(link: Link, err: Error | undefined): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    this.#queue.requeueInFlight();
    if (this.#first) {
      const error = brokerError(err, this.#brokerContext());
      this.#log.error({ code: error.code, url: redactUrl(this.#url) }, error.message);
      this.#first.reject(error);
      this.#first = undefined;
      return;
    }
    if (this.#closing) return;
    const delay = backoffDelay(this.#n.failedAttempts, this.#backoff, this.#opts.random);
    if (link.wasUp) {
      this.#log.warn(
        { url: redactUrl(this.#url), err: err?.message, queued: this.#queue.waiting },
        `lost the MQTT broker connection; retrying in ${delay} ms`,
      );
    } else {
      this.#log.debug(
        { reason: brokerError(err, this.#brokerContext()).message, attempt: this.#n.failedAttempts + 1 },
        `reconnect attempt failed; next in ${delay} ms`,
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

  #drop(msgs: readonly Outgoing[], reason: string, extra = 0): void {
    const n = msgs.length + extra;
    this.#n.dropped += n;
    for (const m of msgs) m.settle('dropped');
    // Counted always; logged at warn at most once per DROP_WARN_INTERVAL_MS.
    const now = this.#clock.now();
    this.#dropWarn.unreported += n;
    if (now - this.#dropWarn.last >= DROP_WARN_INTERVAL_MS) {
      this.#log.warn({ dropped: this.#dropWarn.unreported, total: this.#n.dropped }, `dropped MQTT messages: ${reason}`);
      this.#dropWarn = { last: now, unreported: 0 };
    }
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
    throw new BindsightError('CONFIG_INVALID', `mqtt.url "${redactUrl(url)}" has protocol ${protocol}; use ${valid}`, {
      url: redactUrl(url),
    });
  }
  return url;
}
