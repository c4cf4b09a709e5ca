/**
 * Turns one replay file into a timeline: the samples it yields, each with the time (in the
 * file's own timing, ms from the file's start) at which it is emitted. The player divides those
 * times by `speed` and stamps wall-clock capture times; this module knows nothing of clocks.
 *
 * Timing per kind:
 * - image / depth_png: one Frame at 0; the file lasts 1/rate s (rate default 1).
 * - thermal_csv: row i at i/rate s (rate default 4); a corrupt row keeps its slot, like a frame
 *   a sensor dropped.
 * - wav / imu_csv: a Window is emitted at the time of its last sample (windows.ts).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ReplaySensorConfig } from '../../src/config/schema.js';
import { BindsightError } from '../../src/errors.js';
import type { Frame, Sample, Window } from '../types.js';
import { type CorruptRow, IMU_COLUMNS, parseImuCsv, parseThermalCsv } from './csv.js';
import type { PlainFileKind, ReplayFile } from './formats.js';
import { readDepthPng, readImageHeader } from './images.js';
import { decodeWav } from './wav.js';
import { planWindows, type TimeAxis } from './windows.js';

export interface TimedSample {
  /** Emission time, ms from the start of the file, in the file's own timing. */
  atMs: number;
  /** Time from the sample's first capture to its emission, ms (0 for frames; the window's span). */
  spanMs: number;
  /** Builds the sample with capture time `t` (ns). */
  build(t: bigint): Sample;
}

export interface Timeline {
  /** How long the file plays, in its own timing, ms. */
  durationMs: number;
  samples: TimedSample[];
  /** Rows dropped while parsing. */
  corrupt: CorruptRow[];
}

export const DEFAULT_RATE: Readonly<Record<PlainFileKind, number | undefined>> = {
  image: 1,
  depth_png: 1,
  thermal_csv: 4,
  wav: undefined,
  imu_csv: undefined,
};

type Opener = (bytes: Buffer, file: string, cfg: ReplaySensorConfig) => Promise<Timeline>;

function frameRate(cfg: ReplaySensorConfig, kind: PlainFileKind): number {
  return cfg.rate ?? DEFAULT_RATE[kind] ?? 1;
}

function frame(
  cfg: ReplaySensorConfig,
  file: string,
  fields: Pick<Frame, 'width' | 'height' | 'format' | 'data'>,
) {
  return (t: bigint): Frame => ({
    kind: 'frame',
    sensor: cfg.id,
    modality: cfg.modality,
    t,
    ...fields,
    meta: { file: basename(file) },
  });
}

/** Windows over a channel-major series: `series(start, end)` copies the samples of one window. */
export function windows(
  cfg: ReplaySensorConfig,
  axis: TimeAxis,
  rate: number,
  channels: number,
  series: (start: number, end: number) => Float32Array,
  meta: (start: number) => Record<string, number | string>,
): TimedSample[] {
  const t0 = axis.at(0);
  return planWindows(axis, cfg.window * 1000, cfg.hop * 1000).map(({ start, end }) => ({
    atMs: axis.at(end - 1) - t0,
    spanMs: axis.at(end - 1) - axis.at(start),
    build: (t: bigint): Window => ({
      kind: 'window',
      sensor: cfg.id,
      modality: cfg.modality,
      t,
      rate,
      channels,
      data: series(start, end),
      meta: meta(start),
    }),
  }));
}

/** Copies samples [start, end) of each per-channel block into one channel-major array. */
export function channelSlice(blocks: Float32Array[], start: number, end: number): Float32Array {
  const n = end - start;
  const out = new Float32Array(blocks.length * n);
  blocks.forEach((block, c) => {
    out.set(block.subarray(start, end), c * n);
  });
  return out;
}

const openWav: Opener = async (bytes, file, cfg) => {
  const clip = decodeWav(bytes, file);
  const axis: TimeAxis = {
    count: clip.frames,
    at: (i) => (i * 1000) / clip.rate,
    endMs: (clip.frames * 1000) / clip.rate,
  };
  const samples = windows(
    cfg,
    axis,
    clip.rate,
    clip.channels,
    (s, e) => channelSlice(clip.data, s, e),
    () => ({ file: basename(file) }),
  );
  return { durationMs: axis.endMs, samples, corrupt: [] };
};

const openImuCsv: Opener = async (bytes, file, cfg) => {
  const table = parseImuCsv(bytes.toString('utf8'), file);
  const { rows, t } = table;
  const axis: TimeAxis = { count: rows, at: (i) => t[i], endMs: t[rows - 1] + table.medianDtMs };
  const blocks = IMU_COLUMNS.map((_, c) => table.data.subarray(c * rows, (c + 1) * rows));
  const samples = windows(
    cfg,
    axis,
    1000 / table.medianDtMs,
    IMU_COLUMNS.length,
    (s, e) => channelSlice(blocks, s, e),
    (s) => ({ t0_ms: t[s], file: basename(file) }),
  );
  return { durationMs: axis.endMs - t[0], samples, corrupt: table.corrupt };
};

const openThermalCsv: Opener = async (bytes, file, cfg) => {
  const { frames, corrupt } = parseThermalCsv(bytes.toString('utf8'), cfg.width, cfg.height);
  const periodMs = 1000 / frameRate(cfg, 'thermal_csv');
  const samples: TimedSample[] = [];
  frames.forEach((data, i) => {
    if (data === null) return;
    const fields = { width: cfg.width, height: cfg.height, format: 'celsius_f32' as const, data };
    samples.push({ atMs: i * periodMs, spanMs: 0, build: frame(cfg, file, fields) });
  });
  return { durationMs: frames.length * periodMs, samples, corrupt };
};

const openImage: Opener = async (bytes, file, cfg) => {
  const { format, width, height } = await readImageHeader(bytes, file);
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const build = frame(cfg, file, { width, height, format, data });
  return {
    durationMs: 1000 / frameRate(cfg, 'image'),
    samples: [{ atMs: 0, spanMs: 0, build }],
    corrupt: [],
  };
};

const openDepthPng: Opener = async (bytes, file, cfg) => {
  const depth = await readDepthPng(bytes, file);
  const meta: Record<string, number | string> = { file: basename(file) };
  if (cfg.baseline_m !== undefined) meta.baseline_m = cfg.baseline_m;
  if (cfg.focal_px !== undefined) meta.focal_px = cfg.focal_px;
  const build = (t: bigint): Frame => ({
    kind: 'frame',
    sensor: cfg.id,
    modality: cfg.modality,
    t,
    width: depth.width,
    height: depth.height,
    format: 'z16_mm',
    data: depth.data,
    meta,
  });
  return {
    durationMs: 1000 / frameRate(cfg, 'depth_png'),
    samples: [{ atMs: 0, spanMs: 0, build }],
    corrupt: [],
  };
};

const OPENERS: Readonly<Record<PlainFileKind, Opener>> = {
  wav: openWav,
  imu_csv: openImuCsv,
  thermal_csv: openThermalCsv,
  image: openImage,
  depth_png: openDepthPng,
};

/**
 * Reads and parses one file. Rejects FILE_INVALID for a corrupt file (and fs errors as they are)
 * and for an MCAP file, which is streamed by mcapPlay.ts instead.
 */
export async function openTimeline(file: ReplayFile, cfg: ReplaySensorConfig): Promise<Timeline> {
  if (file.kind === 'mcap') {
    throw new BindsightError('FILE_INVALID', `${file.path}: an MCAP file has no timeline; it is streamed`, {
      file: file.path,
    });
  }
  const bytes = await readFile(file.path);
  return OPENERS[file.kind](bytes, file.path, cfg);
}
