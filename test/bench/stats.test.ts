/** bench/stats.ts: the summaries every benchmark figure goes through (no timing here). */
import t from 'tap';
import { cell, cosine, interleaved, once, quantile, ratio, scale, stat } from '../../bench/stats.js';

t.test('stat: median of odd and even counts, min, max, runs; NaN ignored', async (t) => {
  t.same(stat([3, 1, 2]), { median: 2, min: 1, max: 3, runs: 3 });
  t.same(stat([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4, runs: 4 });
  t.same(stat([5, Number.NaN]), { median: 5, min: 5, max: 5, runs: 1 });
  const empty = stat([]);
  t.equal(empty.runs, 0);
  t.ok(Number.isNaN(empty.median));
  t.same(once(7), { median: 7, min: 7, max: 7, runs: 1 });
});

t.test('ratio pairs runs one to one and refuses unpaired lists', async (t) => {
  t.same(ratio([2, 6, 3], [1, 2, 3]), { median: 2, min: 1, max: 3, runs: 3 });
  t.throws(() => ratio([1, 2], [1]), RangeError);
});

t.test('quantile is nearest-rank; scale keeps order', async (t) => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  t.equal(quantile(xs, 0.5), 50);
  t.equal(quantile(xs, 0.99), 99);
  t.equal(quantile(xs, 1), 100);
  t.equal(quantile([], 0.99), 0);
  t.same(scale({ median: 2, min: 1, max: 3, runs: 3 }, 10), { median: 20, min: 10, max: 30, runs: 3 });
});

t.test('cosine', async (t) => {
  t.equal(cosine([1, 0], [0, 1]), 0);
  t.equal(cosine([1, 2], [2, 4]), 1);
  t.equal(cosine([0, 0], [1, 1]), 0);
  t.throws(() => cosine([1], [1, 2]), RangeError);
});

t.test('interleaved runs every side once per repeat, in turn', async (t) => {
  const order: string[] = [];
  const runs = await interleaved(3, {
    a: async () => {
      order.push('a');
      return order.length;
    },
    b: async () => {
      order.push('b');
      return -order.length;
    },
  });
  t.same(order, ['a', 'b', 'a', 'b', 'a', 'b']);
  t.same(runs, { a: [1, 3, 5], b: [-2, -4, -6] });
});

t.test('cell renders one run plainly and several with their range', async (t) => {
  t.equal(cell(once(1.234), 2), '1.23');
  t.equal(cell(stat([1, 2, 3]), 1, ' ms'), '2.0 ms (1.0 ms–3.0 ms)');
  t.equal(cell(undefined), '—');
});
