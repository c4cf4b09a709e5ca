/**
 * `bindsight import` without the CLI (issue #7): plain files and folders → one MCAP session, so a
 * dataset becomes a replayable recording. Each `ID=MODALITY:PATH` becomes sensor ID: its files
 * (a folder: the files in it whose extension the modality accepts, in name order) are read exactly
 * as the replay driver reads them (drivers/replay/sources.ts; `.npy` by npyTimeline.ts) and laid
 * end to end on one timeline that starts at `start` — the same timing a replay of those files
 * has, with capture times instead of wall-clock times. Every sensor starts at `start`, so the
 * sensors of one session line up.
 *
 * Corrupt rows and files are reported (`onWarning`) and counted in the result, not silently lost;
 * a file that cannot be read at all is skipped. A sensor that yields no sample is FILE_INVALID.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { msToNs } from '../../drivers/replay/clock.js';
import { FILE_KINDS, type PlainFileKind } from '../../drivers/replay/formats.js';
import { openTimeline, type Timeline } from '../../drivers/replay/sources.js';
import { SENSOR_MODALITIES, type SensorModality } from '../../drivers/types.js';
import { type ReplaySensorConfig, replaySensorSchema } from '../config/schema.js';
import { BindsightError, errorMessage } from '../errors.js';
import { npyTimeline } from './npyTimeline.js';
import { McapRecorder, type RecorderStats } from './writer.js';

export interface ImportSpec {
  sensor: string;
  modality: SensorModality;
  path: string;
}

/** Timing and layout options, as the replay sensor keys of the same names. */
export interface ImportTiming {
  /** Frames per second for images, thermal CSV rows and .npy frame stacks. */
  rate?: number;
  /** Audio/IMU window length and hop, seconds (default 5 and 1). */
  window?: number;
  hop?: number;
  /** Thermal CSV frame size (default 32×24). */
  width?: number;
  height?: number;
  /** Samples per second of audio .npy files. */
  sampleRate?: number;
}

export interface ImportOptions extends ImportTiming {
  specs: readonly ImportSpec[];
  out: string;
  /** Capture time of the first sample of every sensor, ns since the epoch. */
  start: bigint;
  onWarning?: (message: string) => void;
}

export interface ImportResult {
  stats: RecorderStats;
  /** Files read per sensor. */
  files: Record<string, number>;
  corruptRows: number;
  skippedFiles: number;
}

type ImportKind = PlainFileKind | 'npy';

/** "cam0=vision:frames/" → { sensor, modality, path }; USAGE naming the expected form. */
export function parseImportSpec(text: string): ImportSpec {
  const m = /^([a-z0-9][a-z0-9_-]*)=([a-z]+):(.+)$/.exec(text);
  const modality = m?.[2] as SensorModality | undefined;
  if (m === null || modality === undefined || !SENSOR_MODALITIES.includes(modality)) {
    throw new BindsightError(
      'USAGE',
      `--sensor "${text}" is not ID=MODALITY:PATH (ID lower-case letters, digits, "_" or "-"; MODALITY one of ${SENSOR_MODALITIES.join(', ')}), e.g. cam0=vision:frames/`,
    );
  }
  return { sensor: m[1], modality, path: m[3] };
}

function kindOf(modality: SensorModality, file: string): ImportKind | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.npy') return 'npy';
  const kind = FILE_KINDS[modality][ext];
  return kind === undefined || kind === 'mcap' ? undefined : kind;
}

function accepted(modality: SensorModality): string {
  return [...Object.keys(FILE_KINDS[modality]).filter((e) => e !== '.mcap'), '.npy'].join(', ');
}

