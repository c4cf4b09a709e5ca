/**
 * CSV parsing for replay: IMU rows (`t_ms,ax,ay,az,gx,gy,gz`, SI units) and thermal frames
 * (one width×height frame of °C per row). A corrupt row — wrong column count, a cell that is
 * not a finite number, an IMU time that goes backwards — is dropped and returned in `corrupt`
 * for the driver to count; a file with no usable structure is FILE_INVALID.
 * Blank lines and lines starting with `#` are ignored everywhere.
 */
import { BindsightError } from '../../src/errors.js';

export interface CorruptRow {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

/** IMU channel order of a Window (drivers/types.ts). */
export const IMU_COLUMNS = ['ax', 'ay', 'az', 'gx', 'gy', 'gz'] as const;
export const IMU_HEADER = `t_ms,${IMU_COLUMNS.join(',')}`;

export interface ImuTable {
  /** Row times, ms, non-decreasing. */
  t: Float64Array;
  /** Channel-major [ax, ay, az, gx, gy, gz]: channel c of row i is at c * rows + i. */
  data: Float32Array;
  rows: number;
  /** Median of the positive row spacings, ms. */
  medianDtMs: number;
  corrupt: CorruptRow[];
}

export interface ThermalTable {
  /** One entry per data row in file order; null where the row was corrupt (its time slot stays). */
  frames: (Float32Array | null)[];
  corrupt: CorruptRow[];
}

interface Line {
  line: number;
  cells: string[];
}

function dataLines(text: string): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    out.push({ line: i + 1, cells: trimmed.split(',') });
  });
  return out;
}

/** A finite number, or undefined ("", "abc", "NaN" and "Infinity" are not numbers here). */
function cellNumber(cell: string): number | undefined {
  const s = cell.trim();
  if (s === '') return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

function allNumbers(values: (number | undefined)[]): values is number[] {
  return values.every((v) => v !== undefined);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function invalid(file: string, what: string): BindsightError {
  return new BindsightError('FILE_INVALID', `${file}: ${what}`, { file });
}

/** Column index of each of t_ms, ax … gz in the header; extra columns are allowed and ignored. */
function imuColumns(file: string, header: Line | undefined): number[] {
  const names = (header?.cells ?? []).map((c) => c.trim().toLowerCase());
  const wanted = ['t_ms', ...IMU_COLUMNS];
  const index = wanted.map((name) => names.indexOf(name));
  const missing = wanted.filter((_, i) => index[i] < 0);
  if (missing.length > 0) {
    const got = header === undefined ? 'an empty file' : `"${header.cells.join(',')}"`;
    throw invalid(
      file,
      `IMU CSV header must name the columns ${IMU_HEADER} (missing ${missing.join(', ')}); got ${got}`,
    );
  }
  return index;
}

export function parseImuCsv(text: string, file: string): ImuTable {
  const [header, ...lines] = dataLines(text);
  const columns = imuColumns(file, header);
  const width = header.cells.length;
  const times: number[] = [];
  const values: number[][] = IMU_COLUMNS.map(() => []);
  const corrupt: CorruptRow[] = [];
  for (const { line, cells } of lines) {
    if (cells.length !== width) {
      corrupt.push({ line, reason: `expected ${width} columns, got ${cells.length}` });
      continue;
    }
    const row = columns.map((c) => cellNumber(cells[c]));
    if (!allNumbers(row)) {
      const bad = row.indexOf(undefined);
      const name = bad === 0 ? 't_ms' : IMU_COLUMNS[bad - 1];
      corrupt.push({ line, reason: `${name} is not a number: "${cells[columns[bad]].trim()}"` });
      continue;
    }
    const [t, ...channels] = row;
    const previous = times.at(-1);
    if (previous !== undefined && t < previous) {
      corrupt.push({ line, reason: `t_ms ${t} is before the previous row's ${previous}` });
      continue;
    }
    times.push(t);
    channels.forEach((v, c) => {
      values[c].push(v);
    });
  }
  const steps = times.slice(1).map((t, i) => t - times[i]);
  const positive = steps.filter((dt) => dt > 0);
  if (positive.length === 0) {
    throw invalid(
      file,
      `IMU CSV needs at least 2 rows with increasing t_ms; found ${times.length} valid rows`,
    );
  }
  const rows = times.length;
  const data = new Float32Array(IMU_COLUMNS.length * rows);
  values.forEach((channel, c) => {
    data.set(channel, c * rows);
  });
  return { t: Float64Array.from(times), data, rows, medianDtMs: median(positive), corrupt };
}

export function parseThermalCsv(text: string, width: number, height: number): ThermalTable {
  const lines = dataLines(text);
  const first = lines[0];
  // An optional header: a first line with any non-numeric cell.
  if (first?.cells.some((c) => cellNumber(c) === undefined)) lines.shift();
  const size = width * height;
  const frames: (Float32Array | null)[] = [];
  const corrupt: CorruptRow[] = [];
  for (const { line, cells } of lines) {
    if (cells.length !== size) {
      corrupt.push({ line, reason: `expected ${size} values (${width}×${height}), got ${cells.length}` });
      frames.push(null);
      continue;
    }
    const frame = new Float32Array(size);
    let bad = -1;
    for (let i = 0; i < size && bad < 0; i++) {
      const v = cellNumber(cells[i]);
      if (v === undefined) bad = i;
      else frame[i] = v;
    }
    if (bad >= 0) {
      corrupt.push({ line, reason: `value ${bad + 1} is not a number: "${cells[bad].trim()}"` });
      frames.push(null);
      continue;
    }
    frames.push(frame);
  }
  return { frames, corrupt };
}
