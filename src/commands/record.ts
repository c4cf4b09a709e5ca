/**
 * `bindsight record --config C --out FILE.mcap [--duration S] [--sensors a,b]` (issue #7): every
 * Sample of the configured sensors into one MCAP file (src/record/). Progress on stderr; Ctrl-C
 * (SIGINT) or SIGTERM stops cleanly with the index written (a second signal exits at once, leaving
 * an unindexed file that still replays up to its end).
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { BindsightError } from '../errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../observe/logger.js';
import { DEFAULT_CONFIG } from '../paths.js';
import { recordSession, summaryLine } from '../record/session.js';

interface RecordOptions {
  config: string;
  out: string;
  duration?: string;
  sensors?: string;
  logLevel: string;
}

/** "--duration 10" → 10; USAGE for anything but a positive number of seconds. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!(Number.isFinite(seconds) && seconds > 0)) {
    throw new BindsightError('USAGE', `--duration must be a positive number of seconds; got "${value}"`);
  }
  return seconds;
}

/** "a,b" → ["a", "b"]; USAGE for an empty list. */
export function parseSensorList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0)
    throw new BindsightError('USAGE', `--sensors needs sensor ids separated by commas; got "${value}"`);
  return ids;
}

function checkLogLevel(level: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new BindsightError(
      'USAGE',
      `unknown --log-level "${level}"; expected one of: ${LOG_LEVELS.join(', ')}`,
    );
  }
  return level as LogLevel;
}

/** An AbortController aborted by the first SIGINT/SIGTERM; a second one exits at once (130). */
export function stopOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write(`\nbindsight: second ${sig}, exiting now\n`);
      process.exit(130);
    }
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export function recordCommand(program: Command): void {
  program
    .command('record')
    .description('record every sample of the configured sensors into one MCAP file')
    .option('--config <file>', 'YAML config file', DEFAULT_CONFIG)
    .requiredOption('--out <file>', 'the MCAP file to write (replaced if it exists)')
    .option(
      '--duration <seconds>',
      'stop after this many seconds (default: Ctrl-C, or when every recording has played)',
    )
    .option('--sensors <ids>', 'only these sensors, comma-separated (default: all)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'warn')
    .addHelpText(
      'after',
      '\nFrames are written as foxglove.CompressedImage / foxglove.RawImage, audio and IMU windows as\nbindsight.Window (JSON, zstd-compressed chunks). Replay the file with a replay sensor:\n  files: [session.mcap]',
    )
    .action(async (opts: RecordOptions) => {
      const level = checkLogLevel(opts.logLevel);
      const durationS = parseDuration(opts.duration);
      const sensors = parseSensorList(opts.sensors);
      const logger = createLogger({ level });
      const { config, file } = await loadConfig(opts.config);
      const stop = stopOnSignals();
      try {
        const { stats } = await recordSession({
          config,
          out: opts.out,
          sensors,
          durationS,
          signal: stop.signal,
          logger,
          progress: process.stderr,
          metadata: { config: file },
        });
        process.stdout.write(`${summaryLine(stats)}\n`);
      } finally {
        stop.dispose();
      }
    });
}
