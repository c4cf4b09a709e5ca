// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are what this file tests
import t from 'tap';
import { parseDocument } from 'yaml';
import { expandTemplate, substituteEnv } from '../../src/config/env.js';

t.test('expandTemplate', async (t) => {
  const env = { A: 'alpha', EMPTY: '', _X1: 'x' };
  t.same(expandTemplate('${A}', env), { value: 'alpha', unset: [], malformed: [] });
  t.equal(expandTemplate('pre-${A}-${_X1}-post', env).value, 'pre-alpha-x-post');
  t.equal(expandTemplate('${EMPTY}', env).value, '', 'an empty variable is kept as empty');
  t.equal(expandTemplate('${EMPTY:-d}', env).value, 'd', ':- also replaces an empty value (as sh does)');
  t.equal(expandTemplate('${NOPE:-}', env).value, '', 'empty default');
  t.equal(expandTemplate('${NOPE:-a b:c}', env).value, 'a b:c');
  t.equal(
    expandTemplate('$${A} $A $$ ${A}', env).value,
    '${A} $A $$ alpha',
    'only $${ escapes; a lone $ is kept',
  );
  t.equal(expandTemplate('$$${A}', env).value, '$${A}', 'a $ before the escape stays');
  t.equal(expandTemplate('${A}', { A: '${B}' }).value, '${B}', 'values are not expanded again');
  t.same(expandTemplate('${NOPE} ${NOPE2:-ok} ${NOPE3}', env).unset, ['NOPE', 'NOPE3']);
  t.same(expandTemplate('${1A} ${A-b} ${open', env).malformed, ['${1A}', '${A-b}', '${open']);
});

t.test('substituteEnv works on string scalar values only and records what it changed', async (t) => {
  const doc = parseDocument('a: ${A}\nb: [1, "${A}", true]\n${A}: key\nc: &x ${A}\nd: *x\ne: plain\n');
  const { problems, templates } = substituteEnv(doc, { A: 'v: #1' });
  t.same(problems, []);
  t.same(doc.toJS(), {
    a: 'v: #1',
    b: [1, 'v: #1', true],
    '${A}': 'key',
    c: 'v: #1',
    d: 'v: #1',
    e: 'plain',
  });
  t.same([...templates.keys()].sort(), ['["a"]', '["b",1]', '["c"]']);
  t.equal(templates.get('["a"]'), '${A}');
});

t.test('substituteEnv reports every unset variable with its path', async (t) => {
  const doc = parseDocument('mqtt:\n  username: ${U}\n  password: ${P}\n');
  const { problems } = substituteEnv(doc, {});
  t.same(
    problems.map((p) => [p.path, p.message.split(' (')[0]]),
    [
      [['mqtt', 'username'], 'environment variable U is not set'],
      [['mqtt', 'password'], 'environment variable P is not set'],
    ],
  );
});
