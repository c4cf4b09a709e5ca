/**
 * `bindsight config-schema [--out FILE]`: the config file's JSON Schema, generated from the zod
 * schema. `--out config/schema.json` regenerates the committed copy (a test fails when it drifts).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { renderConfigJsonSchema } from '../config/json-schema.js';
import { BindsightError, errorMessage } from '../errors.js';

export function configSchemaCommand(program: Command): void {
  program
    .command('config-schema')
    .description('print the JSON Schema of the config file (for editors and validators)')
    .option('-o, --out <file>', 'write it to FILE instead of standard output')
    .addHelpText(
      'after',
      [
        '',
        'Regenerate the committed copy:  bindsight config-schema --out config/schema.json',
        'Use it in an editor (yaml-language-server) with a first line such as:',
        '  # yaml-language-server: $schema=../schema.json',
      ].join('\n'),
    )
    .action(async (options: { out?: string }, command: Command) => {
      const writeOut = command.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
      const text = renderConfigJsonSchema();
      if (options.out === undefined) {
        writeOut(text);
        return;
      }
      const file = resolve(options.out);
      try {
        await writeFile(file, text);
      } catch (cause) {
        throw new BindsightError(
          'USAGE',
          `cannot write ${file}: ${errorMessage(cause)}`,
          { file },
          { cause },
        );
      }
      writeOut(`wrote ${file}\n`);
    });
}
