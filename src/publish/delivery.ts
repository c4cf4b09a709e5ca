/**
 * Delivery of data messages over whichever broker link is current.
 *
 * QoS 1: send() appends the message to the outbox (src/outbox: durable SQLite, or memory) before
 * anything else, then writes the oldest stored messages through a window of at most maxInFlight
 * unacknowledged ones; a PUBACK removes the row. When the link drops, nothing is lost: the rows
 * are still there and are written again, oldest first, on the next link. On start the rows left
 * by an earlier run (kill -9, power cut, outage) come first, with their original payloads.
 * Bounds (count, bytes, age) drop the oldest waiting rows; every drop is counted and logged
 * (rate-limited).
 *
 * QoS 0 (scores): written only while connected; while offline the latest per topic is held.
 *
 * send() is the single path for data messages. The node status and the discovery configs are
 * connection-scoped and go through writeDirect() instead: they must never be replayed from a store.
 */
import type { Logger } from 'pino';
import type { DroppedMessage, OutboxStats, OutboxStore, StoredMessage } from '../outbox/types.js';
import type { Link } from './link.js';
import type { Clock } from './timers.js';
import type { QoS } from './topics.js';

/** acked: PUBACK; sent: QoS 0 written; kept: still in the durable outbox at close (sent on the next start). */
export type SendOutcome = 'acked' | 'sent' | 'dropped' | 'kept';

export interface DeliveryOptions {
  store: OutboxStore;
  maxInFlight: number;
  log: Logger;
  clock: Clock;
  /** Wall clock, ms since the epoch: message ages must survive a restart. Default Date.now. */
  wallClock?: () => number;
}

export interface DeliveryStats {
  /** Messages written to the broker for the first time (status included). */
  published: number;
  /** QoS-1 messages acknowledged (PUBACK). */
  acked: number;
  /** QoS-1 messages given up: outbox bounds, outbox write failure, publish after close, or (memory outbox) unacknowledged at close. */
  dropped: number;
  /** Messages written again after a reconnect (QoS 1 is at least once). */
  resent: number;
  /** QoS-1 messages stored and not in flight. */
  queued: number;
  inFlight: number;
  /** Messages an earlier run left in the outbox, found at start and sent before any new one. */
  replayed: number;
  /** Messages left in the durable outbox by close(), for the next start. */
  kept: number;
  /** Outbox reads or deletes that failed (disk errors); writes that fail count as dropped. */
  outboxErrors: number;
  outbox: OutboxStats;
}

interface HeldQos0 {
  payload: string;
  retain: boolean;
  settle: (o: SendOutcome) => void;
}

const DROP_WARN_INTERVAL_MS = 10_000;

export class Delivery {
  readonly #opts: DeliveryOptions;
  readonly #store: OutboxStore;
  readonly #now: () => number;
  readonly #held = new Map<string, HeldQos0>();
  /** seq → message, written on the current link and not yet acknowledged. */
  readonly #inFlight = new Map<number, StoredMessage>();
  /** Promises of this process's sends, by seq. */
  readonly #settles = new Map<number, (o: SendOutcome) => void>();
  /** Seqs written at least once by this process and still stored (to count resends). */
  readonly #written = new Set<number>();
  #link: Link | undefined;
  /** The newest seq written on the current link: stored rows up to it are exactly the in-flight ones. */
  #cursor = 0;
  #closed = false;
  #dropWarn = { last: Number.NEGATIVE_INFINITY, unreported: 0 };
  #n = { published: 0, acked: 0, dropped: 0, resent: 0, replayed: 0, kept: 0, outboxErrors: 0 };
  /** The outbox is failing now: warned once, until it works again. */
  #storeFault = false;

