/**
 * The JSON Schema of the config file, generated from the one zod schema (style.md §10) for
 * editors (yaml-language-server) and other tools. `config/schema.json` is its committed copy,
 * written by `bindsight config-schema --out config/schema.json`; a test fails when it drifts.
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

/** The schema of what a user may write (io: 'input': keys with defaults are optional). */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(configSchema, { io: 'input' });
  return {
    $schema,
    title: 'bindsight config',
    description: 'Config file of the bindsight edge agent (`bindsight check-config FILE` validates one).',
    ...rest,
  };
}

/** The exact text of config/schema.json: 2-space JSON with a final newline. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
