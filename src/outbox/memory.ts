/**
 * The in-memory outbox: same contract as SqliteOutbox, nothing survives the process. Used for
 * `mqtt.outbox.durable: false` and by a Publisher built without a store (its bound is then
 * `maxQueued`). A Map keeps insertion order, which is seq order.
 */
import {
  type DroppedMessage,
  dropReason,
  messageBytes,
  type OutboxBounds,
  type OutboxMessage,
  type OutboxStats,
  type OutboxStore,
  type StoredMessage,
  UNBOUNDED,
} from './types.js';

export class MemoryOutbox implements OutboxStore {
  readonly durable = false;
  readonly bounds: Readonly<OutboxBounds>;
  readonly #messages = new Map<number, StoredMessage>();
  #seq = 0;
  #bytes = 0;

  constructor(bounds: Partial<OutboxBounds> = {}) {
    this.bounds = { ...UNBOUNDED, ...bounds };
  }

  append(msg: OutboxMessage, now: number): StoredMessage {
    const stored: StoredMessage = {
      seq: ++this.#seq,
      topic: msg.topic,
      payload: msg.payload,
      qos: msg.qos,
      retain: msg.retain,
      createdAt: now,
    };
    this.#messages.set(stored.seq, stored);
    this.#bytes += messageBytes(stored);
    return stored;
  }

  after(after: number, limit: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    if (limit <= 0) return out;
    for (const m of this.#messages.values()) {
      if (m.seq <= after) continue;
      out.push(m);
      if (out.length >= limit) break;
    }
    return out;
  }

  remove(seq: number): void {
    const m = this.#messages.get(seq);
    if (!m) return;
    this.#messages.delete(seq);
    this.#bytes -= messageBytes(m);
  }

  trim(keepThrough: number, now: number): DroppedMessage[] {
    const dropped: DroppedMessage[] = [];
    const state = { messages: this.#messages.size, bytes: this.#bytes };
    for (const m of this.#messages.values()) {
      if (m.seq <= keepThrough) continue;
      const reason = dropReason(state, m.createdAt, this.bounds, now);
      if (!reason) break;
      dropped.push({ seq: m.seq, topic: m.topic, reason });
      state.messages--;
      state.bytes -= messageBytes(m);
    }
    for (const d of dropped) this.remove(d.seq);
    return dropped;
  }

  stats(): OutboxStats {
    return { durable: false, messages: this.#messages.size, bytes: this.#bytes };
  }

  close(): void {
    // Nothing to release; what is left is for the caller to count (it is lost with the process).
  }
}
