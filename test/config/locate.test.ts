import t from 'tap';
import { LineCounter, parseDocument } from 'yaml';
import { YamlLocator } from '../../src/config/locate.js';

const text = `node: kitchen
sensors:
  - id: a
    files:
      - one.csv
      - two.csv
    empty:
  - &s
    id: b
alias: *s
`;
const lines = new LineCounter();
const locator = new YamlLocator(parseDocument(text, { lineCounter: lines }), lines);

t.test('positions of existing nodes', async (t) => {
  t.same(locator.at(['node']), { line: 1, col: 7 });
  t.same(locator.at(['sensors', 0, 'files', 1]), { line: 6, col: 9 });
  t.same(locator.at(['sensors', 0, 'empty']), { line: 7, col: 11 }, 'a key with no value: just after it');
  t.same(locator.at(['alias', 'id']), { line: 9, col: 9 }, 'through an alias, at the anchored node');
  t.same(locator.keyAt(['sensors', 0], 'files'), { line: 4, col: 5 });
});

t.test('missing nodes fall back to the nearest parent', async (t) => {
  t.same(locator.at([]), { line: 1, col: 1 });
  t.same(locator.at(['sensors', 0, 'driver']), { line: 3, col: 5 });
  t.same(locator.at(['sensors', 9, 'id']), { line: 3, col: 3 });
  t.same(locator.at(['models', 'pack']), { line: 1, col: 1 });
  t.same(locator.keyAt(['sensors', 0], 'nope'), { line: 3, col: 5 });
});

t.test('an empty document', async (t) => {
  const lc = new LineCounter();
  t.same(new YamlLocator(parseDocument('', { lineCounter: lc }), lc).at(['a']), { line: 1, col: 1 });
});
