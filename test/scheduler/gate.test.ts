/**
 * Gating signatures: laid out by the tensor's rank, compared by their largest cell change.
 */
import t from 'tap';
import { change, signature } from '../../src/scheduler/gate.js';

t.test('image [C,H,W]: a small local change is seen, not averaged away', async (t) => {
  const a = new Float32Array(3 * 64 * 64).fill(0.5);
  const b = a.slice();
  // a 4×4 patch (one 16×16-grid cell of a 64×64 image) in one channel, 1/768 of the tensor
  for (let y = 60; y < 64; y++) for (let x = 60; x < 64; x++) b[2 * 4096 + y * 64 + x] = 1.5;
  const sa = signature(a, [3, 64, 64]);
  t.equal(sa.length, 3 * 16 * 16);
  t.equal(change(sa, signature(b, [3, 64, 64])), 1);
  t.equal(change(sa, signature(a.slice(), [3, 64, 64])), 0, 'an identical frame');
});

t.test('spectrogram [K,1,F,T]: a steady sound one hop later is the same; another sound is not', async (t) => {
  const [K, F, T] = [3, 128, 204];
  const make = (shift: number, tone: number) => {
    const x = new Float32Array(K * F * T);
    for (let k = 0; k < K; k++)
      for (let f = 0; f < F; f++)
        for (let i = 0; i < T; i++)
          x[(k * F + f) * T + i] = (f === tone ? 3 : -1) + 0.5 * Math.sin((2 * Math.PI * (i + shift)) / 17);
    return signature(x, [K, 1, F, T]);
  };
  const steady = make(0, 40);
  t.equal(steady.length, K * 32);
  t.ok(change(steady, make(5, 40)) < 0.05, 'phase shift: no change');
  t.ok(change(steady, make(0, 100)) > 0.5, 'a different tone');
});

t.test('series [C,T]: a periodic motion shifted in phase is the same; a new posture is not', async (t) => {
  const [C, T] = [6, 2000];
  const make = (phase: number, gravityAxis: number) => {
    const x = new Float32Array(C * T);
    for (let c = 0; c < C; c++)
      for (let i = 0; i < T; i++)
        x[c * T + i] = (c === gravityAxis ? 9.81 : 0) + Math.sin((2 * Math.PI * (i + phase)) / 100);
    return signature(x, [C, T]);
  };
  const walk = make(0, 2);
  t.equal(walk.length, C * 4 * 2);
  t.ok(change(walk, make(73, 2)) < 0.05, 'phase shift: no change');
  t.ok(change(walk, make(0, 0)) > 9, 'gravity moved to another axis');
});

t.test('flat tensors, a wrong shape, different lengths and NaN', async (t) => {
  const x = Float32Array.from({ length: 1000 }, (_, i) => i % 10);
  t.equal(signature(x, [1000]).length, 64);
  t.equal(signature(x, [7, 7]).length, 64, 'a shape that does not fit the data is treated as flat');
  t.equal(change(signature(x, [1000]), new Float32Array(3)), Number.POSITIVE_INFINITY);
  t.equal(change(Float32Array.of(1, 2), Float32Array.of(1, Number.NaN)), Number.POSITIVE_INFINITY);
});
