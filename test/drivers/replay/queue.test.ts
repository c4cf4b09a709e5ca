import t from 'tap';
import { SampleQueue } from '../../../drivers/replay/queue.js';

interface Item {
  n: number;
}

async function drain(it: AsyncIterator<Item, undefined>): Promise<number[]> {
  const out: number[] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value.n);
  return out;
}

t.test('a full queue drops the oldest and reports each drop', async (t) => {
  const dropped: number[] = [];
  const q = new SampleQueue<Item>(2, (item) => dropped.push(item.n));
  for (let n = 1; n <= 5; n++) q.push({ n });
  t.same(dropped, [1, 2, 3]);
  q.close();
  t.same(await drain(q.iterator()), [4, 5], 'close() lets readers drain');
  t.notOk(q.push({ n: 6 }), 'push after close is refused');
});

t.test('a waiting reader gets the next push; close ends waiting readers', async (t) => {
  const q = new SampleQueue<Item>(4, () => t.fail('no drop expected'));
  const it = q.iterator();
  const first = it.next();
  q.push({ n: 7 });
  t.same(await first, { value: { n: 7 }, done: false });
  const waiting = [it.next(), q.iterator().next()];
  q.close();
  t.same(await Promise.all(waiting), [
    { value: undefined, done: true },
    { value: undefined, done: true },
  ]);
});

t.test('close(true) discards queued items', async (t) => {
  const q = new SampleQueue<Item>(4, () => undefined);
  q.push({ n: 1 });
  q.push({ n: 2 });
  t.equal(q.length, 2);
  q.close(true);
  t.same(await drain(q.iterator()), []);
  t.ok(q.closed);
});

t.test('capacity must be a positive integer', async (t) => {
  t.throws(() => new SampleQueue<Item>(0, () => undefined), RangeError);
});
