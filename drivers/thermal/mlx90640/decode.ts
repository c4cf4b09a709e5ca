/**
 * `bindsight decode --driver mlx90640 --eeprom EE.bin --frame F0.bin [--frame F1.bin …]`.
 * Inputs are raw big-endian words as read from the device (the Melexis example vectors'
 * `eeprom_be.bin` and `frame*_ram_0x0400-0x073F_be.bin`, or the files `bindsight dump` writes):
 * - EEPROM: 1664 bytes (832 words from 0x2400);
 * - frame: 1664 bytes (RAM 0x0400..0x073F; the control register then defaults to EEPROM word
 *   0x240C, its power-on value, and subpages alternate from `subpage`, default 0), or 1668
 *   bytes (RAM + control register + subpage, the 834-word MLX90640_GetFrameData layout).
 * Frames are processed in order into one image, as the Melexis verification flow does; the
 * output is the image after the last frame (24 rows of 32 °C; pixels not yet measured are NaN).
 * Emissivity defaults to 1 here (the vendor vectors' setting), unlike the driver's 0.95.
 */
import { BindsightError } from '../../../src/errors.js';
import type { Decoder, DecoderInputs } from '../../decoder.js';
import { FrameRejected } from '../chip.js';
import { correctBadPixels } from './badPixels.js';
import { calculateTo, type SubpageResult } from './calculate.js';
import { extractParameters } from './eeprom.js';
import {
  EE_CONTROL,
  EEPROM_WORDS,
  FRAME_CONTROL,
  FRAME_SUBPAGE,
  FRAME_WORDS,
  HEIGHT,
  PATTERN_CHESS,
  PIXELS,
  RAM_WORDS,
  WIDTH,
  wordsFromBytes,
} from './registers.js';
import { checkInvalidWords } from './validate.js';

function number(params: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const raw = params[key];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new BindsightError('USAGE', `--param ${key}=${raw} is not a number`);
  return v;
}

/** One input frame as 834 words. */
function frameWords(bytes: Buffer, index: number, control: number, firstSubpage: number): Uint16Array {
  if (bytes.length !== RAM_WORDS * 2 && bytes.length !== FRAME_WORDS * 2) {
    throw new BindsightError(
      'FILE_INVALID',
      `frame ${index + 1} is ${bytes.length} bytes; expected ${RAM_WORDS * 2} (RAM 0x0400..0x073F) or ${FRAME_WORDS * 2} (RAM + control + subpage)`,
    );
  }
  const words = wordsFromBytes(bytes);
  if (words.length === FRAME_WORDS) return words;
  const frame = new Uint16Array(FRAME_WORDS);
  frame.set(words);
  frame[FRAME_CONTROL] = control;
  frame[FRAME_SUBPAGE] = (firstSubpage + index) % 2;
  return frame;
}

function decodeMlx(inputs: DecoderInputs) {
  const eeBytes = inputs.eeprom ?? Buffer.alloc(0);
  if (eeBytes.length !== EEPROM_WORDS * 2) {
    throw new BindsightError(
      'FILE_INVALID',
      `EEPROM dump is ${eeBytes.length} bytes; expected ${EEPROM_WORDS * 2}`,
    );
  }
  const ee = wordsFromBytes(eeBytes);
  const params = extractParameters(ee);
  const p = inputs.params;
  const emissivity = number(p, 'emissivity', 1);
  const reflected =
    p.reflected === undefined || p.reflected === 'auto' ? undefined : number(p, 'reflected', 0);
  const control = number(p, 'control', ee[EE_CONTROL] ?? 0x1901);
  const firstSubpage = number(p, 'subpage', 0);
  const image = new Float64Array(PIXELS).fill(Number.NaN);
  const results: SubpageResult[] = [];
  let chess = true;
  inputs.frames.forEach((bytes, i) => {
    const frame = frameWords(bytes, i, control, firstSubpage);
    try {
      checkInvalidWords(frame);
    } catch (err) {
      if (err instanceof FrameRejected)
        throw new BindsightError('FILE_INVALID', `frame ${i + 1}: ${err.message}`);
      throw err;
    }
    chess = ((frame[FRAME_CONTROL] ?? 0) & PATTERN_CHESS) !== 0;
    results.push(calculateTo(frame, params, { emissivity, reflected }, image));
  });
  const celsius = Float32Array.from(image);
  correctBadPixels(celsius, [...params.brokenPixels, ...params.outlierPixels], chess);
  return { celsius, results, emissivity };
}

export const mlx90640Decoder: Decoder = {
  inputs: ['eeprom', 'frame'],
  usage:
    '--eeprom EE.bin --frame F0.bin [--frame F1.bin …] [--param emissivity=1] [--param reflected=auto|°C] [--param control=0x1901] [--param subpage=0]',
  decode(inputs) {
    const { celsius, results, emissivity } = decodeMlx(inputs);
    const rows = Array.from({ length: HEIGHT }, (_, r) =>
      Array.from(celsius.subarray(r * WIDTH, (r + 1) * WIDTH)),
    );
    const csv = rows.map((row) => row.map((v) => (Number.isNaN(v) ? 'nan' : v.toFixed(3))).join(','));
    const json = {
      driver: 'mlx90640',
      width: WIDTH,
      height: HEIGHT,
      unit: 'celsius',
      emissivity,
      frames: results,
      celsius: rows.map((row) => row.map((v) => (Number.isNaN(v) ? null : v))),
    };
    return { csv, json };
  },
};
