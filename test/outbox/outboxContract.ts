/**
 * What every outbox store must do (style.md §13, after MQTT.js test/node/abstract_store.ts):
 * run against MemoryOutbox in memory.test.ts and SqliteOutbox in sqlite.test.ts. Durability
 * itself (reopen, kill -9) is SQLite-only and tested there.
 */
import type { Test } from 'tap';
import type { OutboxBounds, OutboxMessage, OutboxStore } from '../../src/outbox/types.js';

export type MakeStore = (t: Test, bounds?: Partial<OutboxBounds>) => OutboxStore;

const T0 = Date.parse('2026-11-29T10:00:00Z');

export const msg = (n: number, payload = `{"n":${n}}`): OutboxMessage => ({
  topic: `bs/kitchen/events`,
  payload,
  qos: 1,
  retain: false,
});

export function outboxContract(t: Test, make: MakeStore): void {
  t.test('append gives increasing seqs; after() reads oldest first from a seq, up to a limit', async (t) => {
    const store = make(t);
    const seqs = [1, 2, 3, 4].map((n) => store.append(msg(n), T0 + n).seq);
    t.ok(
      seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
      'strictly increasing',
    );
    t.same(
      store.after(0, 10).map((m) => m.payload),
      ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'],
    );
    t.same(
      store.after(seqs[1], 1).map((m) => m.payload),
      ['{"n":3}'],
      'after seq 2, one message',
    );
    t.same(store.after(seqs[3], 10), [], 'nothing after the newest');
    t.same(store.after(0, 0), [], 'limit 0');
    const first = store.after(0, 1)[0];
    t.match(first, { topic: 'bs/kitchen/events', qos: 1, retain: false, createdAt: T0 + 1 });
    t.same(store.after(0, Number.POSITIVE_INFINITY).length, 4, 'an infinite limit reads everything');
  });

  t.test('remove() deletes one message; counts and bytes follow', async (t) => {
    const store = make(t);
    const a = store.append(msg(1), T0);
    store.append({ topic: 'bs/kitchen/rules/person/state', payload: 'ON', qos: 1, retain: true }, T0);
    const size = (topic: string, payload: string) => Buffer.byteLength(topic) + Buffer.byteLength(payload);
    t.match(store.stats(), {
      messages: 2,
      bytes: size('bs/kitchen/events', '{"n":1}') + size('bs/kitchen/rules/person/state', 'ON'),
    });
    store.remove(a.seq);
    store.remove(a.seq); // twice: a no-op
    store.remove(9999); // unknown: a no-op
    t.match(store.stats(), { messages: 1, bytes: size('bs/kitchen/rules/person/state', 'ON') });
    t.match(store.after(0, 10), [{ payload: 'ON', retain: true }]);
  });

  t.test('multi-byte payloads are counted in UTF-8 bytes', async (t) => {
    const store = make(t);
    store.append({ topic: 't', payload: 'é€😀', qos: 1, retain: false }, T0);
    t.equal(store.stats().bytes, 1 + 2 + 3 + 4);
  });

  t.test('trim() drops the oldest beyond maxMessages, never at or below keepThrough', async (t) => {
    const store = make(t, { maxMessages: 3 });
    const seqs = [1, 2, 3, 4, 5].map((n) => store.append(msg(n), T0).seq);
    const dropped = store.trim(seqs[0], T0);
    t.same(
      dropped.map((d) => [d.seq, d.reason]),
      [
        [seqs[1], 'messages'],
        [seqs[2], 'messages'],
      ],
      'the oldest after the in-flight one',
    );
    t.same(
      store.after(0, 10).map((m) => m.payload),
      ['{"n":1}', '{"n":4}', '{"n":5}'],
    );
    t.same(store.trim(0, T0), [], 'within bounds: nothing');
  });

  t.test('trim() enforces maxBytes', async (t) => {
    const one = Buffer.byteLength('bs/kitchen/events') + Buffer.byteLength('{"n":1}');
    const store = make(t, { maxBytes: one * 2 });
    for (const n of [1, 2, 3]) store.append(msg(n), T0);
    t.same(
      store.trim(0, T0).map((d) => d.reason),
      ['bytes'],
    );
    t.match(store.stats(), { messages: 2, bytes: one * 2 });
  });

  t.test(
    'trim() drops messages older than maxAgeMs, oldest first, stopping at the first young one',
    async (t) => {
      const store = make(t, { maxAgeMs: 1000 });
      store.append(msg(1), T0);
      store.append(msg(2), T0 + 500);
      store.append(msg(3), T0 + 2000);
      t.same(store.trim(0, T0 + 1000), [], 'none is older than 1 s yet');
      t.same(
        store.trim(0, T0 + 1600).map((d) => d.reason),
        ['age', 'age'],
      );
      t.same(
        store.after(0, 10).map((m) => m.payload),
        ['{"n":3}'],
      );
    },
  );
}
