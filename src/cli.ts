#!/usr/bin/env node
/**
 * The bindsight command line (commander). Every command has --help; a BindsightError ends
 * the process with its code's exit status and a one-line message, never a stack trace.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { calibrateCommand } from './commands/calibrate.js';
import { checkConfigCommand } from './commands/check-config.js';
import { configSchemaCommand } from './commands/config-schema.js';
import { decodeCommand } from './commands/decode.js';
import { doctorCommand } from './commands/doctor.js';
import { dumpCommand } from './commands/dump.js';
import { importCommand } from './commands/import.js';
import { inspectCommand } from './commands/inspect.js';
import { modelsCommand } from './commands/models.js';
import { preprocessCommand } from './commands/preprocess.js';
import { recordCommand } from './commands/record.js';
import { runCommand } from './commands/run.js';
import { tokenizeCommand } from './commands/tokenize.js';
import { EXIT_CODES, isBindsightError } from './errors.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('bindsight')
    .description(
      'Zero-shot text-prompt events from cameras, depth, thermal, IMU and audio, published over MQTT',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');
  runCommand(program);
  checkConfigCommand(program);
  calibrateCommand(program);
  configSchemaCommand(program);
  modelsCommand(program);
  preprocessCommand(program);
  tokenizeCommand(program);
  recordCommand(program);
  importCommand(program);
  decodeCommand(program);
  dumpCommand(program);
  doctorCommand(program);
  inspectCommand(program);
  return program;
}

export function reportFatal(err: unknown): number {
  if (isBindsightError(err)) {
    process.stderr.write(`bindsight: ${err.message}\n`);
    return EXIT_CODES[err.code];
  }
  if (err instanceof CommanderError) return err.exitCode;
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`bindsight: internal error: ${e.message}\n${e.stack ?? ''}\n`);
  return 70;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportFatal(err);
  }
}

/** Runs only as the entry point (bin link, node dist/src/cli.js, tsx src/cli.ts), not when imported by tests. */
function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
