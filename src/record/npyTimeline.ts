/**
 * NumPy `.npy` arrays as a replay timeline, for `bindsight import` (issue #7). The layouts follow
 * `bindsight preprocess` (src/preprocess/files.ts), with an optional leading frame axis N for
 * image-like modalities (frames at `rate` per second):
 *
 * | modality | array | Samples |
 * | --- | --- | --- |
 * | vision | uint8 [H,W,3] / [H,W] / [N,H,W,3] / [N,H,W] | rgb24 / gray8 Frames |
 * | thermal | float [H,W] or [N,H,W] °C; uint16 (raw counts); uint8 | celsius_f32 / gray16 / gray8 Frames |
 * | depth | uint16 [H,W] or [N,H,W] millimetres; float metres (NaN, ≤ 0 → 0 = invalid) | z16_mm Frames |
 * | audio | float [N] or [C,N] in [-1, 1], with a sample rate | Windows |
 * | imu | float [N,7]: t_ms, ax, ay, az (m/s²), gx, gy, gz (rad/s) | Windows |
 */
import { basename } from 'node:path';
import { IMU_COLUMNS } from '../../drivers/replay/csv.js';
import { channelSlice, type TimedSample, type Timeline, windows } from '../../drivers/replay/sources.js';
import type { TimeAxis } from '../../drivers/replay/windows.js';
import type { Frame, FrameFormat } from '../../drivers/types.js';
import type { ReplaySensorConfig } from '../config/schema.js';
import { BindsightError } from '../errors.js';
import { type NpyArray, readNpy } from '../preprocess/npy.js';

export interface NpyOptions {
  /** Samples per second of an audio array (required for audio). */
  sampleRate?: number;
}

function invalid(file: string, what: string): BindsightError {
  return new BindsightError('FILE_INVALID', `${file}: ${what}`, { file });
}

function metresToMm(values: ArrayLike<number>): Uint16Array {
  const mm = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i] * 1000);
    mm[i] = v > 0 && v <= 65535 ? v : 0;
  }
  return mm;
}

interface FrameSeries {
  frames: number;
  width: number;
  height: number;
  format: FrameFormat;
  /** Frame i's data. */
  frame(i: number): Frame['data'];
}

/** Splits [N,H,W,(C)] (or one [H,W,(C)]) into frames of `channels` values per pixel. */
function series(
  a: NpyArray,
  channels: 1 | 3,
  format: FrameFormat,
  convert: (v: NpyArray['data']) => Frame['data'],
): FrameSeries {
  const dims = channels === 3 ? a.shape.slice(0, -1) : a.shape;
  const [frames, height, width] = dims.length === 2 ? [1, dims[0], dims[1]] : [dims[0], dims[1], dims[2]];
  const size = width * height * channels;
  return { frames, width, height, format, frame: (i) => convert(a.data.slice(i * size, (i + 1) * size)) };
}

const asU8 = (v: NpyArray['data']): Uint8Array => (v instanceof Uint8Array ? v : Uint8Array.from(v));
const asU16 = (v: NpyArray['data']): Uint16Array => (v instanceof Uint16Array ? v : Uint16Array.from(v));
const asF32 = (v: NpyArray['data']): Float32Array => (v instanceof Float32Array ? v : Float32Array.from(v));

function frameSeries(a: NpyArray, cfg: ReplaySensorConfig, file: string): FrameSeries {
  const rank = a.shape.length;
  const rgb = cfg.modality === 'vision' && (rank === 3 || rank === 4) && a.shape[rank - 1] === 3;
  if (!(rank === 2 || rank === 3 || (rank === 4 && rgb))) {
    throw invalid(
      file,
      `a ${cfg.modality} .npy must be [H,W] or [N,H,W]${cfg.modality === 'vision' ? ' (or with a last axis of 3 for RGB)' : ''}; got shape [${a.shape.join(',')}]`,
    );
  }
  if (cfg.modality === 'vision') {
    if (a.dtype !== 'uint8') throw invalid(file, `vision .npy must be uint8; got ${a.dtype}`);
    return rgb ? series(a, 3, 'rgb24', asU8) : series(a, 1, 'gray8', asU8);
  }
  if (cfg.modality === 'thermal') {
    if (a.dtype === 'uint16') return series(a, 1, 'gray16', asU16);
    if (a.dtype === 'uint8') return series(a, 1, 'gray8', asU8);
    if (a.dtype === 'int16')
      throw invalid(file, 'thermal .npy: int16 is not supported; use float °C or uint16');
    return series(a, 1, 'celsius_f32', asF32);
  }
  if (a.dtype === 'uint16') return series(a, 1, 'z16_mm', asU16);
  if (a.dtype === 'float32' || a.dtype === 'float64') return series(a, 1, 'z16_mm', metresToMm);
  throw invalid(file, `depth .npy: ${a.dtype} is not supported; use uint16 millimetres or float metres`);
}

