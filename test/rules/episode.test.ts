import t from 'tap';
import { Episode, type EpisodeOptions, type EpisodeStep } from '../../src/rules/episode.js';

const S = 1_000_000_000n; // one second in ns

function run(opts: Partial<EpisodeOptions>, values: Array<number | undefined>, dtNs = S / 4n) {
  const episode = new Episode<number>({
    enter: 0.6,
    exit: 0.4,
    forNs: 0n,
    cooldownNs: 0n,
    updateNs: 0n,
    ...opts,
  });
  const steps: Array<EpisodeStep<number> & { i: number }> = [];
  values.forEach((value, i) => {
    const step = episode.step(BigInt(i) * dtNs, { value, score: value ?? 0, info: i });
    if (step) steps.push({ ...step, i });
  });
  return steps;
}

/** Deterministic noise: mulberry32. */
function noise(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('hysteresis: a noisy score around one threshold does not flap', async (t) => {
  const rnd = noise(7);
  // 200 samples of 0.5 ± 0.09 (between exit and enter, crossing neither), then a step up with
  // noise crossing 0.6 back and forth, then down.
  const values = [
    ...Array.from({ length: 200 }, () => 0.5 + (rnd() - 0.5) * 0.18),
    ...Array.from({ length: 200 }, () => 0.62 + (rnd() - 0.5) * 0.3), // 0.47..0.77: crosses enter often
    ...Array.from({ length: 200 }, () => 0.2 + (rnd() - 0.5) * 0.3), // 0.05..0.35: below exit
  ];
  const crossings = values.slice(200, 400).filter((v, i, a) => i > 0 && v >= 0.6 !== a[i - 1] >= 0.6).length;
  t.ok(crossings > 50, `the middle part crosses enter ${crossings} times`);
  const steps = run({}, values);
  t.same(
    steps.map((s) => [s.type, s.i]),
    [
      ['start', steps[0].i],
      ['end', 400],
    ],
    'one start in the noisy part, one end when it falls below exit',
  );
  t.ok(steps[0].i >= 200 && steps[0].i < 210, 'it starts at the first sample at or above enter');
  t.equal(values[steps[0].i] >= 0.6, true);
  t.equal(values.slice(200, steps[0].i).filter((v) => v >= 0.6).length, 0);

  const single = run({ enter: 0.6, exit: 0.6 }, values);
  t.ok(
    single.length > 20,
    `without a hysteresis band (exit = enter) the same score flaps: ${single.length} events`,
  );
});

t.test('for: start at the first sample at least `for` after the first one at or above enter', async (t) => {
  // 4 Hz; for = 2 s: on from sample 4 (t = 1 s), so the start is at sample 12 (t = 3 s).
  const values = [0, 0, 0, 0, ...Array(20).fill(0.9), 0];
  t.same(
    run({ forNs: 2n * S }, values).map((s) => [s.type, s.i]),
    [
      ['start', 12],
      ['end', 24],
    ],
  );
  // The same recording played 10x as fast in capture time: 20 samples of 25 ms = 0.5 s < for.
  t.same(run({ forNs: 2n * S }, values, S / 40n), [], 'capture time decides, not sample count');
  // A dip between exit and enter keeps the pending episode; a dip below exit restarts the count.
  const dip = [0.9, 0.9, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
  t.equal(run({ forNs: 2n * S }, dip)[0]?.i, 8, 'a dip to 0.5 keeps counting from sample 0');
  const drop = [0.9, 0.9, 0.3, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
  t.equal(run({ forNs: 2n * S }, drop)[0]?.i, 11, 'a drop below exit restarts the count at sample 3');
  t.same(run({ forNs: 2n * S }, [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.2]), [], 'shorter than for: no event');
});

t.test('cooldown: no new episode until `cooldown` after the end, to the sample', async (t) => {
  // ends at sample 2 (t = 0.5 s); cooldown 1 s → the earliest start is sample 6 (t = 1.5 s).
  const values = [0.9, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9];
  t.same(
    run({ cooldownNs: S }, values).map((s) => [s.type, s.i]),
    [
      ['start', 0],
      ['end', 2],
      ['start', 6],
    ],
  );
  t.same(
    run({}, values).map((s) => [s.type, s.i]),
    [
      ['start', 0],
      ['end', 2],
      ['start', 3],
    ],
    'without cooldown it starts again at once',
  );
  // `for` starts counting only once the cooldown is over: ends at sample 3 (0.75 s), cooldown until
  // 1.75 s (sample 7), for 0.5 s → the second start is sample 9.
  const again = [0.9, 0.9, 0.9, 0.1, ...Array(10).fill(0.9)];
  t.same(
    run({ cooldownNs: S, forNs: S / 2n }, again).map((s) => [s.type, s.i]),
    [
      ['start', 2],
      ['end', 3],
      ['start', 9],
    ],
  );
});

t.test('updates: at most one per interval, with the best reading since the last event', async (t) => {
  const values = [0.7, 0.8, 0.95, 0.7, 0.75, 0.9, 0.7, 0.7, 0.2];
  const steps = run({ updateNs: S / 2n }, values);
  t.same(
    steps.map((s) => [s.type, s.i, s.reading.info]),
    [
      ['start', 0, 0],
      ['update', 2, 2],
      ['update', 4, 4],
      ['update', 6, 5],
      ['end', 8, 8],
    ],
  );
  const end = steps.at(-1);
  t.equal(end?.type === 'end' && end.peak, 0.95, 'peak over the whole episode');
  t.equal(end?.type === 'end' && end.durationNs, 2n * S, 'duration from start to end');
});

t.test('a reading without a value, or not allowed, counts as below exit', async (t) => {
  t.same(
    run({}, [0.9, undefined, 0.9]).map((s) => [s.type, s.i]),
    [
      ['start', 0],
      ['end', 1],
      ['start', 2],
    ],
  );
  const e = new Episode<null>({ enter: 0.6, exit: 0.4, forNs: 0n, cooldownNs: 0n, updateNs: 0n });
  t.equal(e.step(0n, { value: 0.9, score: 0.9, info: null }, false), undefined, 'not allowed: no start');
  t.equal(e.step(1n, { value: 0.9, score: 0.9, info: null })?.type, 'start');
  t.ok(e.on && e.active);
  t.equal(e.step(2n, { value: 0.9, score: 0.9, info: null }, false)?.type, 'end', 'when false ends it');
  t.notOk(e.active);
});
