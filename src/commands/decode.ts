/**
 * `bindsight decode --driver D …`: turns raw bytes as read from a device (register dumps, frame
 * RAM, serial streams) into physical values, with the same code the driver runs. For checking a
 * driver against vendor vectors and for debugging a dump made with `bindsight dump`.
 *
 * Decoders are a table keyed by driver name (DECODERS); each lives beside its chip in drivers/
 * and declares which inputs it needs. Adding one is one import and one table line.
 * Output: `--format csv` (the decoder's CSV lines) or `--format json`.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Decoder, DecoderInputs } from '../../drivers/decoder.js';
import { witmotionDecoder } from '../../drivers/imu/witmotion/decode.js';
import { amg8833Decoder } from '../../drivers/thermal/amg8833/decode.js';
import { mlx90640Decoder } from '../../drivers/thermal/mlx90640/decode.js';
import { BindsightError } from '../errors.js';

export type { Decoded, Decoder, DecoderInputs } from '../../drivers/decoder.js';

/** Driver name → decoder. */
export const DECODERS: Readonly<Record<string, Decoder>> = {
  mlx90640: mlx90640Decoder,
  amg8833: amg8833Decoder,
  witmotion: witmotionDecoder,
};

interface DecodeOptions {
  driver: string;
  eeprom?: string;
  frame: string[];
  in?: string;
  param: string[];
  format: string;
}

async function readInput(kind: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new BindsightError('FIXTURE_MISSING', `cannot read ${kind} file ${path} (${code})`, { path });
  }
}

function parseParams(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new BindsightError('USAGE', `--param "${item}" is not of the form key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Reads the inputs the decoder needs (refusing missing or unexpected ones) and decodes them. */
export async function decode(o: DecodeOptions): Promise<string> {
  const decoder = DECODERS[o.driver];
  if (decoder === undefined) {
    throw new BindsightError(
      'USAGE',
      `no decoder for driver "${o.driver}"; decoders exist for: ${Object.keys(DECODERS).join(', ')}`,
    );
  }
  if (o.format !== 'csv' && o.format !== 'json') {
    throw new BindsightError('USAGE', `--format must be csv or json; got "${o.format}"`);
  }
  const given = { eeprom: o.eeprom !== undefined, frame: o.frame.length > 0, in: o.in !== undefined };
  for (const [kind, present] of Object.entries(given)) {
    const needed = decoder.inputs.includes(kind as keyof typeof given);
    if (needed !== present) {
      const what = needed ? 'needs' : 'does not take';
      throw new BindsightError('USAGE', `--driver ${o.driver} ${what} --${kind}; usage: ${decoder.usage}`);
    }
  }
  const inputs: DecoderInputs = {
    eeprom: o.eeprom === undefined ? undefined : await readInput('EEPROM', o.eeprom),
    frames: await Promise.all(o.frame.map((f) => readInput('frame', f))),
    in: o.in === undefined ? undefined : await readInput('input', o.in),
    params: parseParams(o.param),
  };
  const decoded = decoder.decode(inputs);
  return o.format === 'csv' ? `${decoded.csv.join('\n')}\n` : `${JSON.stringify(decoded.json)}\n`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function decodeCommand(program: Command): void {
  const lines = Object.entries(DECODERS).map(([name, d]) => `  ${name.padEnd(10)} ${d.usage}`);
  program
    .command('decode')
    .description('decode raw device bytes (register dumps, frame RAM, serial streams) into physical values')
    .requiredOption('--driver <name>', `one of ${Object.keys(DECODERS).join(', ')}`)
    .option('--eeprom <file>', 'EEPROM dump (raw bytes as read from the device)')
    .option('--frame <file>', 'frame RAM dump, repeatable, decoded in order', collect, [])
    .option('--in <file>', 'register block or byte stream')
    .option('--param <k=v>', 'decoder parameter, repeatable (see below)', collect, [])
    .option('--format <f>', 'csv or json', 'csv')
    .addHelpText('after', ['', 'Decoders and their inputs:', ...lines, ''].join('\n'))
    .action(async (options: DecodeOptions, command: Command) => {
      const writeOut = command.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
      writeOut(await decode(options));
    });
}
