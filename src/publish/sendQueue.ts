/**
 * The QoS-1 messages the publisher holds in memory: waiting to be written, or written and
 * waiting for PUBACK (in flight). Both count against one bound. When full, the oldest waiting
 * message is dropped: after an outage the newest states are the ones that matter (a stale
 * retained rule state would be worse than a missing old event), and the durable outbox (a
 * later task) is what keeps every event. Order is by sequence number, also after a requeue.
 */
import type { QoS } from './topics.js';

export type SendOutcome = 'acked' | 'sent' | 'dropped';

export interface Outgoing {
  readonly seq: number;
  readonly topic: string;
  readonly payload: string;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly settle: (outcome: SendOutcome) => void;
}

export class SendQueue {
  readonly limit: number;
  #waiting: Outgoing[] = [];
  #head = 0;
  readonly #inFlight = new Map<number, Outgoing>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`queue limit must be a positive integer, got ${limit}`);
    this.limit = limit;
  }

  get waiting(): number {
    return this.#waiting.length - this.#head;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  get size(): number {
    return this.waiting + this.inFlight;
  }

  /** Adds msg; returns the message dropped to stay within the limit, if any (possibly msg itself). */
  push(msg: Outgoing): Outgoing | undefined {
    if (this.size < this.limit) {
      this.#waiting.push(msg);
      return undefined;
    }
    // Everything held is in flight: nothing older can be dropped without breaking the window.
    if (this.waiting === 0) return msg;
    const dropped = this.#shift();
    this.#waiting.push(msg);
    return dropped;
  }

  /** Moves the oldest waiting message in flight and returns it. */
  next(): Outgoing | undefined {
    const msg = this.#shift();
    if (msg) this.#inFlight.set(msg.seq, msg);
    return msg;
  }

  /** Removes an in-flight message (PUBACK received); undefined if it is not in flight. */
  complete(seq: number): Outgoing | undefined {
    const msg = this.#inFlight.get(seq);
    this.#inFlight.delete(seq);
    return msg;
  }

  isInFlight(seq: number): boolean {
    return this.#inFlight.has(seq);
  }

  /** The link dropped: everything in flight goes back in front of the waiting messages, in order. */
  requeueInFlight(): number {
    const back = [...this.#inFlight.values()].sort((a, b) => a.seq - b.seq);
    this.#inFlight.clear();
    this.#waiting = [...back, ...this.#waiting.slice(this.#head)];
    this.#head = 0;
    return back.length;
  }

  /** Removes and returns everything held, oldest first. */
  drain(): Outgoing[] {
    const all = [...this.#inFlight.values(), ...this.#waiting.slice(this.#head)].sort(
      (a, b) => a.seq - b.seq,
    );
    this.#inFlight.clear();
    this.#waiting = [];
    this.#head = 0;
    return all;
  }

  #shift(): Outgoing | undefined {
    if (this.#head >= this.#waiting.length) return undefined;
    const msg = this.#waiting[this.#head++];
    // Compact now and then so shifting stays O(1) amortised.
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
    return msg;
  }
}
