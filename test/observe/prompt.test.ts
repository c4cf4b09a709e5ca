/**
 * The prompt box's scoring with a stand-in text encoder (fixed unit vectors): the cosine and
 * the same softmax a rule computes, against the typed contrast or else the watching rules'
 * contrast; sensors without an embedding are left out; the encoder runs once per text.
 */
import t from 'tap';
import { LiveState } from '../../src/observe/live.js';
import { PromptScorer, parsePromptRequest } from '../../src/observe/prompt.js';
import type { CompiledRule } from '../../src/rules/engine.js';
import { scorePrompts } from '../../src/rules/score.js';

const V: Record<string, Float32Array> = {
  'a person': new Float32Array([1, 0, 0]),
  'an empty room': new Float32Array([0, 1, 0]),
  noise: new Float32Array([0, 0, 1]),
};

function setup() {
  const calls: string[][] = [];
  const live = new LiveState();
  const rule: CompiledRule = {
    id: 'person',
    sensors: ['thermal0'],
    prompts: ['a person'],
    promptVectors: [V['a person']],
    contrastVectors: [V['an empty room']],
    enter: 0.6,
    exit: 0.4,
  };
  const scorer = new PromptScorer({
    text: () => ({
      embedTexts: async (texts) => {
        calls.push([...texts]);
        return texts.map((s) => V[s]);
      },
      unknownWords: (s) => (s === 'noise' ? ['noise'] : []),
      logitScale: 10,
      logitBias: 0,
      model: 'fake@1',
    }),
    rules: () => [rule],
    live,
    sensors: ['thermal0', 'mic0', 'cam0'],
  });
  return { calls, live, scorer };
}

t.test('scores every sensor with an embedding, against the rules or the typed contrast', async (t) => {
  const { calls, live, scorer } = setup();
  const e = new Float32Array([0.8, 0.6, 0]);
  live.tap.onEmbedding?.('thermal0', 'thermal', 1n, e);
  live.tap.onEmbedding?.('mic0', 'audio', 1n, new Float32Array([0, 0, 1]));
  const res = await scorer.score({ text: 'a person' });
  t.same(
    res.sensors.map((s) => s.sensor),
    ['thermal0', 'mic0'],
    'cam0 has no embedding yet',
  );
  const thermal = res.sensors[0];
  t.ok(Math.abs(thermal.cosine - 0.8) < 1e-6);
  t.equal(
    thermal.score,
    scorePrompts(e, [V['a person']], [V['an empty room']], 10).score,
    "the rule's softmax",
  );
  t.same(thermal.against, { kind: 'rules', rules: ['person'] });
  t.same(res.sensors[1].against, { kind: 'none' }, 'no rule watches mic0: cosine only');
  t.equal(res.sensors[1].score, undefined);

  const typed = await scorer.score({ text: 'a person', contrast: ['noise'] });
  t.same(typed.sensors[0].against, { kind: 'contrast' });
  t.equal(typed.sensors[0].score, scorePrompts(e, [V['a person']], [V.noise], 10).score);
  t.same(typed.unknownWords, ['noise']);
  await scorer.score({ text: 'a person', contrast: ['noise'] });
  t.same(calls, [['a person'], ['noise']], 'each text embedded once');
});

t.test('request checks', async (t) => {
  t.same(parsePromptRequest({ text: ' a person ', contrast: [' x ', ''] }), {
    text: 'a person',
    contrast: ['x'],
  });
  t.throws(() => parsePromptRequest({ text: '' }), { code: 'USAGE' });
  t.throws(() => parsePromptRequest(null), { code: 'USAGE' });
  t.throws(() => parsePromptRequest({ text: 'a', contrast: 'b' }), {
    code: 'USAGE',
    message: /"contrast" must be a list/,
  });
  t.throws(() => parsePromptRequest({ text: 'a', contrast: Array(9).fill('b') }), { code: 'USAGE' });
});
