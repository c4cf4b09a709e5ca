/**
 * The durable outbox: one SQLite file (better-sqlite3, synchronous API), one row per message.
 *
 * Durability (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html):
 * - journal_mode=WAL: a commit appends to the write-ahead log; a crash mid-write leaves the
 *   last complete commit (frames are checksummed), never a torn table.
 * - synchronous=FULL: in WAL mode the log is fsync'ed at every commit, so append() returns only
 *   once the row is on the storage: it survives kill -9 (any setting would) and power loss
 *   (only FULL does; NORMAL may roll back the last commits after a power cut). This holds as
 *   far as the storage honours fsync; cheap SD cards with volatile write caches may not.
 * - Deletes (PUBACKs) are batched: one transaction per event-loop turn. A delete lost in a power
 *   cut only means the message is sent again, which QoS 1 (at least once) allows anyway.
 * - locking_mode=EXCLUSIVE: the first read takes the file lock and keeps it, so a second agent
 *   on the same file fails at start instead of both sending (and deleting) the same rows. The
 *   OS drops the lock when the process dies, kill -9 included.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BindsightError, errorMessage } from '../errors.js';
import type { QoS } from '../publish/topics.js';
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

const SCHEMA_VERSION = 1;
/** Rows read per query while trimming. */
const TRIM_BATCH = 256;
const SIZE = 'length(CAST(topic AS BLOB)) + length(CAST(payload AS BLOB))';

interface Row {
  seq: number;
  topic: string;
  payload: string;
  qos: number;
  retain: number;
  created_at: number;
}

export class SqliteOutbox implements OutboxStore {
  readonly durable = true;
  readonly path: string;
  readonly bounds: Readonly<OutboxBounds>;
  readonly #db: Database.Database;
  readonly #stmt: ReturnType<typeof prepare>;
  readonly #deletes = new Set<number>();
  #flushScheduled = false;
  #messages: number;
  #bytes: number;
  #closed = false;

  /** Opens (creating it and its folder if needed) the outbox at `path`; throws OUTBOX_FAILED. */
  constructor(path: string, bounds: Partial<OutboxBounds> = {}) {
    this.path = path;
    this.bounds = { ...UNBOUNDED, ...bounds };
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      this.#db = new Database(path, { timeout: 1000 });
    } catch (err) {
      throw outboxError(path, 'open', err);
    }
    try {
      this.#db.pragma('locking_mode = EXCLUSIVE');
      const mode = this.#db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`journal_mode is "${String(mode)}", not "wal"`);
      this.#db.pragma('synchronous = FULL');
      migrate(this.#db);
      this.#stmt = prepare(this.#db);
      const totals = this.#stmt.totals.get() as { n: number; bytes: number };
      this.#messages = totals.n;
      this.#bytes = totals.bytes;
    } catch (err) {
      this.#db.close();
      throw outboxError(path, 'open', err);
    }
  }

