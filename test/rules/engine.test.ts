import t from 'tap';
import type { Window } from '../../drivers/types.js';
import { type CompiledRule, RuleEngine, type RuleTransition, sampleSpanNs } from '../../src/rules/engine.js';
import { scorePrompts } from '../../src/rules/score.js';

const S = 1_000_000_000n;
const P = Float32Array.from([1, 0, 0]);
const C = Float32Array.from([0, 1, 0]);
function emb(angle: number): Float32Array {
  return Float32Array.from([Math.cos(angle), Math.sin(angle), 0]);
}
// With logit scale 10 and prompt/contrast on orthogonal axes, score = sigmoid(10(cos a - sin a)).
const HIGH = emb(0.1); // ~0.9999
const MID = emb(Math.PI / 4 - 0.02); // just above 0.5
const LOW = emb(1.4); // ~0

function setup(rule: Partial<CompiledRule> = {}, more: CompiledRule[] = [], minutes?: (t: bigint) => number) {
  const transitions: RuleTransition[] = [];
  const scores: Array<[string, number, number]> = [];
  let n = 0;
  const engine = new RuleEngine({
    rules: [
      {
        id: 'person',
        sensors: ['a', 'b'],
        prompts: ['a person'],
        promptVectors: [P],
        contrastVectors: [C],
        enter: 0.6,
        exit: 0.4,
        ...rule,
      },
      ...more,
    ],
    logitScale: 10,
    logitBias: 0,
    observer: {
      onScore: (r, s, v) => scores.push([r, s, v]),
      onTransition: (tr) => transitions.push(tr),
    },
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    localMinutes: minutes,
  });
  return { engine, transitions, scores };
}

const kinds = (trs: RuleTransition[]) => trs.map((tr) => `${tr.rule}:${tr.type}`);

t.test('start at enter, stay on inside the hysteresis band, end below exit', async (t) => {
  const { engine, transitions, scores } = setup();
  engine.observe('a', 'thermal', 1n, LOW);
  t.equal(transitions.length, 0);
  engine.observe('a', 'thermal', 2n, HIGH);
  t.equal(transitions.length, 1);
  t.match(transitions[0], {
    rule: 'person',
    type: 'start',
    prompt: 'a person',
    sensors: ['a'],
    modalities: ['thermal'],
    t: 2n,
  });
  engine.observe('a', 'thermal', 3n, MID);
  t.equal(transitions.length, 1, 'a score between exit and enter keeps the rule on');
  engine.observe('a', 'thermal', 4n, LOW);
  t.equal(transitions.length, 2);
  t.match(transitions[1], { type: 'end', sensors: ['a'], t: 4n });
  t.equal(scores.length, 4);
  t.notOk(engine.snapshot()[0].on);
});

t.test('a middling score never starts the rule', async (t) => {
  const { engine, transitions } = setup();
  for (let i = 0; i < 5; i++) engine.observe('a', 'thermal', BigInt(i), MID);
  t.equal(transitions.length, 0);
});

t.test('sensors a rule does not name are ignored', async (t) => {
  const { engine, transitions, scores } = setup();
  engine.observe('other', 'imu', 1n, HIGH);
  t.equal(transitions.length, 0);
  t.equal(scores.length, 0);
});

t.test('start, updates and end carry one episode id; the next episode a new one', async (t) => {
  const { engine, transitions } = setup({ updateEvery: 1 });
  const feed = [HIGH, HIGH, HIGH, HIGH, HIGH, LOW, HIGH, LOW];
  feed.forEach((e, i) => {
    engine.observe('a', 'thermal', BigInt(i) * (S / 2n), e);
  });
  t.same(
    transitions.map((tr) => tr.type),
    ['start', 'update', 'update', 'end', 'start', 'end'],
  );
  const [first, second] = [transitions.slice(0, 4), transitions.slice(4)];
  t.equal(new Set(first.map((tr) => tr.episode)).size, 1, 'one id across start/update/end');
  t.equal(new Set(second.map((tr) => tr.episode)).size, 1);
  t.not(first[0].episode, second[0].episode, 'a new episode, a new id');
  t.match(transitions[3], { type: 'end', durationS: 2.5, t: 5n * (S / 2n) });
  t.ok(Math.abs((transitions[3].peak ?? 0) - scorePrompts(HIGH, [P], [C], 10).score) < 1e-9, 'peak');
  t.equal(transitions[0].peak, undefined, 'only end carries peak and duration');
});

