/**
 * What the InvenSense accelerometer/gyroscope chips (MPU-6050, MPU-9250, ICM-20948) share: full-
 * scale codes and sensitivities, identities, low-pass filter choice and the FIFO sample layout.
 * Checked against shared/test-vectors/imu/invensense_*.csv (test/drivers/imu/invensense.test.ts).
 */

import { hex } from './types.js';
import { DEG_TO_RAD, int16, STANDARD_GRAVITY } from './units.js';

export type AccelRange = 2 | 4 | 8 | 16;
export type GyroRange = 250 | 500 | 1000 | 2000;

/**
 * Sensitivity per full-scale code: accel LSB/g (AFS_SEL 0..3) and gyro LSB/(°/s) (FS_SEL 0..3)
 * [MPU6050-RM §4.17, §4.19; MPU6050-PS §6.1/6.2; MPU9250-PS §3.1/3.2; ICM-DS §3.1/3.2].
 */
export const ACCEL_RANGES: readonly { range: AccelRange; lsbPerG: number }[] = [
  { range: 2, lsbPerG: 16384 },
  { range: 4, lsbPerG: 8192 },
  { range: 8, lsbPerG: 4096 },
  { range: 16, lsbPerG: 2048 },
];
export const GYRO_RANGES: readonly { range: GyroRange; lsbPerDps: number }[] = [
  { range: 250, lsbPerDps: 131 },
  { range: 500, lsbPerDps: 65.5 },
  { range: 1000, lsbPerDps: 32.8 },
  { range: 2000, lsbPerDps: 16.4 },
];

/** The full-scale code (register field value) for a range. */
export function accelCode(range: AccelRange): number {
  return ACCEL_RANGES.findIndex((r) => r.range === range);
}
export function gyroCode(range: GyroRange): number {
  return GYRO_RANGES.findIndex((r) => r.range === range);
}

/** Conversion factors from raw counts to m/s² and rad/s for the configured ranges. */
export interface Scales {
  accel: number;
  gyro: number;
}

export function scalesFor(accel: AccelRange, gyro: GyroRange): Scales {
  const a = ACCEL_RANGES[accelCode(accel)];
  const g = GYRO_RANGES[gyroCode(gyro)];
  return { accel: STANDARD_GRAVITY / a.lsbPerG, gyro: DEG_TO_RAD / g.lsbPerDps };
}

/** FIFO sample with accel and gyro enabled: ACCEL_X/Y/Z then GYRO_X/Y/Z, int16 big-endian
 * (registers are written to the FIFO in register order) [MPU6050-RM §4.31; MPU9250-RM §4.37]. */
export const FIFO_SAMPLE_BYTES = 12;

/** Decodes `count` FIFO samples into interleaved SI values [ax, ay, az, gx, gy, gz]. */
export function decodeFifo(bytes: Uint8Array, count: number, scales: Scales): Float32Array {
  const out = new Float32Array(count * 6);
  for (let i = 0; i < count; i++) {
    const at = i * FIFO_SAMPLE_BYTES;
    for (let c = 0; c < 6; c++) {
      const raw = int16(bytes[at + 2 * c], bytes[at + 2 * c + 1]);
      out[i * 6 + c] = raw * (c < 3 ? scales.accel : scales.gyro);
    }
  }
  return out;
}

/** Encodes one FIFO sample from raw counts (emulators and tests). */
export function encodeFifoSample(raw: readonly number[]): Uint8Array {
  const out = new Uint8Array(FIFO_SAMPLE_BYTES);
  raw.forEach((v, c) => {
    const u = v & 0xffff;
    out[2 * c] = u >> 8;
    out[2 * c + 1] = u & 0xff;
  });
  return out;
}

/**
 * The divider for `rate` from an internal rate: rate = internal/(1 + div), div clamped to
 * 0..maxDiv. Returns the divider and the rate it really gives.
 */
export function rateDivider(rate: number, internalHz: number, maxDiv: number): { div: number; rate: number } {
  const div = Math.min(maxDiv, Math.max(0, Math.round(internalHz / rate) - 1));
  return { div, rate: internalHz / (1 + div) };
}

/**
 * The low-pass setting whose bandwidth is the widest one below the Nyquist frequency (rate / 2),
 * so the output is not aliased; `bandwidths` maps each setting to its 3 dB bandwidth in Hz.
 */
export function lowPassFor(rate: number, bandwidths: Readonly<Record<number, number>>): number {
  const nyquist = rate / 2;
  let best: number | undefined;
  let bestBw = -1;
  let narrowest: number | undefined;
  let narrowestBw = Number.POSITIVE_INFINITY;
  for (const [setting, bw] of Object.entries(bandwidths)) {
    if (bw <= nyquist && bw > bestBw) [best, bestBw] = [Number(setting), bw];
    if (bw < narrowestBw) [narrowest, narrowestBw] = [Number(setting), bw];
  }
  return best ?? narrowest ?? 0;
}

/** Identities of the InvenSense chips the family knows, for "found X" messages. */
export const INVENSENSE_IDENTITIES: readonly {
  driver: string;
  title: string;
  register: number;
  value: number;
}[] = [
  { driver: 'mpu6050', title: 'MPU-6050', register: 0x75, value: 0x68 }, // [MPU6050-RM §4.32]
  { driver: 'mpu9250', title: 'MPU-9250', register: 0x75, value: 0x71 }, // [MPU9250-RM §4.38]
  { driver: 'icm20948', title: 'ICM-20948', register: 0x00, value: 0xea }, // bank 0 [PIM-ICM; ICM-DS]
];

/**
 * The error text for a chip that answered with the wrong identity: names what was found, which
 * `driver:` value would fit it, or what else answers at that address.
 */
export function wrongIdentity(
  expected: { title: string; register: number; value: number },
  where: string,
  found: { whoAmI75: number; whoAmI00: number | undefined },
): string {
  const seen = `WHO_AM_I ${hex(expected.register)} = ${hex(expected.register === 0x75 ? found.whoAmI75 : (found.whoAmI00 ?? 0))}`;
  const match = INVENSENSE_IDENTITIES.find(
    (id) =>
      id.title !== expected.title && (id.register === 0x75 ? found.whoAmI75 : found.whoAmI00) === id.value,
  );
  const head = `expected an ${expected.title} (WHO_AM_I ${hex(expected.register)} = ${hex(expected.value)}) on ${where}, found ${seen}`;
  if (match) return `${head}: that is an ${match.title}; set \`driver: ${match.driver}\` for this sensor`;
  return `${head}, which is no InvenSense chip bindsight knows: check the address (0x68/0x69 is also used by the AMG8833 thermal sensor and DS3231/DS1307 clocks; \`bindsight doctor\` lists what answers)`;
}
