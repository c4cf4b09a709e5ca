/** Capture timestamps from arrival times (drivers/process/capture-clock.ts). */
import t from 'tap';
import { CaptureClock } from '../../../drivers/process/capture-clock.js';

const T0 = 1_700_000_000_000; // ms
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

t.test('video: first frame anchors at its arrival; later frames on the 1/fps grid', async (t) => {
  const c = new CaptureClock({ unitMs: 100, unitsHaveDuration: false, tighten: true, toleranceMs: 1000 });
  t.equal(c.stamp(T0 + 50), ns(T0 + 50), 'frame 0 at its arrival');
  t.equal(c.stamp(T0 + 170), ns(T0 + 150), 'frame 1: arrived 20 ms late, stamped on the grid');
  t.equal(c.stamp(T0 + 251), ns(T0 + 250));
});

t.test(
  'video: a frame arriving sooner than the grid allows re-anchors it (never in the future)',
  async (t) => {
    const c = new CaptureClock({ unitMs: 100, unitsHaveDuration: false, tighten: true, toleranceMs: 1000 });
    c.stamp(T0 + 80); // a slow first frame
    t.equal(c.stamp(T0 + 130), ns(T0 + 130), 'frame 1 cannot be at 180: it arrived at 130');
    t.equal(c.stamp(T0 + 240), ns(T0 + 230), 'the grid now runs from frame 1');
  },
);

t.test('late beyond the tolerance: frames were lost, re-anchor and count it', async (t) => {
  let resyncs = 0;
  const c = new CaptureClock({
    unitMs: 100,
    unitsHaveDuration: false,
    tighten: true,
    toleranceMs: 1000,
    onResync: () => resyncs++,
  });
  c.stamp(T0);
  t.equal(c.stamp(T0 + 1000), ns(T0 + 100), 'within tolerance');
  t.equal(c.stamp(T0 + 5000), ns(T0 + 5000), 'a 4.8 s gap: stamped at arrival');
  t.equal(resyncs, 1);
  t.equal(c.stamp(T0 + 5100), ns(T0 + 5100));
});

t.test('audio: sample-accurate from the anchor; blocks date from their first sample', async (t) => {
  const c = new CaptureClock({
    unitMs: 1000 / 16000,
    unitsHaveDuration: true,
    tighten: false,
    toleranceMs: 1000,
  });
  // Three 320-sample blocks (20 ms) arriving with jitter, two in one burst.
  t.equal(c.stamp(T0 + 30, 320), ns(T0 + 10), 'block 0 began 20 ms before it arrived');
  t.equal(c.stamp(T0 + 45, 320), ns(T0 + 30), 'block 1 arrived 5 ms early: still on the sample grid');
  t.equal(c.stamp(T0 + 95, 320), ns(T0 + 50), 'block 2 late: still on the sample grid');
  t.same(c.anchor, { unit: 0, ns: ns(T0 + 10) }, 'one anchor');
  t.equal(
    c.timeOf(c.anchor!, 16_000 * 3600),
    ns(T0 + 10) + 3_600_000_000_000n,
    'an hour of samples, to the ns',
  );
});

t.test('times strictly increase, also across runs', async (t) => {
  const c = new CaptureClock({ unitMs: 10, unitsHaveDuration: false, tighten: true, toleranceMs: 1000 });
  const a = c.stamp(T0);
  const b = c.stamp(T0);
  t.ok(b > a, 'two frames in one chunk');
  c.reset();
  t.ok(c.stamp(T0) > b, 'a new run at the same arrival time');
  t.throws(
    () => new CaptureClock({ unitMs: 0, unitsHaveDuration: false, tighten: true, toleranceMs: 1 }),
    RangeError,
  );
});