t.test('for and cooldown run on capture time', async (t) => {
  const { engine, transitions } = setup({ for: 1, cooldown: 2 });
  // 4 Hz: high from 0 s, start at 1 s; low at 2 s → end; high again from 2.25 s, cooldown till 4 s,
  // then for 1 s → start at 5 s.
  const at = (i: number) => BigInt(i) * (S / 4n);
  for (let i = 0; i < 8; i++) engine.observe('a', 'thermal', at(i), HIGH);
  engine.observe('a', 'thermal', at(8), LOW);
  for (let i = 9; i < 30; i++) engine.observe('a', 'thermal', at(i), HIGH);
  t.same(
    transitions.map((tr) => [tr.type, tr.t]),
    [
      ['start', at(4)],
      ['end', at(8)],
      ['start', at(20)],
    ],
  );
});

t.test('fusion any: on while any aligned sensor scores high', async (t) => {
  const { engine, transitions } = setup();
  engine.observe('a', 'thermal', 1n, HIGH);
  engine.observe('b', 'vision', 2n, HIGH);
  engine.observe('a', 'thermal', 3n, LOW);
  t.equal(transitions.length, 1, 'b still sees it');
  engine.observe('b', 'vision', 4n, LOW);
  t.same(kinds(transitions), ['person:start', 'person:end']);
  // a sample of b older than `align` does not keep the rule on
  const late = setup({ align: 1 });
  late.engine.observe('b', 'vision', 0n, HIGH);
  late.engine.observe('a', 'thermal', 5n * S, LOW);
  t.same(kinds(late.transitions), ['person:start', 'person:end'], 'b at 0 s is 5 s away from a');
});

t.test('fusion all: every sensor must see it within the alignment window', async (t) => {
  const { engine, transitions } = setup({ fusion: 'all', align: 0.5 });
  engine.observe('a', 'thermal', 0n, HIGH);
  t.equal(transitions.length, 0, 'b has no sample yet');
  engine.observe('b', 'vision', S, HIGH);
  t.equal(transitions.length, 0, 'a at 0 s is 1 s away from b at 1 s');
  engine.observe('a', 'thermal', S + S / 10n, HIGH);
  t.match(transitions, [{ type: 'start', sensors: ['a', 'b'], modalities: ['thermal', 'vision'] }]);
  engine.observe('b', 'vision', S + S / 5n, LOW);
  t.same(kinds(transitions), ['person:start', 'person:end'], 'one sensor low ends it');
});

t.test('fusion mean: weighted mean of the aligned scores', async (t) => {
  const even = setup({ fusion: 'mean' });
  even.engine.observe('a', 'thermal', 0n, HIGH);
  even.engine.observe('b', 'vision', 1n, LOW);
  t.equal(even.transitions.length, 0, '(1 + 0) / 2 < 0.6');
  const weighted = setup({ fusion: 'mean', weights: { a: 3, b: 1 } });
  weighted.engine.observe('a', 'thermal', 0n, HIGH);
  weighted.engine.observe('b', 'vision', 1n, LOW);
  t.same(kinds(weighted.transitions), ['person:start'], '(3·1 + 0) / 4 ≥ 0.6');
  t.ok(Math.abs(weighted.transitions[0].score - 0.75) < 0.01);
});

t.test('fusion embedding: summed embeddings score what neither sensor does alone', async (t) => {
  // "a person talking" against "a silent person" and "a radio": thermal sees a person, audio a
  // voice; each alone is closer to a contrast prompt, their sum to the prompt.
  const talking = Float32Array.from([Math.SQRT1_2, Math.SQRT1_2, 0]);
  const silent = Float32Array.from([1, 0, 0]);
  const radio = Float32Array.from([0, 1, 0]);
  const thermal = Float32Array.from([1, 0, 0]);
  const audio = Float32Array.from([0, 1, 0]);
  const alone = scorePrompts(thermal, [talking], [silent, radio], 10).score;
  t.ok(alone < 0.1, `each alone scores ${alone.toFixed(2)}`);
  const rule = { promptVectors: [talking], contrastVectors: [silent, radio], prompts: ['a person talking'] };
  const byScore = setup({ ...rule, fusion: 'any' });
  byScore.engine.observe('a', 'thermal', 0n, thermal);
  byScore.engine.observe('b', 'audio', 1n, audio);
  t.equal(byScore.transitions.length, 0, 'fusion any: no');
  const byEmbedding = setup({ ...rule, fusion: 'embedding' });
  byEmbedding.engine.observe('a', 'thermal', 0n, thermal);
  t.equal(byEmbedding.transitions.length, 0, 'one sensor alone is not enough');
  byEmbedding.engine.observe('b', 'audio', 1n, audio);
  t.match(byEmbedding.transitions, [{ type: 'start', sensors: ['a', 'b'], prompt: 'a person talking' }]);
  t.ok(byEmbedding.transitions[0]?.score > 0.85, `fused score ${byEmbedding.transitions[0]?.score}`);
});

