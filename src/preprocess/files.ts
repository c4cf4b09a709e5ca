/**
 * Files → tensors for `bindsight preprocess` (issue #4): the native formats (JPEG/PNG, WAV,
 * 8-bit grey or 16-bit radiometric PNG for thermal, 16-bit PNG depth) and plain .npy arrays so
 * any tool can feed it: thermal [H,W] float °C; depth [H,W] float metres (0 or NaN = invalid);
 * imu [N,7] float with columns t_ms, ax, ay, az (m/s², gravity included), gx, gy, gz (rad/s).
 * The file type is found from its magic bytes, not its name.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Frame, SensorModality, Window } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { BindsightError } from '../errors.js';
import { preprocessAudio } from './audio.js';
import { depthFromMetres, preprocessDepth } from './depth.js';
import { IMU_CHANNELS, imuFromSeries } from './imu.js';
import { type NpyArray, readNpy } from './npy.js';
import { decodeImage16 } from './raster.js';
import { preprocessThermal, thermalFromValues } from './thermal.js';
import { preprocessVision } from './vision.js';
import { wavToWindow } from './wav.js';

type FileKind = 'png' | 'jpeg' | 'wav' | 'npy';

/** Magic bytes of the accepted containers. */
const MAGIC: Array<{ kind: FileKind; test: (b: Uint8Array) => boolean }> = [
  { kind: 'png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { kind: 'jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { kind: 'wav', test: (b) => /^(RIFF|RIFX|RF64)....WAVE/s.test(String.fromCharCode(...b.subarray(0, 12))) },
  { kind: 'npy', test: (b) => b[0] === 0x93 && String.fromCharCode(...b.subarray(1, 6)) === 'NUMPY' },
];

export interface ParamSpec {
  modalities: readonly SensorModality[];
  help: string;
  parse: (v: string) => number | string;
}

const positive = (name: string) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw usage(`--param ${name}=${v}: expected a positive number`);
  return x;
};
const nonNegative = (name: string) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0) throw usage(`--param ${name}=${v}: expected a number ≥ 0`);
  return x;
};

/** Every `--param` the command accepts, with the modalities it applies to. */
export const FILE_PARAMS: Readonly<Record<string, ParamSpec>> = {
  depth_unit_m: {
    modalities: ['depth'],
    help: 'metres per 16-bit depth step (default 0.001)',
    parse: positive('depth_unit_m'),
  },
  baseline_m: {
    modalities: ['depth'],
    help: 'stereo baseline in metres (default 0.075)',
    parse: positive('baseline_m'),
  },
  focal_px: {
    modalities: ['depth'],
    help: 'focal length in px (default 518.857901 · W/640)',
    parse: positive('focal_px'),
  },
  thermal_unit: {
    modalities: ['thermal'],
    help: 'meaning of 16-bit thermal values: centikelvin (radiometric) or counts (default)',
    parse: (v) => {
      if (v !== 'centikelvin' && v !== 'counts')
        throw usage(`--param thermal_unit=${v}: expected centikelvin or counts`);
      return v;
    },
  },
  start_s: {
    modalities: ['imu'],
    help: 'window start, seconds after the first sample (default 0)',
    parse: nonNegative('start_s'),
  },
  sample_rate: {
    modalities: ['audio'],
    help: 'sample rate in Hz of an audio .npy [C,N] (required for .npy)',
    parse: positive('sample_rate'),
  },
};

export type FileParams = Readonly<Record<string, number | string>>;

function usage(message: string): BindsightError {
  return new BindsightError('USAGE', message);
}

function fileError(label: string, message: string): BindsightError {
  return new BindsightError('FILE_INVALID', `${label}: ${message}`, { file: label });
}

