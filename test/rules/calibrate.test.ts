/**
 * Calibration maths on backgrounds whose score distribution is known: thresholds proposed on one
 * recording must give a false-alarm rate within 2x of the target on a second one.
 */
import t from 'tap';
import {
  countStarts,
  measureRecall,
  perDay,
  proposeThresholds,
  quantile,
  SECONDS_PER_DAY,
  type Trace,
} from '../../src/rules/calibrate.js';
import { erf } from '../helpers/math.js';

const S = 1_000_000_000n;

/** mulberry32 → standard normal (Box–Muller): reproducible "recordings". */
function gaussian(seed: number): () => number {
  let a = seed;
  const uniform = () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (((x ^ (x >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** n samples at `hz` of an AR(1) process with N(0, 1) marginals (rho 0 = independent). */
function background(seed: number, n: number, hz: number, rho = 0): Trace {
  const g = gaussian(seed);
  const values: number[] = [];
  let x = g();
  for (let i = 0; i < n; i++) {
    values.push(x);
    x = rho * x + Math.sqrt(1 - rho * rho) * g();
  }
  const t = values.map((_, i) => (BigInt(i) * S) / BigInt(hz));
  return { t, values, durationS: n / hz };
}

const NO_TIMING = { for: 0, cooldown: 0 };

/** Inverse standard normal CDF by bisection (for the expected threshold). */
function probit(p: number): number {
  let lo = -10;
  let hi = 10;
  const cdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

t.test(
  'independent N(0,1) scores: the proposal meets the target on a second recording within 2x',
  async (t) => {
    const hz = 4;
    const first = background(1, 40_000, hz);
    const second = background(2, 40_000, hz);
    for (const target of [200, 864, 3000]) {
      const p = proposeThresholds(first, 'zscore', NO_TIMING, target);
      t.ok(
        p.falseAlarmsPerDay <= target,
        `target ${target}: ${p.falseAlarmsPerDay.toFixed(0)}/day on the first`,
      );
      const measured = perDay(countStarts(second, p, NO_TIMING), second.durationS);
      t.ok(
        measured >= target / 2 && measured <= target * 2,
        `target ${target}/day: ${measured.toFixed(0)}/day on the second recording (enter ${p.enter.toFixed(2)}, exit ${p.exit.toFixed(2)})`,
      );
      // Known distribution: with short episodes a start is (nearly) a sample above enter, so
      // enter ≈ Φ⁻¹(1 − target / samples per day).
      const expected = probit(1 - target / (SECONDS_PER_DAY * hz));
      t.ok(Math.abs(p.enter - expected) < 0.15, `enter ${p.enter.toFixed(3)} ≈ ${expected.toFixed(3)}`);
      t.ok(Math.abs(p.exit - (p.median + (p.enter - p.median) / 2)) < 1e-9, 'exit halfway from the median');
    }
  },
);

t.test('correlated scores and `for`: the state machine, not a sample count, decides', async (t) => {
  const first = background(3, 30_000, 10, 0.9);
  const second = background(4, 30_000, 10, 0.9);
  const target = 500;
  const quick = proposeThresholds(first, 'zscore', NO_TIMING, target);
  const held = proposeThresholds(first, 'zscore', { for: 1, cooldown: 0 }, target);
  t.ok(
    held.enter < quick.enter,
    `for 1 s allows a lower enter (${held.enter.toFixed(2)} < ${quick.enter.toFixed(2)})`,
  );
  const measured = perDay(countStarts(second, held, { for: 1, cooldown: 0 }), second.durationS);
  t.ok(
    measured >= target / 2 && measured <= target * 2,
    `${measured.toFixed(0)}/day with for: 1 on the second`,
  );
});

t.test('bounded scores, and a target the recording is too short to measure', async (t) => {
  const g = gaussian(5);
  const values = Array.from({ length: 400 }, () => 1 / (1 + Math.exp(-(g() - 3))));
  const trace: Trace = { t: values.map((_, i) => BigInt(i) * S), values, durationS: 400 };
  const p = proposeThresholds(trace, 'softmax', NO_TIMING, 10);
  t.equal(p.resolutionPerDay, 216, 'one event in 400 s is 216/day');
  t.ok(p.enter > Math.max(...values) && p.enter <= 1, 'no threshold below the maximum meets 10/day');
  t.equal(p.falseAlarmsPerDay, 0);
  const loose = proposeThresholds(trace, 'softmax', NO_TIMING, 5000);
  t.ok(loose.enter < p.enter && loose.enter > 0 && loose.exit <= loose.enter && loose.exit >= 0);
  t.ok(loose.falseAlarmsPerDay <= 5000 && loose.falseAlarmsPerDay > 0);
});

t.test('countStarts honours cooldown; recall counts recordings and samples', async (t) => {
  const values = [0, 1, 0, 1, 0, 1, 0, 0, 0, 1];
  const trace: Trace = { t: values.map((_, i) => BigInt(i) * S), values, durationS: 10 };
  t.equal(countStarts(trace, { enter: 0.5, exit: 0.5 }, NO_TIMING), 4);
  t.equal(
    countStarts(trace, { enter: 0.5, exit: 0.5 }, { for: 0, cooldown: 3 }),
    3,
    'starts at 1, 5 and 9 s',
  );
  const quiet: Trace = { t: [0n, S], values: [0, 0.1], durationS: 2 };
  t.same(measureRecall([trace, quiet], { enter: 0.5, exit: 0.5 }, NO_TIMING), {
    detected: 1,
    recordings: 2,
    sampleShare: 4 / 12,
  });
  t.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
});
