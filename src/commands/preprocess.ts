/**
 * `bindsight preprocess --modality M --in FILE --out OUT.npy [--param k=v ...]` (issue #4):
 * runs one file through the same preprocessing the agent uses (src/preprocess/) and writes the
 * encoder input as a float32 C-order .npy with the tensor's shape, so it can be compared with
 * Python (ImageBind data.py) outputs. Prints one summary line; on bad input prints one line
 * and exits non-zero (USAGE 64, FILE_INVALID / PREPROCESS_INVALID 65).
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SENSOR_MODALITIES, type SensorModality } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { BindsightError, EXIT_CODES, isBindsightError } from '../errors.js';
import { FILE_PARAMS, parseFileParams, preprocessFile } from '../preprocess/files.js';
import { preprocessedShape } from '../preprocess/index.js';
import { writeNpyFloat32 } from '../preprocess/npy.js';

interface PreprocessOptions {
  modality: string;
  in: string;
  out: string;
  param: string[];
}

/** "shape [3,224,224] float32, min … max … mean …" */
export function summarizeTensor(shape: readonly number[], x: Float32Array): string {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const v of x) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = x.length > 0 ? sum / x.length : Number.NaN;
  const g = (v: number) => v.toPrecision(6);
  return `shape [${shape.join(',')}] float32, min ${g(min)} max ${g(max)} mean ${g(mean)}`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function run(o: PreprocessOptions): Promise<string> {
  if (!(SENSOR_MODALITIES as readonly string[]).includes(o.modality)) {
    throw new BindsightError(
      'USAGE',
      `unknown modality '${o.modality}'; expected one of ${SENSOR_MODALITIES.join(', ')}`,
    );
  }
  const modality = o.modality as SensorModality;
  const params = parseFileParams(modality, o.param);
  const tensor = await preprocessFile(modality, o.in, params);
  const shape = preprocessedShape(IMAGEBIND_PREPROCESS[modality]);
  try {
    await writeFile(o.out, writeNpyFloat32(shape, tensor));
  } catch (e) {
    throw new BindsightError(
      'USAGE',
      `cannot write ${o.out} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  return `${o.out}: ${summarizeTensor(shape, tensor)}\n`;
}

export function preprocessCommand(program: Command): void {
  const params = Object.entries(FILE_PARAMS).map(
    ([k, s]) => `  ${k.padEnd(13)} ${s.modalities.join(', ')}: ${s.help}`,
  );
  program
    .command('preprocess')
    .description('preprocess one file into the encoder input tensor and write it as a float32 .npy')
    .requiredOption('--modality <m>', `one of ${SENSOR_MODALITIES.join(', ')}`)
    .requiredOption('--in <file>', 'input: JPEG/PNG, WAV, 16-bit PNG (depth, thermal) or .npy')
    .requiredOption('--out <file>', 'output .npy (float32, C order, tensor shape)')
    .option('--param <k=v>', 'input parameter, repeatable (see below)', collect, [])
    .addHelpText(
      'after',
      [
        '',
        '.npy inputs: vision uint8 [H,W,3]; thermal [H,W] float °C (or uint16 counts); depth [H,W] float',
        'metres (0 or NaN = invalid) or uint16 steps; audio float [C,N] with sample_rate; imu [N,7] float',
        'columns t_ms, ax, ay, az (m/s², gravity included), gx, gy, gz (rad/s).',
        '',
        'Parameters:',
        ...params,
        '',
        'Example:',
        '  bindsight preprocess --modality depth --in tum_depth.png --out d.npy --param depth_unit_m=0.0002',
      ].join('\n'),
    )
    .action(async (o: PreprocessOptions, command: Command) => {
      const out = command.configureOutput();
      const writeOut = out.writeOut ?? ((s: string) => process.stdout.write(s));
      const writeErr = out.writeErr ?? ((s: string) => process.stderr.write(s));
      try {
        writeOut(await run(o));
      } catch (err) {
        if (!isBindsightError(err)) throw err;
        writeErr(`bindsight preprocess: ${err.message}\n`);
        process.exitCode = EXIT_CODES[err.code];
      }
    });
}
