/**
 * Delivery of data messages over whichever broker link is current: QoS-1 messages wait in a
 * bounded SendQueue, go out through a window of at most maxInFlight unacknowledged ones, and
 * are requeued in order when the link drops; QoS-0 messages are written only while connected,
 * keeping the latest per topic while offline. Every drop is counted and logged (rate-limited).
 *
 * send() is the single path for data messages: the durable outbox (a later task) goes here.
 */
import type { Logger } from 'pino';
import type { Link } from './link.js';
import { type Outgoing, type SendOutcome, SendQueue } from './sendQueue.js';
import type { Clock } from './timers.js';
import type { QoS } from './topics.js';

export interface DeliveryOptions {
  maxQueued: number;
  maxInFlight: number;
  log: Logger;
  clock: Clock;
}

export interface DeliveryStats {
  /** Messages written to the broker (status included), each counted once. */
  published: number;
  /** QoS-1 messages acknowledged (PUBACK). */
  acked: number;
  /** QoS-1 messages given up: queue full, publish after close, or unacknowledged at close. */
  dropped: number;
  /** Messages written again after a reconnect (QoS 1 is at least once). */
  resent: number;
  queued: number;
  inFlight: number;
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

export class Delivery {
  readonly #opts: DeliveryOptions;
  readonly #queue: SendQueue;
  readonly #held = new Map<string, HeldQos0>();
  #link: Link | undefined;
  #seq = 0;
  #closed = false;
  #dropWarn = { last: Number.NEGATIVE_INFINITY, unreported: 0 };
  #n = { published: 0, acked: 0, dropped: 0, resent: 0 };

  constructor(opts: DeliveryOptions) {
    this.#opts = opts;
    this.#queue = new SendQueue(opts.maxQueued);
  }

  stats(): DeliveryStats {
    return { ...this.#n, queued: this.#queue.waiting, inFlight: this.#queue.inFlight };
  }

  /** Resolves 'acked' on PUBACK (QoS 1), 'sent' once written (QoS 0), or 'dropped'. */
  send(topic: string, payload: string, opts: { qos: QoS; retain: boolean }): Promise<SendOutcome> {
    if (this.#closed) {
      if (opts.qos === 1) this.#drop([], 'publish after close()', 1);
      return Promise.resolve<SendOutcome>('dropped');
    }
    return new Promise<SendOutcome>((settle) => {
      if (opts.qos === 0) {
        this.#sendQos0(topic, { payload, retain: opts.retain, settle });
        return;
      }
      const msg: Pending = {
        seq: ++this.#seq,
        topic,
        payload,
        qos: opts.qos,
        retain: opts.retain,
        settle,
        writes: 0,
      };
      const dropped = this.#queue.push(msg);
      if (dropped) this.#drop([dropped], `more than ${this.#queue.limit} messages waiting for the broker`);
      this.#pump();
    });
  }

  /** Connection-scoped messages (the node status): written on this link only, never queued or replayed. */
  writeDirect(link: Link, topic: string, payload: string, qos: QoS, retain: boolean): Promise<boolean> {
    this.#n.published++;
    return new Promise((resolve) => {
      link.publish(topic, payload, qos, retain, (err) => {
        if (!err && qos > 0) this.#n.acked++;
        resolve(!err);
      });
    });
  }

  /** A link got its CONNACK: resend what was unacknowledged, then what waited, then held scores. */
  linkUp(link: Link): void {
    this.#link = link;
    this.#pump();
    this.#flushHeld(link);
  }

  /** The link is gone: what was in flight goes back in front of the queue. */
  linkDown(): void {
    this.#link = undefined;
    this.#queue.requeueInFlight();
  }

  /** For close(): writes everything waiting at once, ignoring the window. */
  flushAll(link: Link): void {
    for (let msg = this.#queue.next(); msg; msg = this.#queue.next()) this.#write(link, msg as Pending);
    this.#flushHeld(link);
  }

  /** Refuses further sends and drops (and counts) whatever is still held. */
  close(): void {
    this.#closed = true;
    this.#link = undefined;
    const left = this.#queue.drain();
    if (left.length > 0) this.#drop(left, 'not acknowledged before close');
    for (const held of this.#held.values()) held.settle('dropped');
    this.#held.clear();
  }

  #sendQos0(topic: string, held: HeldQos0): void {
    const link = this.#link;
    if (link?.up) {
      this.#writeQos0(link, topic, held);
      return;
    }
    this.#held.get(topic)?.settle('dropped');
    this.#held.set(topic, held);
  }

  #flushHeld(link: Link): void {
    const held = [...this.#held.entries()];
    this.#held.clear();
    for (const [topic, h] of held) this.#writeQos0(link, topic, h);
  }

  #writeQos0(link: Link, topic: string, h: HeldQos0): void {
    this.#n.published++;
    link.publish(topic, h.payload, 0, h.retain, (err) => h.settle(err ? 'dropped' : 'sent'));
  }

  #pump(): void {
    const link = this.#link;
    if (!link?.up) return;
    while (this.#queue.inFlight < this.#opts.maxInFlight) {
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
        // mqtt.js fails unacknowledged publishes with "Connection closed" when the link drops
        // (MQTT.js client.ts _flush); they stay in flight until linkDown() requeues them.
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

  #drop(msgs: readonly Outgoing[], reason: string, extra = 0): void {
    const n = msgs.length + extra;
    this.#n.dropped += n;
    for (const m of msgs) m.settle('dropped');
    // Counted always; logged at warn at most once per DROP_WARN_INTERVAL_MS.
    const now = this.#opts.clock.now();
    this.#dropWarn.unreported += n;
    if (now - this.#dropWarn.last >= DROP_WARN_INTERVAL_MS) {
      this.#opts.log.warn(
        { dropped: this.#dropWarn.unreported, total: this.#n.dropped },
        `dropped MQTT messages: ${reason}`,
      );
      this.#dropWarn = { last: now, unreported: 0 };
    }
  }
}
