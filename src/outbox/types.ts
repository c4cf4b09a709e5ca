/**
 * The outbox contract (issue #10): every QoS-1 data message (events, rule states, sensor
 * statuses, command replies) is appended here before it is written to the broker, and removed
 * only when the broker acknowledges it (PUBACK). Sequence numbers are assigned by the store,
 * grow forever and give the send order, also across restarts.
 *
 * Two stores implement it: SqliteOutbox (durable: survives kill -9 and power loss) and
 * MemoryOutbox (lost on exit; for `mqtt.outbox.durable: false` and the publisher's tests).
 * test/outbox/outboxContract.ts is the shared suite both pass.
 */
import type { QoS } from '../publish/topics.js';

export interface OutboxMessage {
  readonly topic: string;
  readonly payload: string;
  readonly qos: QoS;
  readonly retain: boolean;
}

export interface StoredMessage extends OutboxMessage {
  /** Store-assigned, strictly increasing: the send order. */
  readonly seq: number;
  /** Wall-clock ms since the epoch when it was appended (ages survive a restart). */
  readonly createdAt: number;
}

/** Limits on what waits for the broker; beyond them the oldest waiting messages are dropped. */
export interface OutboxBounds {
  maxMessages: number;
  /** Sum of topic and payload sizes in UTF-8 bytes. */
  maxBytes: number;
  maxAgeMs: number;
}

export type DropReason = 'messages' | 'bytes' | 'age';

export interface DroppedMessage {
  readonly seq: number;
  readonly topic: string;
  readonly reason: DropReason;
}

export interface OutboxStats {
  durable: boolean;
  /** The database file (durable stores only). */
  path?: string;
  /** Messages stored: waiting or in flight. */
  messages: number;
  bytes: number;
}

export interface OutboxStore {
  readonly durable: boolean;
  readonly bounds: Readonly<OutboxBounds>;
  /** Stores a message (durably, for a durable store, before it returns) and gives it its seq. */
  append(msg: OutboxMessage, now: number): StoredMessage;
  /** Up to `limit` stored messages with seq > `after`, oldest first. */
  after(after: number, limit: number): StoredMessage[];
  /** The broker acknowledged it. Removing a message that is not stored is a no-op. */
  remove(seq: number): void;
  /**
   * Enforces the bounds: drops the oldest messages with seq > `keepThrough` (those are not in
   * flight) while the store is over maxMessages or maxBytes, or while they are older than
   * maxAgeMs at `now`. Returns what it dropped, oldest first.
   */
  trim(keepThrough: number, now: number): DroppedMessage[];
  stats(): OutboxStats;
  /** Releases the store (closes the database). Idempotent. */
  close(): void;
}

/** Size of a message against maxBytes: topic and payload in UTF-8 bytes. */
export function messageBytes(msg: Pick<OutboxMessage, 'topic' | 'payload'>): number {
  return Buffer.byteLength(msg.topic, 'utf8') + Buffer.byteLength(msg.payload, 'utf8');
}

/**
 * Why the oldest remaining message must go, or undefined if it may stay (and so may every
 * newer one: trimming stops at the first message that is kept, so only a prefix is dropped).
 */
export function dropReason(
  state: { messages: number; bytes: number },
  createdAt: number,
  bounds: Readonly<OutboxBounds>,
  now: number,
): DropReason | undefined {
  if (state.messages > bounds.maxMessages) return 'messages';
  if (state.bytes > bounds.maxBytes) return 'bytes';
  if (now - createdAt > bounds.maxAgeMs) return 'age';
  return undefined;
}

export const UNBOUNDED: Readonly<OutboxBounds> = {
  maxMessages: Number.POSITIVE_INFINITY,
  maxBytes: Number.POSITIVE_INFINITY,
  maxAgeMs: Number.POSITIVE_INFINITY,
};
