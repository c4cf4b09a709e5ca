/**
 * `bindsight import --out FILE.mcap --sensor ID=MODALITY:PATH [--sensor ...]` (issue #7): plain
 * files and folders (WAV, JPEG/PNG, CSV, 16-bit PNG, .npy) into one MCAP session with the given
 * sensor ids (src/record/import.ts). Warnings (skipped files, corrupt rows) go to stderr, the
 * summary to stdout.
 */
import type { Command } from 'commander';
import { BindsightError } from '../errors.js';
import { importFiles, parseImportSpec } from '../record/import.js';
import { summaryLine } from '../record/session.js';

interface ImportOptions {
  out: string;
  sensor: string[];
  start?: string;
  rate?: string;
  window?: string;
  hop?: string;
  width?: string;
  height?: string;
  sampleRate?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A positive number option, or undefined when absent; USAGE naming the option otherwise. */
export function positive(name: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0) || (integer && !Number.isInteger(n))) {
    throw new BindsightError(
      'USAGE',
      `${name} must be a positive ${integer ? 'integer' : 'number'}; got "${value}"`,
    );
  }
  return n;
}

/** `--start`: an ISO 8601 time or seconds since the epoch → ns; default: now. */
export function parseStart(value: string | undefined, now = Date.now()): bigint {
  if (value === undefined) return BigInt(now) * 1_000_000n;
  const asNumber = Number(value);
  if (value.trim() !== '' && Number.isFinite(asNumber) && asNumber >= 0)
    return BigInt(Math.round(asNumber * 1e9));
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < 0) {
    throw new BindsightError(
      'USAGE',
      `--start must be an ISO 8601 time (2024-05-01T12:00:00Z) or seconds since 1970; got "${value}"`,
    );
  }
  return BigInt(ms) * 1_000_000n;
}

export function importCommand(program: Command): void {
  program
    .command('import')
    .description('turn plain files and folders into one MCAP session that replays like a recording')
    .requiredOption('--out <file>', 'the MCAP file to write (replaced if it exists)')
    .requiredOption('--sensor <ID=MODALITY:PATH>', 'a sensor and its file or folder, repeatable', collect, [])
    .option('--start <time>', 'capture time of the first sample: ISO 8601 or epoch seconds (default: now)')
    .option(
      '--rate <fps>',
      'frames per second of images, thermal CSV rows and .npy stacks (default 1; thermal 4)',
    )
    .option('--window <s>', 'audio/IMU window length, seconds (default 5)')
    .option('--hop <s>', 'audio/IMU seconds between window starts (default 1)')
    .option('--width <px>', 'thermal CSV frame width (default 32)')
    .option('--height <px>', 'thermal CSV frame height (default 24)')
    .option('--sample-rate <hz>', 'sample rate of audio .npy files')
    .addHelpText(
      'after',
      [
        '',
        'Files per modality: vision JPEG/PNG; thermal CSV (one frame per row), JPEG/PNG; depth 16-bit PNG (mm);',
        'audio WAV; imu CSV (t_ms,ax,ay,az,gx,gy,gz); any modality .npy (see README). A folder contributes its',
        'files in name order. Example:',
        '  bindsight import --out session.mcap --sensor cam0=vision:frames/ --sensor mic0=audio:room.wav',
      ].join('\n'),
    )
    .action(async (o: ImportOptions) => {
      if (o.sensor.length === 0)
        throw new BindsightError('USAGE', 'give at least one --sensor ID=MODALITY:PATH');
      const specs = o.sensor.map(parseImportSpec);
      const result = await importFiles({
        specs,
        out: o.out,
        start: parseStart(o.start),
        rate: positive('--rate', o.rate),
        window: positive('--window', o.window),
        hop: positive('--hop', o.hop),
        width: positive('--width', o.width, true),
        height: positive('--height', o.height, true),
        sampleRate: positive('--sample-rate', o.sampleRate),
        onWarning: (message) => process.stderr.write(`bindsight import: ${message}\n`),
      });
      const files = Object.values(result.files).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `${summaryLine(result.stats)}; ${files} files imported, ${result.skippedFiles} skipped, ${result.corruptRows} corrupt rows dropped\n`,
      );
    });
}
