import t from 'tap';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/publish/backoff.js';

const opts = { initialMs: 100, maxMs: 1000, factor: 2 };

t.test('grows exponentially up to the cap, with jitter in [d/2, d]', async (t) => {
  const low = [0, 1, 2, 3, 4, 5, 10, 100].map((a) => backoffDelay(a, opts, () => 0));
  const high = [0, 1, 2, 3, 4, 5, 10, 100].map((a) => backoffDelay(a, opts, () => 0.999999));
  t.same(low, [50, 100, 200, 400, 500, 500, 500, 500]);
  t.same(high, [100, 200, 400, 800, 1000, 1000, 1000, 1000]);
});

t.test('jitter spreads a fleet out', async (t) => {
  let seed = 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, opts, random)));
  t.ok(delays.size > 10, `distinct delays: ${delays.size}`);
  for (const d of delays) t.ok(d >= 400 && d <= 800, `${d} in [400, 800]`);
});

t.test('defaults never wait more than 30 s', async (t) => {
  t.equal(
    backoffDelay(1e6, DEFAULT_BACKOFF, () => 1),
    30_000,
  );
  t.equal(
    backoffDelay(-1, DEFAULT_BACKOFF, () => 1),
    DEFAULT_BACKOFF.initialMs,
  );
});
