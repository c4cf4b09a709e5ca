/**
 * MLX90640 temperature calculation for one subpage frame (834 words: RAM, control, subpage).
 * Algorithm: MLX90640 driver document Rev 1 §11.2 and mlx90640-library MLX90640_API.c
 * (`GetVdd`, `GetTa`, `CalculateTo` @ f6be7ca), written anew in float64. Only the pixels of
 * the frame's subpage are written into `out`; the other half keeps the previous subpage's
 * values, which is how a full image is built from two consecutive frames.
 */
import type { Mlx90640Params } from './eeprom.js';
import { signed } from './eeprom.js';
import { AUX, FRAME_CONTROL, FRAME_SUBPAGE, PATTERN_CHESS, PIXELS, resolutionCodeOf } from './registers.js';

const KELVIN = 273.15;
const aux = (frame: ArrayLike<number>, offset: number): number => signed(frame[PIXELS + offset] ?? 0, 16);

/** Supply voltage, V [driver doc §11.2.2.2]; corrected for the RAM vs EEPROM ADC resolution. */
export function supplyVoltage(frame: ArrayLike<number>, p: Mlx90640Params): number {
  const resolutionRAM = resolutionCodeOf(frame[FRAME_CONTROL] ?? 0);
  const correction = 2 ** p.resolutionEE / 2 ** resolutionRAM;
  return (correction * aux(frame, AUX.vddPix) - p.vdd25) / p.kVdd + 3.3;
}

/** Ambient (die) temperature, °C [driver doc §11.2.2.3]. */
export function ambientTemperature(
  frame: ArrayLike<number>,
  p: Mlx90640Params,
  vdd = supplyVoltage(frame, p),
): number {
  const ptat = aux(frame, AUX.taPtat);
  const ptatArt = (ptat / (ptat * p.alphaPTAT + aux(frame, AUX.taVbe))) * 2 ** 18;
  return (ptatArt / (1 + p.KvPTAT * (vdd - 3.3)) - p.vPTAT25) / p.KtPTAT + 25;
}

/** "Reflected temperature" default: Ta − 8 °C, the shift for a sensor in open air (TA_SHIFT, driver doc §3.4.3). */
export const TA_SHIFT = 8;

export interface ToOptions {
  emissivity: number;
  /** Reflected temperature, °C; undefined = Ta − TA_SHIFT. */
  reflected?: number;
}

export interface SubpageResult {
  subpage: number;
  vdd: number;
  ta: number;
  tr: number;
}

/** Which pixels a subpage measures: interleaved by row parity, or chess by row⊕column parity. */
export function inSubpage(pixel: number, subpage: number, chess: boolean): boolean {
  const ilPattern = Math.floor(pixel / 32) % 2;
  const pattern = chess ? ilPattern ^ (pixel % 2) : ilPattern;
  return pattern === subpage;
}

/** The library's "conversionPattern" (±1 / 0 per column quad and row parity) for cross-mode correction. */
function conversionPattern(pixel: number, ilPattern: number): number {
  const q = (n: number): number => Math.floor(n / 4);
  return (q(pixel + 2) - q(pixel + 3) + q(pixel + 1) - q(pixel)) * (1 - 2 * ilPattern);
}

interface Common {
  vdd: number;
  ta: number;
  gain: number;
  taTr: number;
  cpTgc: number;
  mode: number;
  alphaCorrR: [number, number, number, number];
}

function common(frame: ArrayLike<number>, p: Mlx90640Params, o: ToOptions): Common & { tr: number } {
  const vdd = supplyVoltage(frame, p);
  const ta = ambientTemperature(frame, p, vdd);
  const tr = o.reflected ?? ta - TA_SHIFT;
  const ta4 = (ta + KELVIN) ** 4;
  const tr4 = (tr + KELVIN) ** 4;
  const gain = p.gainEE / aux(frame, AUX.gain);
  const mode = ((frame[FRAME_CONTROL] ?? 0) & PATTERN_CHESS) >> 5;
  const cpDrift = (1 + p.cpKta * (ta - 25)) * (1 + p.cpKv * (vdd - 3.3));
  const cp0 = aux(frame, AUX.cpSubpage0) * gain - p.cpOffset[0] * cpDrift;
  const cp1Offset = mode === p.calibrationModeEE ? p.cpOffset[1] : p.cpOffset[1] + p.ilChessC[0];
  const cp1 = aux(frame, AUX.cpSubpage1) * gain - cp1Offset * cpDrift;
  const subpage = (frame[FRAME_SUBPAGE] ?? 0) & 1;
  const alphaCorr2 = 1 + p.ksTo[1] * p.ct[2];
  return {
    vdd,
    ta,
    tr,
    gain,
    taTr: tr4 - (tr4 - ta4) / o.emissivity,
    cpTgc: p.tgc * (subpage === 0 ? cp0 : cp1),
    mode,
    alphaCorrR: [1 / (1 + p.ksTo[0] * 40), 1, alphaCorr2, alphaCorr2 * (1 + p.ksTo[2] * (p.ct[3] - p.ct[2]))],
  };
}

/** Object temperature of one pixel, °C [driver doc §11.2.2.5–11.2.2.9]. */
function pixelTo(frame: ArrayLike<number>, p: Mlx90640Params, o: ToOptions, c: Common, i: number): number {
  const ilPattern = Math.floor(i / 32) % 2;
  let ir = signed(frame[i] ?? 0, 16) * c.gain;
  ir -= p.offset[i]! * (1 + p.kta[i]! * (c.ta - 25)) * (1 + p.kv[i]! * (c.vdd - 3.3));
  if (c.mode !== p.calibrationModeEE) {
    ir += p.ilChessC[2] * (2 * ilPattern - 1) - p.ilChessC[1] * conversionPattern(i, ilPattern);
  }
  ir = (ir - c.cpTgc) / o.emissivity;
  const alpha = p.alpha[i]! * (1 + p.KsTa * (c.ta - 25));
  const sx = p.ksTo[1] * Math.sqrt(Math.sqrt(alpha ** 3 * (ir + alpha * c.taTr)));
  const first = Math.sqrt(Math.sqrt(ir / (alpha * (1 - p.ksTo[1] * KELVIN) + sx) + c.taTr)) - KELVIN;
  // Extended temperature ranges [driver doc §11.2.2.9]: pick the range of the first estimate.
  const range = first < p.ct[1] ? 0 : first < p.ct[2] ? 1 : first < p.ct[3] ? 2 : 3;
  const corr = alpha * c.alphaCorrR[range]! * (1 + p.ksTo[range]! * (first - p.ct[range]!));
  return Math.sqrt(Math.sqrt(ir / corr + c.taTr)) - KELVIN;
}

/**
 * Computes the object temperatures of the frame's subpage into `out` (768 values, °C).
 * Pixels of the other subpage are left untouched.
 */
export function calculateTo(
  frame: ArrayLike<number>,
  p: Mlx90640Params,
  o: ToOptions,
  out: Float32Array | Float64Array,
): SubpageResult {
  const c = common(frame, p, o);
  const subpage = (frame[FRAME_SUBPAGE] ?? 0) & 1;
  const chess = c.mode !== 0;
  for (let i = 0; i < PIXELS; i++) {
    if (inSubpage(i, subpage, chess)) out[i] = pixelTo(frame, p, o, c, i);
  }
  return { subpage, vdd: c.vdd, ta: c.ta, tr: c.tr };
}
