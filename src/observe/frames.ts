/**
 * The live page's views of a sensor's latest sample: a frame as an image (camera frames as they
 * are, thermal and depth colour-mapped with inferno and their value range for the legend), a
 * window (audio, IMU) as a small min/max envelope per channel. Display only: nothing here feeds
 * the pipeline, so rounding is fine.
 */
import sharp from 'sharp';
import type { Frame, Window } from '../../drivers/types.js';
import { BindsightError } from '../errors.js';
import { decodeImage8 } from '../preprocess/raster.js';
import { type ColourRange, colourise, valueRange } from './colormap.js';

export interface RenderedFrame {
  contentType: 'image/png' | 'image/jpeg';
  body: Buffer;
  /** Value range the colours span (thermal, depth): °C, mm, raw counts or 8-bit levels. */
  range?: ColourRange & { unit: '°C' | 'mm' | 'counts' | 'level' };
}

/** ImageBind's IMU channel order (DESIGN.md "Core types"). */
const IMU_LABELS = ['ax', 'ay', 'az', 'gx', 'gy', 'gz'];
const KELVIN_OFFSET = 273.15;

function png(rgbOrGrey: Buffer, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  return sharp(rgbOrGrey, { raw: { width, height, channels } }).png({ compressionLevel: 3 }).toBuffer();
}

function checkLength(f: Frame, per: number): void {
  if (f.width <= 0 || f.height <= 0 || f.data.length !== f.width * f.height * per) {
    throw new BindsightError(
      'FILE_INVALID',
      `sensor "${f.sensor}": ${f.format} frame of ${f.width}×${f.height} has ${f.data.length} values, expected ${f.width * f.height * per}`,
      { sensor: f.sensor, format: f.format },
    );
  }
}

async function colourFrame(
  f: Frame,
  values: ArrayLike<number>,
  unit: NonNullable<RenderedFrame['range']>['unit'],
): Promise<RenderedFrame> {
  const depth = f.modality === 'depth';
  // Depth: 0 means "no measurement" (z16_mm), and near is drawn bright as depth viewers do.
  const invalid = depth ? (v: number) => v <= 0 : undefined;
  const range = valueRange(values, invalid);
  const rgb = colourise(values, range, { invalid, invert: depth });
  const body = await png(rgb, f.width, f.height, 3);
  return { contentType: 'image/png', body, ...(range ? { range: { ...range, unit } } : {}) };
}

/** The frame as an image the browser shows: PNG, or the camera's own JPEG/PNG bytes. */
export async function renderFrame(f: Frame): Promise<RenderedFrame> {
  const mapped = f.modality !== 'vision';
  switch (f.format) {
    case 'jpeg':
    case 'png': {
      if (!mapped)
        return {
          contentType: `image/${f.format}`,
          body: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength),
        };
      const img = await decodeImage8(
        new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength),
        f.sensor,
      );
      const grey = Uint8Array.from({ length: img.width * img.height }, (_, i) => img.data[i * img.channels]);
      return colourFrame({ ...f, width: img.width, height: img.height }, grey, 'level');
    }
    case 'rgb24':
      checkLength(f, 3);
      return {
        contentType: 'image/png',
        body: await png(Buffer.from(f.data as Uint8Array), f.width, f.height, 3),
      };
    case 'gray8':
      checkLength(f, 1);
      if (mapped) return colourFrame(f, f.data, 'level');
      return {
        contentType: 'image/png',
        body: await png(Buffer.from(f.data as Uint8Array), f.width, f.height, 1),
      };
    case 'gray16':
      checkLength(f, 1);
      return colourFrame(f, f.data, 'counts');
    case 'y16_ck':
      checkLength(f, 1);
      // FLIR Lepton TLinear: centikelvin (drivers/types.ts FrameFormat).
      return colourFrame(
        f,
        Float32Array.from(f.data, (v) => v / 100 - KELVIN_OFFSET),
        '°C',
      );
    case 'z16_mm':
      checkLength(f, 1);
      return colourFrame(f, f.data, 'mm');
    case 'celsius_f32':
      checkLength(f, 1);
      return colourFrame(f, f.data, '°C');
  }
}

export interface WindowPlot {
  /** Sample rate, Hz. */
  rate: number;
  seconds: number;
  labels: string[];
  /** Per channel, per bucket: the lowest and highest sample in the bucket. */
  min: number[][];
  max: number[][];
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/** A window as a min/max envelope of `buckets` points per channel (channel-major data). */
export function windowPlot(w: Window, buckets = 160): WindowPlot {
  const channels = Math.max(1, w.channels);
  const n = Math.floor(w.data.length / channels);
  const count = Math.max(1, Math.min(buckets, n));
  const labels = Array.from({ length: channels }, (_, c) =>
    w.modality === 'imu' && channels === IMU_LABELS.length ? IMU_LABELS[c] : `ch${c}`,
  );
  const min: number[][] = [];
  const max: number[][] = [];
  for (let c = 0; c < channels; c++) {
    const lo: number[] = [];
    const hi: number[] = [];
    for (let b = 0; b < count; b++) {
      const start = c * n + Math.floor((b * n) / count);
      const end = c * n + Math.max(Math.floor(((b + 1) * n) / count), Math.floor((b * n) / count) + 1);
      let a = Number.POSITIVE_INFINITY;
      let z = Number.NEGATIVE_INFINITY;
      for (let i = start; i < end && i < (c + 1) * n; i++) {
        const v = w.data[i];
        if (v < a) a = v;
        if (v > z) z = v;
      }
      lo.push(Number.isFinite(a) ? round4(a) : 0);
      hi.push(Number.isFinite(z) ? round4(z) : 0);
    }
    min.push(lo);
    max.push(hi);
  }
  return { rate: w.rate, seconds: w.rate > 0 ? n / w.rate : 0, labels, min, max };
}
