import t from 'tap';
import { parseRulesPayload, rulesCommandTopics } from '../../src/rules/command.js';

const SENSORS = ['thermal0', 'mic0'];

t.test('a YAML list, a JSON list or {rules: [...]} is a rule set', async (t) => {
  const yaml = parseRulesPayload('- { id: person, sensors: [thermal0], prompts: [a person] }\n', SENSORS);
  t.match(yaml, { ok: true, rules: [{ id: 'person', score: 'cosine', enter: 0.6, exit: 0.4 }] });
  const json = parseRulesPayload(
    JSON.stringify({
      rules: [{ id: 'alarm', sensors: ['mic0'], prompts: ['a siren'], contrast: ['quiet'] }],
    }),
    SENSORS,
  );
  t.match(json, { ok: true, rules: [{ id: 'alarm', score: 'softmax' }] });
  t.match(parseRulesPayload('[]', SENSORS), { ok: true, rules: [] }, 'an empty list removes every rule');
});

t.test('problems are located in the payload, like config errors', async (t) => {
  t.same(
    parseRulesPayload(
      `- id: person
  sensors: [thermal9]
  prompts: [a person]
  enter: 2
- { id: person, sensors: [mic0], prompts: [x], when: { on: [ghost] } }
`,
      SENSORS,
    ),
    {
      ok: false,
      errors: [
        'rules/set:2:13: [0].sensors[0]: unknown sensor "thermal9"; configured sensors: thermal0, mic0',
        'rules/set:4:10: [0].enter: must be between 0 and 1 for score: cosine, got 2',
        'rules/set:5:9: [1].id: duplicate rule id "person"',
        'rules/set:5:61: [1].when.on[0]: unknown rule "ghost"; rules: person',
      ],
    },
  );
  t.match(parseRulesPayload('rules: [{ id: a, sensors: [mic0], prompts: [x], colour: red }]', SENSORS), {
    ok: false,
    errors: [/^rules\/set:1:49: rules\[0\]: unknown key "colour"; expected one of: id, sensors, prompts/],
  });
  t.match(parseRulesPayload('- { id: a, sensors: [mic0]', SENSORS), {
    ok: false,
    errors: [/^rules\/set:1:\d+: /],
  });
  t.match(parseRulesPayload('just text', SENSORS), {
    ok: false,
    errors: [/^rules\/set:1:1: expected mapping/],
  });
});

t.test('command topics sit next to the status topic', async (t) => {
  t.same(rulesCommandTopics('home/bs/kitchen/status'), {
    set: 'home/bs/kitchen/rules/set',
    result: 'home/bs/kitchen/rules/result',
  });
});
