import t from 'tap';
import { FairQueue } from '../../src/scheduler/fairQueue.js';

t.test('weighted turns, order kept per lane', async (t) => {
  const q = new FairQueue<string>(100);
  q.setWeight('a', 3);
  for (let i = 0; i < 40; i++) {
    q.push('a', `a${i}`, i);
    q.push('b', `b${i}`, i);
  }
  const taken = q.take(40).map((x) => x.value);
  t.equal(taken.filter((v) => v.startsWith('a')).length, 30, '3 : 1');
  t.same(
    taken.filter((v) => v.startsWith('b')),
    ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9'],
  );
  t.same(taken.slice(0, 4).sort(), ['a0', 'a1', 'a2', 'b0'], 'smooth: b is not left to the end');
  t.equal(q.size, 40);
});

t.test('a lane over its limit loses its own oldest; oldestMs and clear', async (t) => {
  const q = new FairQueue<number>(2);
  t.same(q.push('a', 1, 10), []);
  q.push('b', 100, 5);
  q.push('a', 2, 11);
  t.same(
    q.push('a', 3, 12).map((x) => x.value),
    [1],
  );
  t.equal(q.sizeOf('a'), 2);
  t.equal(q.sizeOf('b'), 1);
  t.equal(q.oldestMs(), 5);
  t.same(
    q.clear().map((x) => x.value),
    [2, 3, 100],
  );
  t.equal(q.size, 0);
  t.equal(q.oldestMs(), undefined);
  t.same(q.take(3), []);
});
