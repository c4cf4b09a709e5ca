import t from 'tap';
import { lowerBound, planWindows, type TimeAxis } from '../../../drivers/replay/windows.js';

/** n samples at `rate` Hz. */
const uniform = (n: number, rate: number): TimeAxis => ({
  count: n,
  at: (i) => (i * 1000) / rate,
  endMs: (n * 1000) / rate,
});

t.test('full windows every hop, then one partial of at least half a window', async (t) => {
  // 6.5 s at 10 Hz, window 5 s, hop 1 s: full at 0 and 1; start 2 leaves 4.5 s >= 2.5 → partial.
  t.same(planWindows(uniform(65, 10), 5000, 1000), [
    { start: 0, end: 50, partial: false },
    { start: 10, end: 60, partial: false },
    { start: 20, end: 65, partial: true },
  ]);
  // 6 s: full at 0, 1; start 2 has 4 s → partial.
  t.equal(planWindows(uniform(60, 10), 5000, 1000).length, 3);
  // 5 s exactly: one full window; start 1 has 4 s → partial
  t.same(
    planWindows(uniform(50, 10), 5000, 1000).map((w) => w.partial),
    [false, true],
  );
  // hop larger than the remainder: 7 s, hop 3: full at 0; start 3 has 4 s → partial; nothing more.
  t.same(planWindows(uniform(70, 10), 5000, 3000), [
    { start: 0, end: 50, partial: false },
    { start: 30, end: 70, partial: true },
  ]);
});

t.test('a series shorter than half a window yields nothing; at half it yields one partial', async (t) => {
  t.same(planWindows(uniform(24, 10), 5000, 1000), []);
  t.same(planWindows(uniform(25, 10), 5000, 1000), [{ start: 0, end: 25, partial: true }]);
  t.same(planWindows(uniform(0, 10), 5000, 1000), []);
});

t.test('fractional hops do not lose or duplicate samples to float error', async (t) => {
  const spans = planWindows(uniform(16000, 16000), 100, 100);
  t.equal(spans.length, 10);
  t.ok(
    spans.every((w, j) => w.start === j * 1600 && w.end === (j + 1) * 1600),
    'windows tile the series exactly',
  );
});

t.test('irregular times: windows follow the timestamps and skip empty gaps', async (t) => {
  const times = [0, 10, 20, 30, 1000, 1010, 1020, 1030, 1040, 1050];
  const axis: TimeAxis = { count: times.length, at: (i) => times[i], endMs: 1060 };
  // [0,100) has 4 rows; [100,200) … [900,1000) are empty and skipped; [1000,1100) is partial (60 ms).
  t.same(planWindows(axis, 100, 100), [
    { start: 0, end: 4, partial: false },
    { start: 4, end: 10, partial: true },
  ]);
  t.equal(lowerBound(axis, 25), 3);
  t.equal(lowerBound(axis, 5000), 10);
});

t.test('window and hop must be positive', async (t) => {
  t.throws(() => planWindows(uniform(10, 10), 0, 100), RangeError);
  t.throws(() => planWindows(uniform(10, 10), 100, -1), RangeError);
});
