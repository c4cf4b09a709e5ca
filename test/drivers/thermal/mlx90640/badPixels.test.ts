import t from 'tap';
import { correctBadPixels } from '../../../../drivers/thermal/mlx90640/badPixels.js';

/** A smooth ramp: value = row + col/10, so neighbour estimates are predictable. */
const ramp = (): Float64Array =>
  Float64Array.from({ length: 768 }, (_, i) => Math.floor(i / 32) + (i % 32) / 10);

t.test('chess mode: the median of the four diagonal neighbours (same subpage)', async (t) => {
  const to = ramp();
  const p = 5 * 32 + 10;
  to[p] = 999;
  correctBadPixels(to, [p], true);
  t.ok(Math.abs(to[p]! - (5 + 1.0)) < 1e-9, `estimate ${to[p]}`);
  const corner = ramp();
  corner[0] = 999;
  correctBadPixels(corner, [0], true);
  t.equal(corner[0], corner[33], 'corner pixel 0 takes pixel 33');
});

t.test('interleaved mode: row neighbours, extrapolated from the smoother side', async (t) => {
  const to = ramp();
  const p = 7 * 32 + 12;
  to[p] = -999;
  correctBadPixels(to, [p], false);
  t.ok(Math.abs(to[p]! - (7 + 1.2)) < 1e-9, `estimate ${to[p]}`);
  const edge = ramp();
  edge[32] = 999;
  correctBadPixels(edge, [32], false);
  t.equal(edge[32], edge[33], 'column 0 takes its right neighbour');
  const pair = ramp();
  const q = 3 * 32 + 10;
  pair[q] = 500;
  correctBadPixels(pair, [q, q + 2], false);
  t.ok(
    Math.abs(pair[q]! - (pair[q - 1]! + pair[q + 1]!) / 2) < 1e-9,
    'a bad pixel two columns away: plain mean',
  );
});
