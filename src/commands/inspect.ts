/**
 * `bindsight inspect FILE.mcap [--json]` (issue #7): channels, schemas, message counts, time span
 * and rates of an MCAP file, and what in it cannot be read (src/record/inspect.ts). Exits 0 when
 * the file could be inspected, damaged or not; 65 if it is not an MCAP file, 66 if it is missing.
 */
import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { BindsightError } from '../errors.js';
import { formatReport, inspectMcap, reportJson } from '../record/inspect.js';

export function inspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('summarise an MCAP file: channels, schemas, message counts, time span, rates')
    .argument('<file>', 'the MCAP file')
    .option('--json', 'print the report as JSON (times in ns as strings)')
    .action(async (file: string, o: { json?: boolean }) => {
      try {
        await access(file);
      } catch {
        throw new BindsightError('FIXTURE_MISSING', `${file} not found`, { file });
      }
      const report = await inspectMcap(file);
      process.stdout.write(o.json ? `${reportJson(report)}\n` : formatReport(report));
    });
}
