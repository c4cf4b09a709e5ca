/**
 * Image files for replay. Vision and thermal images stay encoded (preprocessing decodes them):
 * only the header is read, for width/height and to refuse a corrupt file before it is queued.
 * Depth PNGs must be 16-bit grey millimetres and are decoded to z16_mm here, because an 8-bit
 * PNG cannot carry depth (it would silently become 0…255 mm).
 */
import sharp, { type Metadata } from 'sharp';
import { BindsightError } from '../../src/errors.js';

export interface EncodedImage {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
}

export interface DepthImage {
  width: number;
  height: number;
  /** Millimetres, row-major, 0 = invalid. */
  data: Uint16Array;
}

function invalid(file: string, what: string, cause?: unknown): BindsightError {
  return new BindsightError('FILE_INVALID', `${file}: ${what}`, { file }, { cause });
}

async function metadata(bytes: Uint8Array, file: string): Promise<Metadata> {
  try {
    return await sharp(bytes).metadata();
  } catch (err) {
    throw invalid(file, `not a readable image: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

export async function readImageHeader(bytes: Uint8Array, file: string): Promise<EncodedImage> {
  const meta = await metadata(bytes, file);
  if (meta.format !== 'jpeg' && meta.format !== 'png') {
    throw invalid(file, `image format "${meta.format}" cannot be replayed; use JPEG or PNG`);
  }
  if (!(meta.width > 0 && meta.height > 0)) {
    throw invalid(file, `image header gives no size (${meta.width}×${meta.height})`);
  }
  return { format: meta.format, width: meta.width, height: meta.height };
}

export async function readDepthPng(bytes: Uint8Array, file: string): Promise<DepthImage> {
  const meta = await metadata(bytes, file);
  const bits = meta.depth === 'ushort' ? 16 : meta.depth === 'uchar' ? 8 : meta.depth;
  if (meta.format !== 'png' || meta.depth !== 'ushort' || meta.channels !== 1) {
    throw invalid(
      file,
      `depth replay needs a 16-bit single-channel (grey) PNG of millimetres; this is a ${meta.format} with ${meta.channels} channel(s) of ${bits}-bit samples`,
    );
  }
  let raw: Buffer;
  try {
    raw = await sharp(bytes).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer();
  } catch (err) {
    throw invalid(file, `cannot decode the PNG: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const pixels = meta.width * meta.height;
  if (raw.length !== pixels * 2) {
    throw invalid(
      file,
      `decoded ${raw.length} bytes, expected ${pixels * 2} for ${meta.width}×${meta.height}×16-bit`,
    );
  }
  // sharp returns native-endian 16-bit samples; copy so the array is aligned and owns its buffer.
  const bytesCopy = new Uint8Array(pixels * 2);
  bytesCopy.set(raw);
  const data = new Uint16Array(bytesCopy.buffer);
  return { width: meta.width, height: meta.height, data };
}
