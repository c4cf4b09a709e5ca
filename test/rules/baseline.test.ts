import t from 'tap';
import { Baseline } from '../../src/rules/baseline.js';

const S = 1_000_000_000n;

t.test('warm-up, then z against an equal-weight start', async (t) => {
  const b = new Baseline({ halfLife: 600, warmup: 4, minStd: 0.001 });
  const xs = [1, 2, 3, 4];
  xs.forEach((x, i) => {
    t.equal(b.z(x), undefined, `no z after ${i} samples`);
    b.update(x, BigInt(i) * S);
  });
  // equal weights for the first samples: mean 2.5, population variance 1.25
  t.ok(Math.abs(b.stats().mean - 2.5) < 1e-9);
  t.ok(Math.abs(b.stats().std - Math.sqrt(1.25)) < 1e-9);
  t.ok(Math.abs((b.z(5) ?? 0) - 2.5 / Math.sqrt(1.25)) < 1e-9);
});

t.test('old samples fade with the half-life (capture time), and the std has a floor', async (t) => {
  const b = new Baseline({ halfLife: 10, warmup: 1, minStd: 0.05 });
  for (let i = 0; i < 1000; i++) b.update(0, BigInt(i) * S);
  for (let i = 1000; i < 1010; i++) b.update(1, BigInt(i) * S);
  // after one half-life of 1s the mean has moved halfway: 1 − 2^(−10/10) = 0.5
  t.ok(Math.abs(b.stats().mean - 0.5) < 0.01, `mean ${b.stats().mean}`);
  const steady = new Baseline({ halfLife: 10, warmup: 1, minStd: 0.05 });
  for (let i = 0; i < 50; i++) steady.update(0.3, BigInt(i) * S);
  t.ok(Math.abs((steady.z(0.4) ?? 0) - 2) < 1e-9, 'σ is floored at minStd: (0.4 − 0.3) / 0.05');
});
