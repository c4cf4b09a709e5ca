import t from 'tap';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { YamlLocator } from '../../src/config/locate.js';
import { suggest, validate } from '../../src/config/zod-issues.js';

t.test('suggest', async (t) => {
  t.equal(suggest('lopp', ['loop', 'speed']), 'did you mean "loop"?');
  t.equal(suggest('Speed', ['loop', 'speed']), 'did you mean "speed"?');
  t.equal(suggest('colour', ['loop', 'speed']), 'expected one of: loop, speed');
  t.equal(suggest('x', []), 'no keys are allowed here');
});

function check(schema: z.ZodType, yaml: string): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines });
  const result = validate(schema, doc.toJS(), {
    file: 'f',
    locator: new YamlLocator(doc, lines),
    templates: new Map(),
  });
  return result.ok ? [] : result.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
}

t.test('bounds and types read as sentences', async (t) => {
  const schema = z.strictObject({
    n: z.number().positive().optional(),
    m: z.number().max(1).optional(),
    l: z.array(z.string()).min(2).optional(),
    s: z.string().min(1).optional(),
    o: z.strictObject({}).optional(),
  });
  t.same(check(schema, 'n: 0'), ['1:4 n: must be more than 0, got number 0']);
  t.same(check(schema, 'm: 2'), ['1:4 m: must be at most 1, got number 2']);
  t.same(check(schema, 'l: [a]'), ['1:4 l: must list at least 2 items, got 1']);
  t.same(check(schema, 's: ""'), ['1:4 s: must not be empty']);
  t.same(check(schema, 'o: [1]'), ['1:4 o: expected mapping, got list']);
  t.same(check(schema, 'o:\n  k: 1'), ['2:3 o: unknown key "k"; no keys are allowed here']);
  t.same(check(schema, 'n: ~'), ['1:4 n: expected number, got an empty value']);
  t.same(check(schema, 'n: 1\nm: 0'), [], 'valid input has no issues');
});

t.test('messages written in the schema win', async (t) => {
  const schema = z.strictObject({ n: z.number().refine((v) => v % 2 === 0, 'must be even') });
  t.same(check(schema, 'n: 3'), ['1:4 n: must be even']);
});
