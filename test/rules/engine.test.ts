import t from 'tap';
import { type CompiledRule, RuleEngine, type RuleTransition } from '../../src/rules/engine.js';

const P = Float32Array.from([1, 0]);
const C = Float32Array.from([0, 1]);
function emb(angle: number): Float32Array {
  return Float32Array.from([Math.cos(angle), Math.sin(angle)]);
}
// With logit scale 10 and prompt/contrast on orthogonal axes, score = sigmoid(10(cos a - sin a)).
const HIGH = emb(0.1); // ~0.9999
const MID = emb(Math.PI / 4 - 0.02); // just above 0.5
const LOW = emb(1.4); // ~0

function setup(rule: Partial<CompiledRule> = {}) {
  const transitions: RuleTransition[] = [];
  const scores: number[] = [];
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
    ],
    logitScale: 10,
    logitBias: 0,
    observer: { onScore: (_r, s) => scores.push(s), onTransition: (tr) => transitions.push(tr) },
  });
  return { engine, transitions, scores };
}

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

t.test('over several sensors the rule stays on while any sensor scores high', async (t) => {
  const { engine, transitions } = setup();
  engine.observe('a', 'thermal', 1n, HIGH);
  engine.observe('b', 'vision', 2n, HIGH);
  engine.observe('a', 'thermal', 3n, LOW);
  t.equal(transitions.length, 1, 'b still sees it');
  engine.observe('b', 'vision', 4n, LOW);
  t.equal(transitions.length, 2);
  t.equal(transitions[1].type, 'end');
});

t.test('sensors a rule does not name are ignored', async (t) => {
  const { engine, transitions, scores } = setup();
  engine.observe('other', 'imu', 1n, HIGH);
  t.equal(transitions.length, 0);
  t.equal(scores.length, 0);
});
