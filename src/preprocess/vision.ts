/**
 * Vision: ImageBind `load_and_transform_vision_data` (imagebind/data.py:82-106 @ 53680b0):
 * `convert("RGB") → Resize(224, BICUBIC) → CenterCrop(224) → ToTensor → Normalize(CLIP)`,
 * giving [3, size, size] float32 (conventions §1, imagebind-contract.md §1.1).
 */
import type { Frame } from '../../drivers/types.js';
import type { VisionParams } from '../../models/manifest.js';
import { centerCropOffset, shortSideSize } from './geometry.js';
import { resizeBicubicWindowU8 } from './pillowResample.js';
import { frameToRgb, type RasterU8 } from './raster.js';

/**
 * Pillow-resize the raster's short side to `size` (long side `int(size*long/short)`) and take
 * the centre `size`×`size` window with Python half-to-even rounding of the offsets.
 * Only the window is computed (the same bytes as resizing all and cropping after).
 * Works for 1 and 3 bands; shared with thermal.
 */
export function resizeAndCrop(r: RasterU8, size: number): Uint8Array {
  const out = shortSideSize(r.width, r.height, size);
  const { top, left } = centerCropOffset(out.width, out.height, size);
  return resizeBicubicWindowU8(r.data, r.width, r.height, r.bands, out.width, out.height, {
    left,
    top,
    width: size,
    height: size,
  });
}

/**
 * torchvision `ToTensor` then `Normalize` in float32: `((v / 255) - mean) / std`, each step
 * rounded to float32 as torch does; HWC uint8 → CHW float32.
 */
export function normalizeRgb(
  hwc: Uint8Array,
  size: number,
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const m = Math.fround(mean[c]);
    const s = Math.fround(std[c]);
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = Math.fround(Math.fround(Math.fround(v / 255) - m) / s);
    for (let i = 0; i < plane; i++) out[c * plane + i] = lut[hwc[i * 3 + c]];
  }
  return out;
}

/** An rgb24 / gray8 / jpeg / png frame → [3, p.size, p.size] CLIP-normalised float32. */
export async function preprocessVision(frame: Frame, p: VisionParams): Promise<Float32Array> {
  const rgb = await frameToRgb(frame, `vision frame from '${frame.sensor}'`);
  return normalizeRgb(resizeAndCrop(rgb, p.size), p.size, p.mean, p.std);
}
