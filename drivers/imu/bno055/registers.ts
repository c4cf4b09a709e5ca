/**
 * Bosch BNO055 page-0 registers, operating modes and units.
 * Source: BST-BNO055-DS000-14 rev 1.4 [BNO-DS]: register map §4.2 (Table 4-2), identities p. 53/55,
 * operating modes §3.3 (Tables 3-3, 3-5), mode-switch times Table 3-6, units §3.6.1 (Tables 3-11,
 * 3-22, 3-29). Checked against shared/test-vectors/imu/bno055_*.csv.
 */

export const REG = {
  CHIP_ID: 0x00, // 0xA0
  ACC_ID: 0x01, // 0xFB
  MAG_ID: 0x02, // 0x32
  GYR_ID: 0x03, // 0x0F
  PAGE_ID: 0x07,
  ACC_DATA_X_LSB: 0x08, // ACC X/Y/Z 0x08..0x0D, MAG 0x0E..0x13, GYR 0x14..0x19: int16 little-endian
  GYR_DATA_X_LSB: 0x14,
  SYS_STATUS: 0x39,
  SYS_ERR: 0x3a,
  UNIT_SEL: 0x3b,
  OPR_MODE: 0x3d,
  PWR_MODE: 0x3e,
  SYS_TRIGGER: 0x3f,
} as const;

export const IDS = { chip: 0xa0, acc: 0xfb, mag: 0x32, gyr: 0x0f } as const;

/** OPR_MODE values [BNO-DS Table 3-5]. */
export const MODES = {
  CONFIG: 0x00,
  ACCONLY: 0x01,
  MAGONLY: 0x02,
  GYROONLY: 0x03,
  ACCMAG: 0x04,
  ACCGYRO: 0x05,
  MAGGYRO: 0x06,
  AMG: 0x07,
  IMU: 0x08,
  COMPASS: 0x09,
  M4G: 0x0a,
  NDOF_FMC_OFF: 0x0b,
  NDOF: 0x0c,
} as const;

/** The modes the driver offers (config `mode`). */
export const DRIVER_MODES = { amg: MODES.AMG, imu: MODES.IMU, ndof: MODES.NDOF } as const;
export type Bno055Mode = keyof typeof DRIVER_MODES;

/** Mode switch times, ms [BNO-DS Table 3-6]. */
export const SWITCH_FROM_CONFIG_MS = 7;
export const SWITCH_TO_CONFIG_MS = 19;

/** Power-on to first I2C/UART access, ms [BNO-DS Table 0-2, "POR time" 650 ms]. */
export const POWER_ON_MS = 650;

/**
 * UNIT_SEL: bit 0 accel (0 = m/s², 1 = mg), bit 1 gyro (0 = °/s, 1 = rad/s), bit 2 Euler (0 = °,
 * 1 = rad), bit 4 temperature (0 = °C), bit 7 orientation convention [BNO-DS §3.6.1 Table 3-11].
 * The driver selects m/s² and rad/s.
 */
export const UNIT_SEL_SI = 0x02;

/** LSB per unit [BNO-DS §3.6.5: Tables 3-17, 3-22, 3-28]. */
export const ACCEL_LSB_PER_MS2 = 100;
export const ACCEL_LSB_PER_MG = 1;
export const GYRO_LSB_PER_DPS = 16;
export const GYRO_LSB_PER_RPS = 900;

/** Acceleration, m/s², from ACC_DATA counts with UNIT_SEL bit 0 = 0. */
export function accelMs2(raw: number): number {
  return raw / ACCEL_LSB_PER_MS2;
}

/** Angular rate, rad/s, from GYR_DATA counts with UNIT_SEL bit 1 = 1. */
export function gyroRads(raw: number): number {
  return raw / GYRO_LSB_PER_RPS;
}

/** Output data rate of the fusion modes, Hz [BNO-DS §3.3.3 Table 3-8: IMU/NDOF 100 Hz]. */
export const FUSION_RATE_HZ = 100;

/** Bytes of one burst read: ACC, MAG and GYR data, 0x08..0x19 [BNO-DS §3.7: burst reads keep them consistent]. */
export const DATA_BURST_BYTES = 0x1a - 0x08;
