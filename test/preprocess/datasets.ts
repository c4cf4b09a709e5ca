/**
 * Test-only readers for the dataset files the goldens use (../shared/data, formats per
 * ../shared/test-vectors/imagebind-preprocess/<modality>/<id>.params.json). The product reads
 * sensors through drivers/ and files through src/preprocess/files.ts; these parsers only turn
 * the golden inputs into the Frames and Windows the preprocessors take.
 */
import { readFileSync } from 'node:fs';
import type { ImuSeries } from '../../src/preprocess/imu.js';
import { goldenPath } from './goldens.js';

const text = (rel: string): string => readFileSync(goldenPath(rel), 'utf8');

/** MLX90640 CSV: 24 lines of 32 ', '-separated °C values (trailing separator allowed). */
export function readMlx90640(rel: string): { width: number; height: number; values: number[] } {
  const rows = text(rel)
    .split(/\r?\n/)
    .map((l) =>
      l
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map(Number),
    )
    .filter((r) => r.length > 0);
  return { width: rows[0].length, height: rows.length, values: rows.flat() };
}

/** Omron D6T 4×4 CSV: `timestamp, t0 … t15` per row; returns row `index` as a 4×4 frame. */
export function readOmronRow(
  rel: string,
  index: number,
): { width: number; height: number; values: number[] } {
  const line = text(rel)
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)[index];
  return { width: 4, height: 4, values: line.split(',').slice(1).map(Number) };
}

/** NYU raw Kinect PGM (P5, maxval 65535, little-endian samples) → metres; raw 2047 = invalid (0). */
export function readNyuPgm(rel: string): { width: number; height: number; metres: Float64Array } {
  const bytes = readFileSync(goldenPath(rel));
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`${rel}: not a P5 PGM`);
  const [width, height] = [Number(header[1]), Number(header[2])];
  const start = header[0].length;
  const metres = new Float64Array(width * height);
  for (let i = 0; i < metres.length; i++) {
    const raw = bytes.readUInt16LE(start + i * 2);
    metres[i] = raw === 2047 ? 0 : 351.3 / (1092.5 - raw);
  }
  return { width, height, metres };
}

/** Metres per 16-bit step for the PNG depth datasets (params `decode.units`). */
export const DEPTH_UNITS: Record<string, number> = {
  tum_5000: 1 / 5000,
  urfall_6000_over_65535: 6000 / 65535 / 1000,
};

const G = 9.80665;
const DEG = Math.PI / 180;

/**
 * SisFall TXT: 200 Hz rows `ax,ay,az,gx,gy,gz,ax2,ay2,az2;` in counts; ADXL345 `counts·32/8192` g
 * and ITG3200 `counts·4000/65536` °/s; the MMA8451Q columns are ignored. Channel-major SI.
 */
export function readSisfall(rel: string): { rate: number; data: Float32Array; n: number } {
  const rows = text(rel)
    .split(/\r?\n/)
    .map((l) => l.replace(';', '').trim())
    .filter((l) => l.length > 0)
    .map((l) => l.split(',').map((s) => Number(s.trim())));
  const n = rows.length;
  const data = new Float32Array(6 * n);
  rows.forEach((r, i) => {
    for (let c = 0; c < 3; c++) data[c * n + i] = r[c] * ((2 * 16) / 2 ** 13) * G;
    for (let c = 3; c < 6; c++) data[c * n + i] = r[c] * ((2 * 2000) / 2 ** 16) * DEG;
  });
  return { rate: 200, data, n };
}

/**
 * UMAFall CSV (`TimeStamp;Sample No;X;Y;Z;Sensor_Type;Sensor_ID`, '%' comment lines): the
 * accelerometer (type 0, g) and gyroscope (type 1, °/s) of one sensor, each on its own clock.
 */
export function readUmafall(
  rel: string,
  sensorId: number,
): { series: ImuSeries[]; firstAccel: number; firstGyro: number } {
  const acc: number[][] = [];
  const gyr: number[][] = [];
  for (const line of text(rel).split(/\r?\n/)) {
    const f = line.split(';');
    if (f.length < 7 || !/^\s*-?\d/.test(f[0])) continue;
    const [t, , x, y, z, type, id] = f.map(Number);
    if (id !== sensorId) continue;
    if (type === 0) acc.push([t, x * G, y * G, z * G]);
    if (type === 1) gyr.push([t, x * DEG, y * DEG, z * DEG]);
  }
  const series = (rows: number[][], c: number): ImuSeries => ({
    t: rows.map((r) => r[0]),
    v: rows.map((r) => r[c]),
  });
  return {
    series: [series(acc, 1), series(acc, 2), series(acc, 3), series(gyr, 1), series(gyr, 2), series(gyr, 3)],
    firstAccel: acc[0][0],
    firstGyro: gyr[0][0],
  };
}

/** The synthetic IMU CSV: header `t_ms,ax_mps2,…,gz_rads`, already SI. */
export function readImuCsv(rel: string): { t: Float64Array; data: Float32Array; n: number } {
  const rows = text(rel)
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim().length > 0)
    .map((l) => l.split(',').map(Number));
  const n = rows.length;
  const t = new Float64Array(n);
  const data = new Float32Array(6 * n);
  rows.forEach((r, i) => {
    t[i] = r[0];
    for (let c = 0; c < 6; c++) data[c * n + i] = r[c + 1];
  });
  return { t, data, n };
}
