import t from 'tap';
import { configInvalid, formatIssue, formatPath } from '../../src/config/issues.js';

t.test('formatPath', async (t) => {
  t.equal(formatPath([]), '');
  t.equal(formatPath(['sensors', 0, 'files', 12]), 'sensors[0].files[12]');
  t.equal(formatPath(['a b', 'c.d', 'base_m']), '["a b"]["c.d"].base_m');
});

t.test('configInvalid: a summary line, then one indented line per issue', async (t) => {
  const issue = { file: 'c.yaml', line: 3, col: 7, path: 'node', message: 'bad' };
  t.equal(formatIssue(issue), 'c.yaml:3:7: node: bad');
  t.equal(formatIssue({ ...issue, path: '' }), 'c.yaml:3:7: bad');
  const err = configInvalid('c.yaml', 'invalid config (1 problem)', [issue]);
  t.equal(err.code, 'CONFIG_INVALID');
  t.equal(err.message, 'c.yaml: invalid config (1 problem)\n  c.yaml:3:7: node: bad');
  t.same(err.context, { file: 'c.yaml', issues: [issue] });
});
