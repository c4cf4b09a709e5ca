/**
 * Builders for small replay test files (WAV, PNG, JPEG, CSV) and a config helper; tests write
 * them into t.testdir() so every case states its own input.
 */
import sharp from 'sharp';
import wavefile from 'wavefile';
import { type ReplaySensorConfig, replaySensorSchema } from '../../../src/config/schema.js';

/** A parsed replay config (defaults applied), as the agent would pass it. */
export function replayConfig(fields: Record<string, unknown>): ReplaySensorConfig {
  return replaySensorSchema.parse({ id: 'replay0', driver: 'replay', ...fields });
}

/** A WAV of the given wavefile bit-depth code ('8', '16', '24', '32', '32f'); one array per channel. */
export function wavBytes(channels: number[][], rate: number, bitDepth: string): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels.length, rate, bitDepth, channels.length === 1 ? channels[0] : channels);
  return wav.toBuffer();
}

/** An 8-bit RGB image filled with one colour. */
export function rgbImage(width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } });
  return (format === 'png' ? img.png() : img.jpeg()).toBuffer();
}

/** A 16-bit grey PNG of the given millimetre values (row-major). */
export function depthPngBytes(width: number, height: number, mm: Uint16Array): Promise<Buffer> {
  return sharp(mm, { raw: { width, height, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toBuffer();
}

/** An 8-bit grey PNG (not acceptable as depth). */
export function grey8PngBytes(width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.alloc(width * height, 100), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** IMU CSV text: rows of [t_ms, ax, ay, az, gx, gy, gz] under the standard header. */
export function imuCsv(rows: number[][]): string {
  return `t_ms,ax,ay,az,gx,gy,gz\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

/** `n` IMU rows every `dtMs`, value of channel c at row i = i + c / 10. */
export function imuRows(n: number, dtMs: number): number[][] {
  return Array.from({ length: n }, (_, i) => [i * dtMs, ...[0, 1, 2, 3, 4, 5].map((c) => i + c / 10)]);
}

/** Thermal CSV text: `frames` rows of width×height values, frame f filled with 20 + f. */
export function thermalCsv(frames: number, width: number, height: number, header = false): string {
  const rows = Array.from({ length: frames }, (_, f) =>
    Array(width * height)
      .fill(20 + f)
      .join(','),
  );
  return `${header ? `${Array.from({ length: width * height }, (_, i) => `p${i}`).join(',')}\n` : ''}${rows.join('\n')}\n`;
}