  constructor(opts: DeliveryOptions) {
    this.#opts = opts;
    this.#store = opts.store;
    this.#now = opts.wallClock ?? Date.now;
    this.#n.replayed = this.#store.stats().messages;
    if (this.#n.replayed > 0) {
      opts.log.info(
        { messages: this.#n.replayed, outbox: this.#store.stats().path },
        'outbox holds messages from an earlier run; they are sent first, in order',
      );
    }
  }

  stats(): DeliveryStats {
    const outbox = this.#closed
      ? { durable: this.#store.durable, messages: 0, bytes: 0 }
      : this.#store.stats();
    return {
      ...this.#n,
      queued: Math.max(0, outbox.messages - this.#inFlight.size),
      inFlight: this.#inFlight.size,
      outbox,
    };
  }

  /** Resolves 'acked' on PUBACK (QoS 1), 'sent' once written (QoS 0), 'kept' or 'dropped'. */
  send(topic: string, payload: string, opts: { qos: QoS; retain: boolean }): Promise<SendOutcome> {
    if (this.#closed) {
      if (opts.qos === 1) this.#drop(1, 'publish after close()');
      return Promise.resolve<SendOutcome>('dropped');
    }
    if (opts.qos === 0) {
      return new Promise<SendOutcome>((settle) =>
        this.#sendQos0(topic, { payload, retain: opts.retain, settle }),
      );
    }
    let stored: StoredMessage;
    try {
      stored = this.#store.append({ topic, payload, qos: opts.qos, retain: opts.retain }, this.#now());
    } catch (err) {
      this.#drop(1, (err as Error).message);
      return Promise.resolve<SendOutcome>('dropped');
    }
    const outcome = new Promise<SendOutcome>((settle) => this.#settles.set(stored.seq, settle));
    this.#trim();
    this.#pump();
    return outcome;
  }

  /** Connection-scoped messages: written on this link only, never stored or replayed. */
  writeDirect(link: Link, topic: string, payload: string, qos: QoS, retain: boolean): Promise<boolean> {
    this.#n.published++;
    return new Promise((resolve) => {
      link.publish(topic, payload, qos, retain, (err) => {
        if (!err && qos > 0) this.#n.acked++;
        resolve(!err);
      });
    });
  }

  /** A link got its CONNACK: write the stored messages from the oldest, then the held scores. */
  linkUp(link: Link): void {
    this.#link = link;
    this.#cursor = 0;
    this.#inFlight.clear();
    this.#trim();
    this.#pump();
    this.#flushHeld(link);
  }

  /** The link is gone: what was in flight stays stored and is written again on the next link. */
  linkDown(): void {
    this.#link = undefined;
    this.#cursor = 0;
    this.#inFlight.clear();
  }

  /** For close(): writes up to `limit` waiting messages at once, ignoring the window. */
  flushAll(link: Link, limit: number): void {
    for (const msg of this.#read(this.#cursor, limit)) this.#write(link, msg);
    this.#flushHeld(link);
  }

  /**
   * Refuses further sends. A durable outbox keeps what is unacknowledged for the next start
   * ('kept'); a memory outbox loses it, so it is dropped and counted.
   */
  close(): void {
    if (this.#closed) return;
    this.#link = undefined;
    this.#inFlight.clear();
    const left = this.#read(0, Number.POSITIVE_INFINITY);
    if (this.#store.durable) {
      this.#n.kept = left.length;
      for (const m of left) this.#settle(m.seq, 'kept');
      if (left.length > 0) {
        this.#opts.log.warn(
          { messages: left.length, outbox: this.#store.stats().path },
          'messages not acknowledged before close stay in the outbox and are sent on the next start',
        );
      }
    } else if (left.length > 0) {
      for (const m of left) this.#settle(m.seq, 'dropped');
      this.#drop(left.length, 'not acknowledged before close (the outbox is not durable)');
    }
    this.#closed = true;
    this.#store.close();
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
    if (!link?.up || this.#closed) return;
    const room = this.#opts.maxInFlight - this.#inFlight.size;
    if (room <= 0) return;
    const batch = this.#read(this.#cursor, room);
    for (const msg of batch) this.#write(link, msg);
  }

  /** store.after() that reports a failing outbox (once per fault) instead of throwing into a publish. */
  #read(after: number, limit: number): StoredMessage[] {
    try {
      const batch = this.#store.after(after, limit);
      if (this.#storeFault) this.#opts.log.info('the outbox works again');
      this.#storeFault = false;
      return batch;
    } catch (err) {
      this.#n.outboxErrors++;
      if (!this.#storeFault) this.#opts.log.warn({ err: (err as Error).message }, 'cannot read the outbox');
      this.#storeFault = true;
      return [];
    }
  }

  #write(link: Link, msg: StoredMessage): void {
    this.#cursor = Math.max(this.#cursor, msg.seq);
    this.#inFlight.set(msg.seq, msg);
    if (this.#written.has(msg.seq)) this.#n.resent++;
    else {
      this.#written.add(msg.seq);
      this.#n.published++;
    }
    link.publish(msg.topic, msg.payload, msg.qos, msg.retain, (err) => this.#onWritten(link, msg, err));
  }

  #onWritten(link: Link, msg: StoredMessage, err: Error | undefined): void {
    if (this.#closed || !this.#written.has(msg.seq)) return; // acked or dropped already
    if (!err) {
      // A PUBACK is an acknowledgement whichever link it came on.
      this.#written.delete(msg.seq);
      this.#inFlight.delete(msg.seq);
      this.#store.remove(msg.seq);
      this.#n.acked++;
      this.#settle(msg.seq, 'acked');
    } else {
      // mqtt.js fails unacknowledged publishes with "Connection closed" when the link drops
      // (MQTT.js client.ts _flush); they stay stored and are written again on the next link.
      if (link !== this.#link || link.down || /connection closed/i.test(err.message)) return;
      this.#written.delete(msg.seq);
      this.#inFlight.delete(msg.seq);
      this.#store.remove(msg.seq);
      this.#settle(msg.seq, 'dropped');
      this.#drop(1, `broker link error: ${err.message}`);
    }
    this.#pump();
  }

  #trim(): void {
    let dropped: DroppedMessage[];
    try {
      dropped = this.#store.trim(this.#link?.up ? this.#cursor : 0, this.#now());
    } catch (err) {
      this.#opts.log.warn({ err: (err as Error).message }, 'cannot trim the outbox');
      return;
    }
    if (dropped.length === 0) return;
    for (const d of dropped) {
      this.#written.delete(d.seq);
      this.#settle(d.seq, 'dropped');
    }
    this.#drop(dropped.length, this.#boundText(dropped[0]));
  }

  #boundText(d: DroppedMessage): string {
    const b = this.#store.bounds;
    if (d.reason === 'messages')
      return `outbox full: more than ${b.maxMessages} messages wait for the broker`;
    if (d.reason === 'bytes') return `outbox full: more than ${b.maxBytes} bytes wait for the broker`;
    return `older than ${b.maxAgeMs / 3_600_000} h (the outbox age limit)`;
  }

  #settle(seq: number, outcome: SendOutcome): void {
    const settle = this.#settles.get(seq);
    this.#settles.delete(seq);
    settle?.(outcome);
  }

  #drop(n: number, reason: string): void {
    this.#n.dropped += n;
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
