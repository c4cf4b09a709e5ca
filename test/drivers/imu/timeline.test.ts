import t from 'tap';
import { RateMonitor, SampleClock } from '../../../drivers/imu/timeline.js';

t.test('the first batch ends at "now"; later batches continue the sequence', async (t) => {
  const c = new SampleClock(100, 50);
  t.same(Array.from(c.stamp(3, 1000)), [980, 990, 1000]);
  // read a little late: the sequence continues from 1010, not from the read time
  t.same(Array.from(c.stamp(2, 1023)), [1010, 1020]);
  t.equal(c.resyncs, 0);
  t.same(Array.from(c.stamp(0, 1030)), []);
});

t.test('a sequence that drifted beyond the tolerance is re-anchored and counted', async (t) => {
  const c = new SampleClock(100, 50);
  c.stamp(1, 1000);
  t.same(Array.from(c.stamp(1, 2000)), [2000], 'a second of samples missing: re-anchored');
  t.equal(c.resyncs, 1);
  c.reset();
  t.same(Array.from(c.stamp(2, 5000)), [4990, 5000], 'after reset: anchored afresh, not counted');
  t.equal(c.resyncs, 1);
});

t.test('the rate monitor reports a rate more than 20 % off, once per span', async (t) => {
  const m = new RateMonitor(10, 1000);
  t.equal(m.observe(5, 0), undefined, 'first batch only starts the span');
  let reported: number | undefined;
  for (let ms = 100; ms <= 1000; ms += 100) reported = m.observe(10, ms) ?? reported;
  t.equal(reported, 100);
  const ok = new RateMonitor(10, 1000);
  ok.observe(1, 0);
  let none: number | undefined;
  for (let ms = 100; ms <= 2000; ms += 100) none = ok.observe(1, ms) ?? none;
  t.equal(none, undefined, 'on rate: silent');
});