/** The files of one spec: the path itself, or a folder's accepted files in name order. */
async function specFiles(spec: ImportSpec, warn: (m: string) => void): Promise<[string, ImportKind][]> {
  let isDir: boolean;
  try {
    isDir = (await stat(spec.path)).isDirectory();
  } catch {
    throw new BindsightError('FIXTURE_MISSING', `sensor "${spec.sensor}": ${spec.path} not found`, {
      path: spec.path,
    });
  }
  if (!isDir) {
    const kind = kindOf(spec.modality, spec.path);
    if (kind === undefined) {
      throw new BindsightError(
        'FILE_INVALID',
        `sensor "${spec.sensor}": cannot import ${spec.path} as ${spec.modality}; use one of ${accepted(spec.modality)}`,
        { path: spec.path },
      );
    }
    return [[spec.path, kind]];
  }
  const names = (await readdir(spec.path)).sort();
  const out: [string, ImportKind][] = [];
  for (const name of names) {
    const kind = kindOf(spec.modality, name);
    if (kind === undefined)
      warn(`sensor "${spec.sensor}": ${join(spec.path, name)} skipped (not ${accepted(spec.modality)})`);
    else out.push([join(spec.path, name), kind]);
  }
  if (out.length === 0) {
    throw new BindsightError(
      'FILE_INVALID',
      `sensor "${spec.sensor}": folder ${spec.path} has no ${spec.modality} files (${accepted(spec.modality)})`,
      { path: spec.path },
    );
  }
  return out;
}

function sensorConfig(spec: ImportSpec, timing: ImportTiming): ReplaySensorConfig {
  const fields = {
    rate: timing.rate,
    window: timing.window,
    hop: timing.hop,
    width: timing.width,
    height: timing.height,
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return replaySensorSchema.parse({
    id: spec.sensor,
    driver: 'replay',
    modality: spec.modality,
    files: [spec.path],
    ...defined,
  });
}

async function timelineOf(
  path: string,
  kind: ImportKind,
  cfg: ReplaySensorConfig,
  timing: ImportTiming,
): Promise<Timeline> {
  if (kind === 'npy') return npyTimeline(await readFile(path), path, cfg, { sampleRate: timing.sampleRate });
  return openTimeline({ path, kind }, cfg);
}

interface Counts {
  files: number;
  samples: number;
  corruptRows: number;
  skippedFiles: number;
}

async function importSensor(
  spec: ImportSpec,
  options: ImportOptions,
  recorder: McapRecorder,
): Promise<Counts> {
  const warn = options.onWarning ?? (() => {});
  const cfg = sensorConfig(spec, options);
  const counts: Counts = { files: 0, samples: 0, corruptRows: 0, skippedFiles: 0 };
  let offsetMs = 0;
  for (const [path, kind] of await specFiles(spec, warn)) {
    let timeline: Timeline;
    try {
      timeline = await timelineOf(path, kind, cfg, options);
    } catch (err) {
      counts.skippedFiles++;
      warn(`sensor "${spec.sensor}": ${path} skipped: ${errorMessage(err)}`);
      continue;
    }
    if (timeline.corrupt.length > 0) {
      counts.corruptRows += timeline.corrupt.length;
      const first = timeline.corrupt[0];
      warn(
        `sensor "${spec.sensor}": ${path}: dropped ${timeline.corrupt.length} corrupt row(s); first at line ${first.line}: ${first.reason}`,
      );
    }
    for (const timed of timeline.samples) {
      await recorder.room();
      recorder.write(timed.build(options.start + msToNs(offsetMs + timed.atMs - timed.spanMs)));
      counts.samples++;
    }
    offsetMs += timeline.durationMs;
    counts.files++;
  }
  if (counts.samples === 0) {
    throw new BindsightError(
      'FILE_INVALID',
      `sensor "${spec.sensor}": ${spec.path} gave no sample to import`,
      { path: spec.path },
    );
  }
  return counts;
}

/** Imports every spec into `options.out` (see the file header). */
export async function importFiles(options: ImportOptions): Promise<ImportResult> {
  const ids = options.specs.map((s) => s.sensor);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined)
    throw new BindsightError(
      'USAGE',
      `sensor id "${duplicate}" is given twice; each --sensor needs its own id`,
    );
  const recorder = await McapRecorder.create({ file: options.out, metadata: { source: 'bindsight import' } });
  const result: Omit<ImportResult, 'stats'> = { files: {}, corruptRows: 0, skippedFiles: 0 };
  try {
    for (const spec of options.specs) {
      const counts = await importSensor(spec, options, recorder);
      result.files[spec.sensor] = counts.files;
      result.corruptRows += counts.corruptRows;
      result.skippedFiles += counts.skippedFiles;
    }
  } catch (err) {
    // A half-imported session is not a dataset: remove it rather than leave it to be replayed.
    await recorder.close().catch(() => undefined);
    await rm(options.out, { force: true });
    throw err;
  }
  return { ...result, stats: await recorder.close() };
}
