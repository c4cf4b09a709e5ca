/**
 * `bindsight decode --driver amg8833 --in REGS.bin`: a register block as read from the chip —
 * 256 bytes (registers 0x00..0xFF, as `bindsight dump` writes) or 128 bytes (pixels 0x80..0xFF
 * only). Output: the 8×8 image in °C (CSV: 8 rows of 8), plus the thermistor when present.
 */
import { BindsightError } from '../../../src/errors.js';
import type { Decoder } from '../../decoder.js';
import {
  decodePixels,
  HEIGHT,
  PIXEL_BYTES,
  REG_T01L,
  REG_TTHL,
  thermistorCelsius,
  WIDTH,
} from './registers.js';

export const amg8833Decoder: Decoder = {
  inputs: ['in'],
  usage: '--in REGS.bin (256 bytes: registers 0x00..0xFF, or 128 bytes: pixels 0x80..0xFF)',
  decode(inputs) {
    const block = inputs.in ?? Buffer.alloc(0);
    if (block.length !== 256 && block.length !== PIXEL_BYTES) {
      throw new BindsightError(
        'FILE_INVALID',
        `AMG8833 register block is ${block.length} bytes; expected 256 (0x00..0xFF) or ${PIXEL_BYTES} (0x80..0xFF)`,
      );
    }
    const full = block.length === 256;
    const celsius = decodePixels(full ? block.subarray(REG_T01L) : block);
    const thermistor = full ? thermistorCelsius(block.readUInt16LE(REG_TTHL)) : undefined;
    const rows = Array.from({ length: HEIGHT }, (_, r) =>
      Array.from(celsius.subarray(r * WIDTH, (r + 1) * WIDTH)),
    );
    return {
      csv: rows.map((row) => row.map((v) => v.toFixed(2)).join(',')),
      json: { driver: 'amg8833', width: WIDTH, height: HEIGHT, unit: 'celsius', thermistor, celsius: rows },
    };
  },
};