/** Parse `k=v` strings against FILE_PARAMS for one modality. */
export function parseFileParams(modality: SensorModality, pairs: readonly string[]): FileParams {
  const out: Record<string, number | string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`--param '${pair}': expected key=value`);
    const key = pair.slice(0, eq);
    const spec = FILE_PARAMS[key];
    const valid = Object.keys(FILE_PARAMS).filter((k) => FILE_PARAMS[k].modalities.includes(modality));
    if (!spec?.modalities.includes(modality)) {
      throw usage(
        `--param ${key}: not a ${modality} parameter; valid: ${valid.length > 0 ? valid.join(', ') : 'none'}`,
      );
    }
    out[key] = spec.parse(pair.slice(eq + 1));
  }
  return out;
}

function detect(bytes: Uint8Array, label: string): FileKind {
  const hit = MAGIC.find((m) => bytes.length >= 12 && m.test(bytes));
  if (!hit) throw fileError(label, 'unknown file type; expected JPEG, PNG, WAV or .npy');
  return hit.kind;
}

function frame(
  label: string,
  modality: SensorModality,
  format: Frame['format'],
  w: number,
  h: number,
  data: Frame['data'],
  meta?: Record<string, number>,
): Frame {
  return { kind: 'frame', sensor: label, modality, t: 0n, width: w, height: h, format, data, meta };
}

/** An .npy of exactly `rank` dims, or a FILE_INVALID naming the expected layout. */
function npyOf(bytes: Uint8Array, label: string, ranks: readonly number[], layout: string): NpyArray {
  const a = readNpy(bytes, label);
  if (!ranks.includes(a.shape.length))
    throw fileError(label, `expected ${layout}, got shape [${a.shape.join(',')}]`);
  return a;
}

async function pngBitDepth(bytes: Uint8Array, label: string): Promise<number> {
  try {
    const meta = await sharp(bytes).metadata();
    return meta.depth === 'ushort' ? 16 : 8;
  } catch (e) {
    throw fileError(label, `cannot read PNG header (${e instanceof Error ? e.message : String(e)})`);
  }
}

type Loader = (bytes: Uint8Array, kind: FileKind, label: string, p: FileParams) => Promise<Float32Array>;

const vision: Loader = async (bytes, kind, label) => {
  const P = IMAGEBIND_PREPROCESS.vision;
  if (kind === 'png' || kind === 'jpeg')
    return preprocessVision(frame(label, 'vision', kind, 0, 0, bytes), P);
  if (kind !== 'npy') throw fileError(label, 'vision takes JPEG, PNG or a uint8 .npy [H,W,3] / [H,W]');
  const a = npyOf(bytes, label, [2, 3], 'uint8 [H,W,3] or [H,W]');
  if (a.dtype !== 'uint8' || (a.shape.length === 3 && a.shape[2] !== 3))
    throw fileError(label, 'vision .npy must be uint8 [H,W,3] or [H,W]');
  return preprocessVision(
    frame(label, 'vision', a.shape.length === 3 ? 'rgb24' : 'gray8', a.shape[1], a.shape[0], a.data),
    P,
  );
};

const thermal: Loader = async (bytes, kind, label, p) => {
  const P = IMAGEBIND_PREPROCESS.thermal;
  const unit16 = p.thermal_unit === 'centikelvin' ? 'y16_ck' : 'gray16';
  if (kind === 'jpeg') return preprocessThermal(frame(label, 'thermal', 'jpeg', 0, 0, bytes), P);
  if (kind === 'png') {
    if ((await pngBitDepth(bytes, label)) === 8)
      return preprocessThermal(frame(label, 'thermal', 'png', 0, 0, bytes), P);
    const img = await decodeImage16(bytes, label);
    return preprocessThermal(frame(label, 'thermal', unit16, img.width, img.height, img.data), P);
  }
  if (kind !== 'npy') throw fileError(label, 'thermal takes JPEG, PNG (8-bit or 16-bit) or an .npy [H,W]');
  const a = npyOf(bytes, label, [2], 'float °C [H,W]');
  const [h, w] = a.shape;
  if (a.dtype === 'uint8') return preprocessThermal(frame(label, 'thermal', 'gray8', w, h, a.data), P);
  if (a.dtype === 'uint16') return preprocessThermal(frame(label, 'thermal', unit16, w, h, a.data), P);
  if (a.dtype === 'int16')
    throw fileError(label, 'thermal .npy: int16 is not supported; use float °C or uint16');
  return thermalFromValues(a.data, w, h, P, label);
};