t.test('alignment uses what a sample covers: a 5 s window aligns with a frame inside it', async (t) => {
  const { engine, transitions } = setup({ fusion: 'all', align: 0.5 });
  engine.observe('b', 'imu', 0n, HIGH, 5n * S); // covers 0..5 s
  engine.observe('a', 'thermal', 4n * S, HIGH); // 4 s after the window's start
  t.same(kinds(transitions), ['person:start']);
  const window: Window = {
    kind: 'window',
    sensor: 'imu0',
    modality: 'imu',
    t: 0n,
    rate: 200,
    channels: 6,
    data: new Float32Array(6 * 1000),
  };
  t.equal(sampleSpanNs(window), 5n * S, '1000 samples at 200 Hz');
});

t.test('when: other rules on/off and a local time window, on capture time', async (t) => {
  const lights: CompiledRule = {
    id: 'lights',
    sensors: ['cam'],
    prompts: ['bright'],
    promptVectors: [P],
    contrastVectors: [C],
    enter: 0.6,
    exit: 0.4,
  };
  const night = setup({ when: { between: ['22:00', '06:00'], off: ['lights'] } }, [lights], (tNs) =>
    Number((tNs / S) % 1440n),
  ); // one capture second = one minute of the day
  const at = (hhmm: number) => BigInt(hhmm) * S;
  night.engine.observe('a', 'thermal', at(12 * 60), HIGH);
  t.same(kinds(night.transitions), [], 'noon is outside 22:00–06:00');
  night.engine.observe('a', 'thermal', at(23 * 60), HIGH);
  t.same(kinds(night.transitions), ['person:start'], '23:00 is inside');
  night.engine.observe('cam', 'vision', at(23 * 60 + 1), HIGH);
  night.engine.observe('a', 'thermal', at(23 * 60 + 2), HIGH);
  t.same(kinds(night.transitions), ['person:start', 'lights:start', 'person:end'], 'lights on ends it');
  night.engine.observe('cam', 'vision', at(23 * 60 + 3), LOW);
  night.engine.observe('a', 'thermal', at(24 * 60 + 60), HIGH); // 01:00 next day
  t.same(kinds(night.transitions).slice(3), ['lights:end', 'person:start'], 'after midnight, lights off');
});

t.test('zscore: against the sensor background, frozen while the rule is on', async (t) => {
  const jitter = (i: number) => emb(1.2 + 0.02 * Math.sin(i * 1.7)); // background: cos ≈ 0.36 ± 0.02
  const { engine, transitions, scores } = setup({
    score: 'zscore',
    enter: 4,
    exit: 2,
    baseline: { halfLife: 60, warmup: 20, minStd: 0.01 },
  });
  for (let i = 0; i < 19; i++) engine.observe('a', 'thermal', BigInt(i) * S, jitter(i));
  t.equal(scores.length, 0, 'no score while the baseline warms up');
  for (let i = 19; i < 100; i++) engine.observe('a', 'thermal', BigInt(i) * S, jitter(i));
  t.equal(transitions.length, 0, 'the background stays quiet');
  // A long plateau: with a frozen baseline the z-score stays high and the rule stays on.
  for (let i = 100; i < 400; i++) engine.observe('a', 'thermal', BigInt(i) * S, emb(0.9));
  t.match(transitions, [{ type: 'start', t: 100n * S }]);
  t.ok((transitions[0].z ?? 0) > 4, `z = ${transitions[0].z}`);
  t.ok(transitions[0].score > 0.99 && transitions[0].score <= 1, 'the wire score is Φ(z)');
  engine.observe('a', 'thermal', 400n * S, jitter(400));
  t.same(
    transitions.map((tr) => tr.type),
    ['start', 'end'],
    'still on after 300 s of plateau, off when the background returns',
  );
});

t.test('replaceRules keeps unchanged rules, ends changed and removed ones that are on', async (t) => {
  const base: CompiledRule = {
    id: 'person',
    sensors: ['a'],
    prompts: ['a person'],
    promptVectors: [P],
    contrastVectors: [C],
    enter: 0.6,
    exit: 0.4,
    key: 'k1',
  };
  const other: CompiledRule = { ...base, id: 'other', key: 'o1' };
  const { engine, transitions } = setup(base, [other]);
  engine.observe('a', 'thermal', 0n, HIGH);
  t.same(kinds(transitions), ['person:start', 'other:start']);
  engine.replaceRules([base, { ...other, key: 'o2', enter: 0.7 }]);
  t.same(kinds(transitions).slice(2), ['other:end'], 'the changed rule ends; the unchanged one stays on');
  t.equal(transitions[2].episode, transitions[1].episode);
  engine.observe('a', 'thermal', 1n, HIGH);
  t.same(kinds(transitions).slice(3), ['other:start'], 'the new version starts on its own');
  engine.replaceRules([{ ...other, key: 'o2', enter: 0.7 }]);
  t.same(kinds(transitions).slice(4), ['person:end'], 'a removed rule that is on ends');
  t.same(
    engine.snapshot().map((s) => [s.id, s.on]),
    [['other', true]],
  );
});
