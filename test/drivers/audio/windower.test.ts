/** PCM windows (drivers/audio/windower.ts): the replay window rule, channel-major data, anchor-based times. */
import t from 'tap';
import { PcmWindower } from '../../../drivers/audio/windower.js';
import type { Anchor } from '../../../drivers/process/capture-clock.js';

const T0 = 1_700_000_000_000_000_000n;

/** Interleaved stereo frames i = from..to-1: left = i, right = −i. */
function frames(from: number, to: number): Int16Array {
  const out = new Int16Array((to - from) * 2);
  for (let i = from; i < to; i++) {
    out[(i - from) * 2] = i;
    out[(i - from) * 2 + 1] = -i;
  }
  return out;
}

t.test('windows of 10 frames every 4, from 3-frame blocks', async (t) => {
  const w = new PcmWindower({ channels: 2, rate: 1000, windowFrames: 10, hopFrames: 4 });
  const anchor: Anchor = { unit: 0, ns: T0 };
  const out = [];
  for (let b = 0; b < 10; b++) out.push(...w.push(frames(3 * b, 3 * b + 3), anchor));
  // 30 frames: windows start at 0, 4, 8, 12, 16, 20 (20 + 10 = 30 fits), not 24.
  t.equal(out.length, 6);
  out.forEach((win, j) => {
    const left = Array.from(win.data.subarray(0, 10), (v) => Math.round(v * 32768));
    const right = Array.from(win.data.subarray(10), (v) => Math.round(v * 32768));
    t.same(
      left,
      Array.from({ length: 10 }, (_, i) => 4 * j + i),
      `window ${j} left`,
    );
    t.same(
      right,
      Array.from({ length: 10 }, (_, i) => -(4 * j + i) || 0),
      `window ${j} right`,
    );
    t.equal(win.t, T0 + BigInt(j) * 4_000_000n, `window ${j} at 4j ms`);
  });
  t.equal(out[0].data[1], 1 / 32768, 'int16 / 32768');
});

t.test('hop longer than the window skips samples; a new anchor dates later windows', async (t) => {
  const w = new PcmWindower({ channels: 1, rate: 100, windowFrames: 2, hopFrames: 5 });
  const mono = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);
  const a0: Anchor = { unit: 0, ns: T0 };
  const a1: Anchor = { unit: 8, ns: T0 + 500_000_000n }; // a resync at frame 8
  const out = [...w.push(mono(0, 8), a0), ...w.push(mono(8, 8), a1)];
  t.same(
    out.map((x) => Array.from(x.data, (v) => v * 32768)),
    [
      [0, 1],
      [5, 6],
      [10, 11],
    ],
  );
  t.same(
    out.map((x) => x.t),
    [T0, T0 + 50_000_000n, T0 + 500_000_000n + 20_000_000n],
  );
  w.reset();
  t.same(
    w.push(mono(100, 2), { unit: 0, ns: T0 }).map((x) => Array.from(x.data, (v) => v * 32768)),
    [[100, 101]],
    'after reset the stream starts again',
  );
  t.throws(() => new PcmWindower({ channels: 0, rate: 1, windowFrames: 1, hopFrames: 1 }), RangeError);
});
