import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import t from 'tap';
import { configSchemaCommand } from '../../src/commands/config-schema.js';
import { configJsonSchema, renderConfigJsonSchema } from '../../src/config/json-schema.js';

const committed = new URL('../../config/schema.json', import.meta.url);

t.test('config/schema.json is up to date with src/config/schema.ts', async (t) => {
  const onDisk = await readFile(committed, 'utf8');
  t.equal(
    onDisk,
    renderConfigJsonSchema(),
    'regenerate: npm run -s bindsight -- config-schema --out config/schema.json',
  );
});

t.test('the JSON Schema describes the config', async (t) => {
  const schema = configJsonSchema();
  t.match(schema, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'bindsight config',
    type: 'object',
    required: ['sensors'],
    additionalProperties: false,
  });
  t.match(schema, {
    properties: { sensors: { items: { oneOf: [{ properties: { driver: { const: 'replay' } } }] } } },
  });
});

function program(out: string[]): Command {
  const p = new Command('bindsight')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => out.push(s) });
  configSchemaCommand(p);
  return p;
}

t.test('config-schema prints the schema, or writes it with --out', async (t) => {
  const out: string[] = [];
  await program(out).parseAsync(['config-schema'], { from: 'user' });
  t.equal(out.join(''), renderConfigJsonSchema());

  const dir = t.testdir({});
  const file = join(dir, 'schema.json');
  out.length = 0;
  await program(out).parseAsync(['config-schema', '--out', file], { from: 'user' });
  t.equal(await readFile(file, 'utf8'), renderConfigJsonSchema());
  t.equal(out.join(''), `wrote ${file}\n`);

  await t.rejects(
    program([]).parseAsync(['config-schema', '--out', join(dir, 'no/such/dir.json')], { from: 'user' }),
    {
      code: 'USAGE',
      message: /^cannot write .*no\/such\/dir\.json: ENOENT/,
    },
  );
});
