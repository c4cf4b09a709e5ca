import t from 'tap';
import { Windower, windowSizes } from '../../../drivers/imu/windower.js';

/** n samples whose six channels are k, 10k, 100k, … and times 10·k ms. */
function samples(from: number, n: number): { data: Float32Array; times: Float64Array } {
  const data = new Float32Array(n * 6);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = from + i;
    for (let c = 0; c < 6; c++) data[i * 6 + c] = k * 10 ** c;
    times[i] = 10 * k;
  }
  return { data, times };
}

function run(w: Windower, batches: number[]): { firsts: number[]; t0: number[]; windows: Float32Array[] } {
  const out = { firsts: [] as number[], t0: [] as number[], windows: [] as Float32Array[] };
  let k = 0;
  for (const n of batches) {
    const s = samples(k, n);
    w.push(s.data, s.times, n, (d, t0) => {
      out.windows.push(d);
      out.firsts.push(d[0]);
      out.t0.push(t0);
    });
    k += n;
  }
  return out;
}

t.test('windows of 4 every 2 samples, channel-major, from any batch sizes', async (t) => {
  for (const batches of [[10], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 7], [4, 4, 2]]) {
    const r = run(new Windower(4, 2), batches);
    t.same(r.firsts, [0, 2, 4, 6], `batches ${batches}`);
    t.same(r.t0, [0, 20, 40, 60]);
    // channel c of window 1 (samples 2..5) = k·10^c
    t.same(
      Array.from(r.windows[1]),
      [
        2, 3, 4, 5, 20, 30, 40, 50, 200, 300, 400, 500, 2e3, 3e3, 4e3, 5e3, 2e4, 3e4, 4e4, 5e4, 2e5, 3e5, 4e5,
        5e5,
      ],
    );
  }
});

t.test('hop longer than the window skips samples between windows', async (t) => {
  const r = run(new Windower(2, 5), [12]);
  t.same(r.firsts, [0, 5, 10]);
});

t.test('reset drops the partial window and says how many samples', async (t) => {
  const w = new Windower(4, 4);
  const s = samples(0, 6);
  const got: number[] = [];
  w.push(s.data, s.times, 6, (d) => got.push(d[0]));
  t.same(got, [0]);
  t.equal(w.buffered, 2);
  t.equal(w.reset(), 2);
  t.equal(w.buffered, 0);
});

t.test('sizes in samples, and bad sizes refused', async (t) => {
  t.same(windowSizes(5, 1, 200), { window: 1000, hop: 200 });
  t.same(windowSizes(5, 1, 1000 / 3), { window: 1667, hop: 333 });
  t.same(windowSizes(0.001, 0.001, 10), { window: 1, hop: 1 });
  t.throws(() => new Windower(0, 1), /positive whole/);
  t.throws(() => new Windower(2, 1.5), /positive whole/);
});
