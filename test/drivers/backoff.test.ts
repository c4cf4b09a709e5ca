import t from 'tap';
import { Backoff } from '../../drivers/backoff.js';

t.test('grows exponentially up to the cap and counts attempts', async (t) => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 });
  t.same(
    Array.from({ length: 6 }, () => b.next()),
    [100, 200, 400, 800, 1000, 1000],
  );
  t.equal(b.attempt, 6);
  b.reset();
  t.equal(b.attempt, 0);
  t.equal(b.next(), 100);
});

t.test('jitter lowers the delay by up to jitter × delay', async (t) => {
  const values = [0, 0.5, 0.999];
  const b = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => values.shift() ?? 0 });
  t.equal(b.next(), 1000);
  t.equal(b.next(), 900);
  t.ok(Math.abs(b.next() - 800.2) < 1e-9);
});

t.test('refuses nonsense options', async (t) => {
  t.throws(() => new Backoff({ initialMs: 0 }), RangeError);
  t.throws(() => new Backoff({ initialMs: 100, maxMs: 50 }), RangeError);
  t.throws(() => new Backoff({ factor: 0.5 }), RangeError);
  t.throws(() => new Backoff({ jitter: 1.5 }), RangeError);
});