const depth: Loader = async (bytes, kind, label, p) => {
  const P = IMAGEBIND_PREPROCESS.depth;
  const meta: Record<string, number> = {};
  for (const k of ['depth_unit_m', 'baseline_m', 'focal_px'] as const)
    if (typeof p[k] === 'number') meta[k] = p[k];
  if (kind === 'png') {
    if ((await pngBitDepth(bytes, label)) !== 16)
      throw fileError(label, 'depth PNG must be 16-bit greyscale');
    return preprocessDepth(frame(label, 'depth', 'png', 0, 0, bytes, meta), P);
  }
  if (kind !== 'npy')
    throw fileError(label, 'depth takes a 16-bit PNG or an .npy [H,W] (float metres or uint16 steps)');
  const a = npyOf(bytes, label, [2], 'float metres [H,W]');
  const [h, w] = a.shape;
  if (a.dtype === 'uint16') return preprocessDepth(frame(label, 'depth', 'z16_mm', w, h, a.data, meta), P);
  if (a.dtype !== 'float32' && a.dtype !== 'float64')
    throw fileError(label, `depth .npy: ${a.dtype} not supported; use float metres or uint16`);
  return depthFromMetres(a.data, w, h, P, { baselineM: meta.baseline_m, focalPx: meta.focal_px }, label);
};

const audio: Loader = async (bytes, kind, label, p) => {
  const P = IMAGEBIND_PREPROCESS.audio;
  if (kind === 'wav') {
    if (p.sample_rate !== undefined)
      throw usage('--param sample_rate applies to an audio .npy only; a WAV has its own rate');
    return preprocessAudio(wavToWindow(bytes, label), P);
  }
  if (kind !== 'npy')
    throw fileError(label, 'audio takes WAV or a float .npy [C,N] / [N] with --param sample_rate=HZ');
  const a = npyOf(bytes, label, [1, 2], 'float [C,N] or [N]');
  if (typeof p.sample_rate !== 'number') throw usage('audio .npy needs --param sample_rate=HZ');
  if (a.dtype !== 'float32' && a.dtype !== 'float64')
    throw fileError(label, 'audio .npy must be float in [-1, 1]');
  const channels = a.shape.length === 2 ? a.shape[0] : 1;
  const win: Window = {
    kind: 'window',
    sensor: label,
    modality: 'audio',
    t: 0n,
    rate: p.sample_rate,
    channels,
    data: Float32Array.from(a.data),
  };
  return preprocessAudio(win, P);
};

const imu: Loader = async (bytes, kind, label, p) => {
  if (kind !== 'npy')
    throw fileError(label, 'imu takes an .npy [N,7]: t_ms, ax, ay, az (m/s²), gx, gy, gz (rad/s)');
  const a = npyOf(bytes, label, [2], 'float [N,7] (t_ms, ax, ay, az, gx, gy, gz)');
  const [n, cols] = a.shape;
  if (cols !== IMU_CHANNELS + 1)
    throw fileError(label, `expected 7 columns (t_ms, ax, ay, az, gx, gy, gz), got ${cols}`);
  if (n === 0) throw fileError(label, 'no IMU samples');
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = a.data[i * cols];
  const series = Array.from({ length: IMU_CHANNELS }, (_, c) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = a.data[i * cols + c + 1];
    return { t, v };
  });
  const startS = typeof p.start_s === 'number' ? p.start_s : 0;
  return imuFromSeries(series, t[0] + startS * 1000, IMAGEBIND_PREPROCESS.imu, label);
};

const LOADERS: Record<SensorModality, Loader> = { vision, thermal, depth, audio, imu };

/** Read `path` and preprocess it as `modality` with ImageBind's parameters. */
export async function preprocessFile(
  modality: SensorModality,
  path: string,
  params: FileParams = {},
): Promise<Float32Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new BindsightError(
      'FILE_INVALID',
      `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      { file: path },
    );
  }
  return LOADERS[modality](bytes, detect(bytes, path), path, params);
}
