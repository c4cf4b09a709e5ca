/**
 * Checks on MLX90640 data before it is trusted. The chip has no CRC, so a corrupted read is
 * caught where the chip allows it:
 * - 0x7FFF in an aux word or in a subpage's first pixel of a row: the chip marks an invalid
 *   read this way (MLX90640_API.c `ValidateAuxData`, `ValidateFrameData` @ f6be7ca);
 * - the control register must still hold what the driver wrote (a reset reverts it to the
 *   EEPROM value, MLX90640 driver doc §3.1.1; a flipped bit in the read shows up the same way);
 * - supply voltage, ambient and object temperatures must be physically plausible (operating
 *   range −40..85 °C ambient, object −40..300 °C, 3.3 V ± 0.3 V supply; datasheet §5 via
 *   driver doc §1): a flipped high bit in a pixel moves it by thousands of counts.
 * And for the EEPROM: all-0x0000 / all-0xFFFF words or out-of-range constants mean "no
 * MLX90640 here" (another chip at 0x33, or a failed read).
 */
import { DeviceMismatch, FrameRejected } from '../chip.js';
import type { Mlx90640Params } from './eeprom.js';
import { EEPROM_WORDS, FRAME_SUBPAGE, INVALID_WORD, PIXELS, WIDTH } from './registers.js';

/** Aux words (offset from 0x0700) the library requires to be valid. */
const CHECKED_AUX = [
  0,
  ...range(8, 19),
  ...range(20, 23),
  ...range(24, 33),
  ...range(40, 51),
  ...range(52, 55),
  ...range(56, 64),
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Throws FrameRejected if the chip flagged part of this frame as an invalid read. */
export function checkInvalidWords(frame: ArrayLike<number>): void {
  for (const a of CHECKED_AUX) {
    if (frame[PIXELS + a] === INVALID_WORD) {
      throw new FrameRejected(`MLX90640 aux word 0x${(0x0700 + a).toString(16)} reads 0x7FFF (invalid read)`);
    }
  }
  const subpage = (frame[FRAME_SUBPAGE] ?? 0) & 1;
  for (let row = 0; row < PIXELS / WIDTH; row++) {
    if (row % 2 === subpage && frame[row * WIDTH] === INVALID_WORD) {
      throw new FrameRejected(`MLX90640 pixel row ${row} reads 0x7FFF (invalid read)`);
    }
  }
}

export const PLAUSIBLE = {
  vdd: [3.0, 3.6],
  ta: [-45, 130],
  to: [-70, 400],
} as const;

function within(v: number, [lo, hi]: readonly [number, number]): boolean {
  return Number.isFinite(v) && v >= lo && v <= hi;
}

/** Throws FrameRejected for an implausible supply, ambient or any object temperature in `pixels`. */
export function checkPlausible(
  vdd: number,
  ta: number,
  to: ArrayLike<number>,
  pixels: readonly number[],
): void {
  if (!within(vdd, PLAUSIBLE.vdd))
    throw new FrameRejected(`MLX90640 supply ${vdd.toFixed(3)} V is implausible`);
  if (!within(ta, PLAUSIBLE.ta))
    throw new FrameRejected(`MLX90640 ambient ${ta.toFixed(2)} °C is implausible`);
  for (const i of pixels) {
    const v = to[i] ?? Number.NaN;
    if (!within(v, PLAUSIBLE.to)) {
      throw new FrameRejected(`MLX90640 pixel ${i} at ${v.toFixed(1)} °C is implausible (bit error?)`);
    }
  }
}

/** Throws DeviceMismatch unless the EEPROM looks like an MLX90640 calibration. */
export function checkEeprom(ee: ArrayLike<number>, params: Mlx90640Params, where: string): void {
  let zeros = 0;
  let ones = 0;
  for (let i = 0; i < EEPROM_WORDS; i++) {
    if (ee[i] === 0) zeros++;
    if (ee[i] === 0xffff) ones++;
  }
  const problems: string[] = [];
  if (zeros > EEPROM_WORDS / 2) problems.push(`${zeros} of ${EEPROM_WORDS} words are 0x0000`);
  if (ones > EEPROM_WORDS / 2) problems.push(`${ones} of ${EEPROM_WORDS} words are 0xFFFF`);
  if (!(params.kVdd < 0)) problems.push(`kVdd ${params.kVdd} (expected < 0)`);
  if (!(params.KtPTAT > 0)) problems.push(`KtPTAT ${params.KtPTAT} (expected > 0)`);
  if (!(params.vPTAT25 > 0)) problems.push(`vPTAT25 ${params.vPTAT25} (expected > 0)`);
  if (!(params.gainEE > 0)) problems.push(`gainEE ${params.gainEE} (expected > 0)`);
  if (params.brokenPixels.length > 4)
    problems.push(`${params.brokenPixels.length} broken pixels (at most 4)`);
  if (problems.length > 0) {
    throw new DeviceMismatch(
      `${where} does not hold an MLX90640 calibration (${problems.join('; ')}); check the address and wiring, or the chip model`,
      { problems },
    );
  }
}
