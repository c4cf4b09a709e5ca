/**
 * Replaces broken and outlier pixels (from the EEPROM, see eeprom.ts) by an estimate from their
 * neighbours of the same subpage: diagonal neighbours in chess mode, the row's neighbours in
 * interleaved mode. Rules: mlx90640-library MLX90640_API.c `MLX90640_BadPixelsCorrection`
 * (@ f6be7ca), written anew; edge pixels use the library's one-sided choices.
 */
import { WIDTH } from './registers.js';

function median4(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return ((s[1] ?? 0) + (s[2] ?? 0)) / 2;
}

/** Chess mode: the diagonal neighbours belong to the same subpage. */
function chessEstimate(to: ArrayLike<number>, p: number): number {
  const row = Math.floor(p / WIDTH);
  const col = p % WIDTH;
  const at = (i: number): number => to[i] ?? 0;
  if (row === 0) {
    if (col === 0) return at(33);
    if (col === 31) return at(62);
    return (at(p + 31) + at(p + 33)) / 2;
  }
  if (row === 23) {
    if (col === 0) return at(705);
    if (col === 31) return at(734);
    return (at(p - 33) + at(p - 31)) / 2;
  }
  if (col === 0) return (at(p - 31) + at(p + 33)) / 2;
  if (col === 31) return (at(p - 33) + at(p + 31)) / 2;
  return median4([at(p - 33), at(p - 31), at(p + 31), at(p + 33)]);
}

/** Interleaved mode: the row neighbours belong to the same subpage; extrapolate the smoother side. */
function interleavedEstimate(to: ArrayLike<number>, p: number, bad: ReadonlySet<number>): number {
  const col = p % WIDTH;
  const at = (i: number): number => to[i] ?? 0;
  if (col === 0) return at(p + 1);
  if (col === 31) return at(p - 1);
  if (col === 1 || col === 30 || bad.has(p - 2) || bad.has(p + 2)) return (at(p - 1) + at(p + 1)) / 2;
  const right = at(p + 1) - at(p + 2);
  const left = at(p - 1) - at(p - 2);
  return Math.abs(right) > Math.abs(left) ? at(p - 1) + left : at(p + 1) + right;
}

/** Corrects `to` in place; `pixels` are the broken and outlier pixel indices. */
export function correctBadPixels(
  to: Float32Array | Float64Array,
  pixels: readonly number[],
  chess: boolean,
): void {
  const bad = new Set(pixels);
  for (const p of pixels) {
    to[p] = chess ? chessEstimate(to, p) : interleavedEstimate(to, p, bad);
  }
}