function framesTimeline(a: NpyArray, cfg: ReplaySensorConfig, file: string): Timeline {
  const s = frameSeries(a, cfg, file);
  const periodMs = 1000 / (cfg.rate ?? (cfg.modality === 'thermal' ? 4 : 1));
  const samples: TimedSample[] = Array.from({ length: s.frames }, (_, i) => ({
    atMs: i * periodMs,
    spanMs: 0,
    build: (t: bigint): Frame => ({
      kind: 'frame',
      sensor: cfg.id,
      modality: cfg.modality,
      t,
      width: s.width,
      height: s.height,
      format: s.format,
      data: s.frame(i),
      meta: { file: basename(file) },
    }),
  }));
  return { durationMs: s.frames * periodMs, samples, corrupt: [] };
}

function audioTimeline(
  a: NpyArray,
  cfg: ReplaySensorConfig,
  file: string,
  rate: number | undefined,
): Timeline {
  if (rate === undefined) throw invalid(file, 'an audio .npy needs a sample rate (--sample-rate HZ)');
  if (a.dtype !== 'float32' && a.dtype !== 'float64')
    throw invalid(file, `audio .npy must be float in [-1, 1]; got ${a.dtype}`);
  if (a.shape.length !== 1 && a.shape.length !== 2)
    throw invalid(file, `audio .npy must be [N] or [C,N]; got shape [${a.shape.join(',')}]`);
  const [channels, n] = a.shape.length === 1 ? [1, a.shape[0]] : [a.shape[0], a.shape[1]];
  const data = asF32(a.data);
  const blocks = Array.from({ length: channels }, (_, c) => data.subarray(c * n, (c + 1) * n));
  const axis: TimeAxis = { count: n, at: (i) => (i * 1000) / rate, endMs: (n * 1000) / rate };
  const samples = windows(
    cfg,
    axis,
    rate,
    channels,
    (s, e) => channelSlice(blocks, s, e),
    () => ({ file: basename(file) }),
  );
  return { durationMs: axis.endMs, samples, corrupt: [] };
}

function imuTimeline(a: NpyArray, cfg: ReplaySensorConfig, file: string): Timeline {
  const cols = IMU_COLUMNS.length + 1;
  if (a.shape.length !== 2 || a.shape[1] !== cols || (a.dtype !== 'float32' && a.dtype !== 'float64')) {
    throw invalid(
      file,
      `an imu .npy must be float [N,7] (t_ms, ${IMU_COLUMNS.join(', ')}); got ${a.dtype} [${a.shape.join(',')}]`,
    );
  }
  const rows = a.shape[0];
  const t = Float64Array.from({ length: rows }, (_, i) => Number(a.data[i * cols]));
  const steps = Array.from(t.subarray(1), (v, i) => v - t[i])
    .filter((dt) => dt > 0)
    .sort((x, y) => x - y);
  if (steps.length === 0 || t.some((v, i) => i > 0 && v < t[i - 1])) {
    throw invalid(file, 'imu .npy: t_ms must be non-decreasing over at least 2 distinct times');
  }
  const dt = steps[steps.length >> 1];
  const blocks = IMU_COLUMNS.map((_, c) =>
    Float32Array.from({ length: rows }, (_, i) => Number(a.data[i * cols + c + 1])),
  );
  const axis: TimeAxis = { count: rows, at: (i) => t[i], endMs: t[rows - 1] + dt };
  const samples = windows(
    cfg,
    axis,
    1000 / dt,
    IMU_COLUMNS.length,
    (s, e) => channelSlice(blocks, s, e),
    (s) => ({ t0_ms: t[s], file: basename(file) }),
  );
  return { durationMs: axis.endMs - t[0], samples, corrupt: [] };
}

/** Reads an .npy file's bytes as a timeline for `cfg`'s modality (see the file header). */
export function npyTimeline(
  bytes: Uint8Array,
  file: string,
  cfg: ReplaySensorConfig,
  options: NpyOptions = {},
): Timeline {
  const a = readNpy(bytes, file);
  if (cfg.modality === 'audio') return audioTimeline(a, cfg, file, options.sampleRate);
  if (cfg.modality === 'imu') return imuTimeline(a, cfg, file);
  return framesTimeline(a, cfg, file);
}
