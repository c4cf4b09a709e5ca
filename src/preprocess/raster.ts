/**
 * 8-bit rasters from Frames: decode JPEG/PNG with sharp the way Pillow's `Image.open` sees
 * them, and Pillow's `convert("RGB")` / `convert("L")` (conventions §1 "Decoding", §3 step 1).
 *
 * - No EXIF auto-orientation (sharp only rotates when asked; Pillow never does on open).
 * - The embedded ICC profile is ignored (`ignoreIcc`), as Pillow ignores it.
 * - `failOn: 'warning'` refuses truncated or corrupt files, as Pillow raises
 *   "image file is truncated".
 * Checked against the goldens' `decoded_rgb_sha256` / `decoded_gray_sha256`: sharp's
 * libjpeg-turbo (mozjpeg) decoder gives Pillow's pixels bit for bit on every golden input.
 */
import sharp from 'sharp';
import type { Frame } from '../../drivers/types.js';
import { BindsightError } from '../errors.js';
import { assertDims, assertLength, invalid } from './checks.js';

/** An interleaved 8-bit image: 1 band (Pillow mode L) or 3 bands (RGB). */
export interface RasterU8 {
  width: number;
  height: number;
  bands: 1 | 3;
  data: Uint8Array;
}

/** A decoded image before mode conversion: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
interface Decoded {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** Decode encoded image bytes to 8-bit pixels. Throws FILE_INVALID naming `label` on bad data. */
export async function decodeImage8(bytes: Uint8Array, label: string): Promise<Decoded> {
  try {
    const { data, info } = await sharp(bytes, { failOn: 'warning', ignoreIcc: true, autoOrient: false })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      channels: info.channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (e) {
    throw new BindsightError(
      'FILE_INVALID',
      `${label}: cannot decode image (${e instanceof Error ? e.message : String(e)})`,
      { label },
      { cause: e },
    );
  }
}

/** Decode a 16-bit greyscale PNG (depth maps, Y16 thermal) to its raw sample values. */
export async function decodeImage16(
  bytes: Uint8Array,
  label: string,
): Promise<{ width: number; height: number; data: Uint16Array }> {
  try {
    const image = sharp(bytes, { failOn: 'warning', ignoreIcc: true, autoOrient: false });
    const meta = await image.metadata();
    if (meta.depth !== 'ushort' || (meta.channels ?? 0) > 2) {
      throw new Error(
        `expected a 16-bit greyscale image, got ${meta.channels ?? '?'} channel(s) of ${meta.depth ?? '?'}`,
      );
    }
    const { data, info } = await image
      .extractChannel(0)
      .toColourspace('grey16')
      .raw({ depth: 'ushort' })
      .toBuffer({
        resolveWithObject: true,
      });
    // sharp returns native-endian 16-bit samples; copy to get an aligned Uint16Array.
    const out = new Uint16Array(info.width * info.height);
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, little);
    return { width: info.width, height: info.height, data: out };
  } catch (e) {
    throw new BindsightError(
      'FILE_INVALID',
      `${label}: cannot decode 16-bit image (${e instanceof Error ? e.message : String(e)})`,
      { label },
      { cause: e },
    );
  }
}

/** Pillow `convert("RGB")`: grey is replicated, alpha is dropped without compositing. */
function toRgb(d: Decoded): RasterU8 {
  const n = d.width * d.height;
  if (d.channels === 3) return { width: d.width, height: d.height, bands: 3, data: d.data };
  const out = new Uint8Array(n * 3);
  const c = d.channels;
  for (let i = 0; i < n; i++) {
    if (c >= 3) {
      out[i * 3] = d.data[i * c];
      out[i * 3 + 1] = d.data[i * c + 1];
      out[i * 3 + 2] = d.data[i * c + 2];
    } else {
      const g = d.data[i * c];
      out[i * 3] = g;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = g;
    }
  }
  return { width: d.width, height: d.height, bands: 3, data: out };
}

/**
 * Pillow `convert("L")` (libImaging/Convert.c `rgb2l`, ITU-R 601-2 luma in 16-bit fixed point):
 * `L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16`; grey input passes through, alpha is ignored.
 */
function toLuma(d: Decoded): RasterU8 {
  const n = d.width * d.height;
  const c = d.channels;
  if (c === 1) return { width: d.width, height: d.height, bands: 1, data: d.data };
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * c;
    out[i] =
      c >= 3 ? (d.data[p] * 19595 + d.data[p + 1] * 38470 + d.data[p + 2] * 7471 + 0x8000) >>> 16 : d.data[p];
  }
  return { width: d.width, height: d.height, bands: 1, data: out };
}

/** The 8-bit pixels of an rgb24 / gray8 / jpeg / png Frame; other formats are refused. */
async function frameToDecoded(frame: Frame, what: string): Promise<Decoded> {
  switch (frame.format) {
    case 'rgb24':
    case 'gray8': {
      const channels = frame.format === 'rgb24' ? 3 : 1;
      if (!(frame.data instanceof Uint8Array))
        throw invalid(`${what}: ${frame.format} data must be a Uint8Array`);
      assertDims(frame.width, frame.height, what);
      assertLength(frame.data.length, frame.width * frame.height * channels, `${what} (${frame.format})`);
      return { width: frame.width, height: frame.height, channels, data: frame.data };
    }
    case 'jpeg':
    case 'png': {
      if (!(frame.data instanceof Uint8Array) || frame.data.length === 0) {
        throw invalid(`${what}: ${frame.format} frame has no encoded bytes`);
      }
      const d = await decodeImage8(frame.data, `${what} (${frame.format})`);
      return d;
    }
    default:
      throw invalid(
        `${what}: format '${frame.format}' is not an 8-bit image; expected rgb24, gray8, jpeg or png`,
        {
          format: frame.format,
        },
      );
  }
}

/** Frame → Pillow `convert("RGB")` raster. */
export async function frameToRgb(frame: Frame, what: string): Promise<RasterU8> {
  return toRgb(await frameToDecoded(frame, what));
}

/** Frame → Pillow `convert("L")` raster. */
export async function frameToLuma(frame: Frame, what: string): Promise<RasterU8> {
  return toLuma(await frameToDecoded(frame, what));
}
