/**
 * Which files a replay sensor accepts, as one declarative table (style.md §12): modality →
 * file extension → how the file is read. `checkFiles` runs at start(): every file must have an
 * accepted extension and exist, so nothing plays from a half-valid list.
 */
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { BindsightError } from '../../src/errors.js';
import type { SensorModality } from '../types.js';

/**
 * - wav: audio Windows.
 * - image: encoded JPEG/PNG Frames (vision, thermal), decoded later by preprocessing.
 * - depth_png: 16-bit grey PNG in millimetres → z16_mm Frames.
 * - imu_csv: `t_ms,ax,ay,az,gx,gy,gz` rows → IMU Windows.
 * - thermal_csv: one width×height frame of °C per row → celsius_f32 Frames.
 * - mcap: recorded Samples of any modality (mcapPlay.ts), streamed from the file.
 */
export type FileKind = 'wav' | 'image' | 'depth_png' | 'imu_csv' | 'thermal_csv' | 'mcap';
/** The kinds read whole into a timeline (sources.ts). */
export type PlainFileKind = Exclude<FileKind, 'mcap'>;

export const FILE_KINDS: Readonly<Record<SensorModality, Readonly<Record<string, FileKind>>>> = {
  vision: { '.jpg': 'image', '.jpeg': 'image', '.png': 'image', '.mcap': 'mcap' },
  thermal: { '.jpg': 'image', '.jpeg': 'image', '.png': 'image', '.csv': 'thermal_csv', '.mcap': 'mcap' },
  depth: { '.png': 'depth_png', '.mcap': 'mcap' },
  audio: { '.wav': 'wav', '.mcap': 'mcap' },
  imu: { '.csv': 'imu_csv', '.mcap': 'mcap' },
};

export interface ReplayFile {
  /** Absolute path. */
  path: string;
  kind: FileKind;
}

/** The kind of one file, or FILE_INVALID naming the accepted extensions. */
export function fileKind(sensor: string, modality: SensorModality, file: string): FileKind {
  const table = FILE_KINDS[modality];
  const ext = extname(file).toLowerCase();
  const kind = table[ext];
  if (kind === undefined) {
    const accepted = Object.keys(table).join(', ');
    throw new BindsightError(
      'FILE_INVALID',
      `sensor "${sensor}": cannot replay "${file}" as ${modality}: extension "${ext || '(none)'}" is not accepted; use one of ${accepted}`,
      { sensor, file, modality, accepted: Object.keys(table) },
    );
  }
  return kind;
}

/**
 * Resolves (against the working directory) and checks every file. Rejects FILE_INVALID for the
 * first bad extension or a path that is not a regular file, and FIXTURE_MISSING listing every
 * missing file.
 */
export async function checkFiles(
  sensor: string,
  modality: SensorModality,
  files: readonly string[],
): Promise<ReplayFile[]> {
  const resolved = files.map((file) => ({ path: resolve(file), kind: fileKind(sensor, modality, file) }));
  const missing: string[] = [];
  for (const file of resolved) {
    try {
      const info = await stat(file.path);
      if (!info.isFile()) {
        throw new BindsightError(
          'FILE_INVALID',
          `sensor "${sensor}": replay file ${file.path} is not a regular file`,
          {
            sensor,
            file: file.path,
          },
        );
      }
    } catch (err) {
      if (err instanceof BindsightError) throw err;
      const code = err instanceof Error && 'code' in err ? err.code : undefined;
      if (code === 'ENOENT' || code === 'ENOTDIR') missing.push(file.path);
      else
        throw new BindsightError(
          'FILE_INVALID',
          `sensor "${sensor}": cannot read replay file ${file.path}: ${String(err)}`,
          {
            sensor,
            file: file.path,
          },
        );
    }
  }
  if (missing.length > 0) {
    throw new BindsightError(
      'FIXTURE_MISSING',
      `sensor "${sensor}": replay file${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')} (paths in "files" are relative to the config file)`,
      { sensor, paths: missing },
    );
  }
  return resolved;
}