  append(msg: OutboxMessage, now: number): StoredMessage {
    this.#check('append to');
    try {
      const { seq } = this.#stmt.insert.get(msg.topic, msg.payload, msg.qos, msg.retain ? 1 : 0, now) as {
        seq: number;
      };
      this.#messages++;
      this.#bytes += messageBytes(msg);
      return { ...msg, seq, createdAt: now };
    } catch (err) {
      throw outboxError(this.path, 'append to', err);
    }
  }

  after(after: number, limit: number): StoredMessage[] {
    this.#check('read');
    if (limit <= 0) return [];
    this.#flushDeletes();
    const rows = this.#stmt.after.all(after, Number.isFinite(limit) ? limit : -1) as Row[];
    return rows.map(fromRow);
  }

  remove(seq: number): void {
    if (this.#closed) return;
    this.#deletes.add(seq);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      try {
        if (!this.#closed) this.#flushDeletes();
      } catch {
        // Kept for the next read, which retries the deletes and reports a failure to its caller.
      }
    });
  }

  trim(keepThrough: number, now: number): DroppedMessage[] {
    this.#check('trim');
    this.#flushDeletes();
    const dropped: DroppedMessage[] = [];
    const state = { messages: this.#messages, bytes: this.#bytes };
    let from = keepThrough;
    for (let done = false; !done; ) {
      // Within the count and byte bounds only age can drop, and only the oldest rows: read few.
      const over = state.messages > this.bounds.maxMessages || state.bytes > this.bounds.maxBytes;
      const limit = over ? TRIM_BATCH : 8;
      const batch = this.#stmt.oldest.all(from, limit) as Array<Row & { size: number }>;
      done = batch.length < limit;
      for (const row of batch) {
        const reason = dropReason(state, row.created_at, this.bounds, now);
        if (!reason) {
          done = true;
          break;
        }
        dropped.push({ seq: row.seq, topic: row.topic, reason });
        state.messages--;
        state.bytes -= row.size;
        from = row.seq;
      }
    }
    if (dropped.length > 0) {
      this.#stmt.dropRange.run(keepThrough, from);
      this.#messages = state.messages;
      this.#bytes = state.bytes;
    }
    return dropped;
  }

  stats(): OutboxStats {
    try {
      if (!this.#closed) this.#flushDeletes();
    } catch {
      // Counts then include rows waiting to be deleted; the next read reports the failure.
    }
    return { durable: true, path: this.path, messages: this.#messages, bytes: this.#bytes };
  }

  close(): void {
    if (this.#closed) return;
    this.#flushDeletes();
    this.#closed = true;
    // Closing checkpoints the log into the database file and removes it.
    this.#db.close();
  }

  #flushDeletes(): void {
    if (this.#deletes.size === 0) return;
    const seqs = [...this.#deletes];
    this.#deletes.clear();
    const removeAll = this.#db.transaction((list: number[]) => {
      for (const seq of list) {
        const row = this.#stmt.remove.get(seq) as { size: number } | undefined;
        if (!row) continue;
        this.#messages--;
        this.#bytes -= row.size;
      }
    });
    try {
      removeAll(seqs);
    } catch (err) {
      // Nothing was deleted (one transaction): try again later. Until then the rows would be sent
      // again after a reconnect: a duplicate, not a loss.
      for (const seq of seqs) this.#deletes.add(seq);
      throw outboxError(this.path, 'delete from', err);
    }
  }

  #check(what: string): void {
    if (this.#closed)
      throw new BindsightError('USAGE', `cannot ${what} the outbox ${this.path}: it is closed`);
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `it was written by a newer bindsight (schema ${version}, this one knows ${SCHEMA_VERSION})`,
    );
  }
  // AUTOINCREMENT: a seq is never reused, even after the newest rows were deleted.
  db.exec(`CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    qos INTEGER NOT NULL,
    retain INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  )`);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(
      'INSERT INTO outbox (topic, payload, qos, retain, created_at) VALUES (?, ?, ?, ?, ?) RETURNING seq',
    ),
    after: db.prepare(
      'SELECT seq, topic, payload, qos, retain, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    oldest: db.prepare(
      `SELECT seq, topic, created_at, ${SIZE} AS size FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`,
    ),
    remove: db.prepare(`DELETE FROM outbox WHERE seq = ? RETURNING ${SIZE} AS size`),
    dropRange: db.prepare('DELETE FROM outbox WHERE seq > ? AND seq <= ?'),
    totals: db.prepare(`SELECT count(*) AS n, coalesce(sum(${SIZE}), 0) AS bytes FROM outbox`),
  };
}

function fromRow(r: Row): StoredMessage {
  return {
    seq: r.seq,
    topic: r.topic,
    payload: r.payload,
    qos: (r.qos === 0 ? 0 : 1) as QoS,
    retain: r.retain !== 0,
    createdAt: r.created_at,
  };
}

const HINTS: Readonly<Record<string, string>> = {
  SQLITE_BUSY: 'another bindsight process uses this outbox; give each agent its own mqtt.outbox.path',
  SQLITE_LOCKED: 'another bindsight process uses this outbox; give each agent its own mqtt.outbox.path',
  SQLITE_NOTADB:
    'it is not an outbox database; move it away (its unsent messages are lost) or set mqtt.outbox.path',
  SQLITE_CORRUPT: 'the file is corrupt; move it away (its unsent messages are lost) and start again',
  SQLITE_FULL: 'the disk is full; free space or lower mqtt.outbox.maxBytes',
  SQLITE_READONLY: 'the file is read-only; set mqtt.outbox.path to a writable place',
  SQLITE_CANTOPEN: 'the file cannot be created or opened; set mqtt.outbox.path to a writable place',
};

function outboxError(path: string, what: string, err: unknown): BindsightError {
  const code = String((err as { code?: unknown }).code ?? '');
  const base = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  const hint =
    HINTS[base] ??
    (code === 'EACCES' ? 'permission denied; set mqtt.outbox.path to a writable place' : undefined);
  return new BindsightError(
    'OUTBOX_FAILED',
    `cannot ${what} the MQTT outbox ${path}: ${errorMessage(err)}${hint ? `; ${hint}` : ''}`,
    { path, ...(code ? { errno: code } : {}) },
    { cause: err },
  );
}
