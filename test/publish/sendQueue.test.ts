import t from 'tap';
import { type Outgoing, type SendOutcome, SendQueue } from '../../src/publish/sendQueue.js';

function msgs(n: number, from = 1): { list: Outgoing[]; outcomes: Map<number, SendOutcome> } {
  const outcomes = new Map<number, SendOutcome>();
  const list = Array.from({ length: n }, (_, i) => {
    const seq = from + i;
    return {
      seq,
      topic: 't',
      payload: `m${seq}`,
      qos: 1 as const,
      retain: false,
      settle: (o: SendOutcome) => outcomes.set(seq, o),
    };
  });
  return { list, outcomes };
}

const seqs = (xs: readonly (Outgoing | undefined)[]) => xs.map((m) => m?.seq);

t.test('FIFO, with waiting and in-flight counted against one limit', async (t) => {
  const q = new SendQueue(3);
  const { list } = msgs(3);
  for (const m of list) t.equal(q.push(m), undefined);
  t.match(q, { waiting: 3, inFlight: 0, size: 3 });
  t.same(seqs([q.next(), q.next()]), [1, 2]);
  t.match(q, { waiting: 1, inFlight: 2, size: 3 });
  t.equal(q.complete(1)?.seq, 1);
  t.equal(q.complete(1), undefined, 'completing twice is a no-op');
  t.notOk(q.isInFlight(1));
  t.ok(q.isInFlight(2));
});

t.test('when full the oldest waiting message is dropped; never one in flight', async (t) => {
  const q = new SendQueue(3);
  const { list } = msgs(6);
  for (const m of list.slice(0, 3)) q.push(m);
  q.next(); // 1 in flight
  t.equal(q.push(list[3])?.seq, 2, 'oldest waiting');
  t.equal(q.push(list[4])?.seq, 3);
  q.next();
  q.next(); // 1, 4, 5 in flight
  t.equal(q.push(list[5])?.seq, 6, 'all in flight: the new one is refused');
  t.equal(q.size, 3);
});

t.test('requeueInFlight puts unacknowledged messages back first, in order', async (t) => {
  const q = new SendQueue(10);
  const { list } = msgs(6);
  for (const m of list) q.push(m);
  q.next();
  q.next();
  q.next();
  q.complete(2); // acked out of order
  t.equal(q.requeueInFlight(), 2);
  t.same(seqs([q.next(), q.next(), q.next(), q.next(), q.next()]), [1, 3, 4, 5, 6]);
});

t.test('drain returns everything, oldest first', async (t) => {
  const q = new SendQueue(10);
  const { list } = msgs(4);
  for (const m of list) q.push(m);
  q.next();
  q.next();
  t.same(seqs(q.drain()), [1, 2, 3, 4]);
  t.equal(q.size, 0);
});

t.test('stays correct past the compaction point', async (t) => {
  const q = new SendQueue(5000);
  const { list } = msgs(4000);
  for (const m of list) q.push(m);
  const out: number[] = [];
  for (let m = q.next(); m; m = q.next()) {
    out.push(m.seq);
    q.complete(m.seq);
  }
  t.equal(out.length, 4000);
  t.ok(out.every((s, i) => s === i + 1));
  t.throws(() => new SendQueue(0), RangeError);
});
