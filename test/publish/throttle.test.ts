import t from 'tap';
import { LatestThrottle } from '../../src/publish/throttle.js';
import { FakeClock } from './fakeClock.js';

function setup(intervalMs: number) {
  const clock = new FakeClock();
  const out: [string, number, number][] = [];
  const throttle = new LatestThrottle<number>(intervalMs, (k, v) => out.push([k, v, clock.now()]), clock);
  return { clock, out, throttle };
}

t.test('first value at once, the latest pending one when the interval has elapsed', async (t) => {
  const { clock, out, throttle } = setup(1000);
  throttle.push('person', 0.1);
  clock.advance(100);
  throttle.push('person', 0.2);
  clock.advance(100);
  throttle.push('person', 0.3);
  t.same(out, [['person', 0.1, 0]]);
  clock.advance(799);
  t.same(out, [['person', 0.1, 0]], 'nothing before the interval');
  clock.advance(1);
  t.same(
    out,
    [
      ['person', 0.1, 0],
      ['person', 0.3, 1000],
    ],
    'the latest, not 0.2',
  );
  t.equal(throttle.superseded, 1);
  t.equal(clock.pending, 0, 'no timer left when nothing is pending');
});

t.test('after a quiet interval a value goes out at once again', async (t) => {
  const { clock, out, throttle } = setup(1000);
  throttle.push('a', 0.1);
  clock.advance(5000);
  throttle.push('a', 0.2);
  t.same(
    out.map(([, v]) => v),
    [0.1, 0.2],
  );
  throttle.push('a', 0.3);
  clock.advance(1000);
  throttle.push('a', 0.4);
  clock.advance(1000);
  t.same(
    out,
    [
      ['a', 0.1, 0],
      ['a', 0.2, 5000],
      ['a', 0.3, 6000],
      ['a', 0.4, 7000],
    ],
    'at most one per interval',
  );
});

t.test('keys are independent', async (t) => {
  const { clock, out, throttle } = setup(1000);
  throttle.push('a', 0.1);
  throttle.push('b', 0.2);
  throttle.push('a', 0.3);
  clock.advance(1000);
  t.same(out, [
    ['a', 0.1, 0],
    ['b', 0.2, 0],
    ['a', 0.3, 1000],
  ]);
});

t.test('flush emits what is pending now; stop discards and cancels', async (t) => {
  const { clock, out, throttle } = setup(1000);
  throttle.push('a', 0.1);
  throttle.push('a', 0.2);
  throttle.flush();
  t.same(out, [
    ['a', 0.1, 0],
    ['a', 0.2, 0],
  ]);
  t.equal(clock.pending, 0);
  throttle.push('b', 0.5);
  throttle.push('b', 0.6);
  throttle.stop();
  clock.advance(5000);
  t.same(out.length, 3, 'b 0.6 discarded by stop()');
  t.equal(clock.pending, 0);
});

t.test('interval 0 passes everything; a negative interval is refused', async (t) => {
  const { out, throttle } = setup(0);
  for (const v of [0.1, 0.2, 0.3]) throttle.push('a', v);
  t.same(
    out.map(([, v]) => v),
    [0.1, 0.2, 0.3],
  );
  t.throws(() => new LatestThrottle(-1, () => {}), RangeError);
});
