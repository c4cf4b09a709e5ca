/**
 * ICM-20948 register map (accelerometer/gyroscope part; the AK09916 magnetometer is not used).
 * Registers are banked: REG_BANK_SEL (0x7F, in every bank) takes bank << 4.
 * Sources: TDK DS-000189 v1.3 [ICM-DS] §8–10 register maps and descriptions; pimoroni
 * icm20948-python @1f835c0 [PIM-ICM] for addresses and the sample-rate formula (shared
 * reference/drivers.md §3.3).
 */

export const REG_BANK_SEL = 0x7f;

/** Bank 0 [ICM-DS §8 "User Bank 0 register map"]. */
export const B0 = {
  WHO_AM_I: 0x00, // 0xEA
  USER_CTRL: 0x03, // FIFO_EN bit 6
  PWR_MGMT_1: 0x06, // DEVICE_RESET 7, SLEEP 6, CLKSEL 2:0 (1 = best available clock); resets to 0x41
  PWR_MGMT_2: 0x07, // 0 = accelerometer and gyroscope on
  INT_ENABLE_2: 0x12, // FIFO_OVERFLOW_EN bits 4:0
  INT_STATUS_2: 0x1b, // FIFO_OVERFLOW_INT bits 4:0
  FIFO_EN_2: 0x67, // ACCEL 4, GYRO_Z 3, GYRO_Y 2, GYRO_X 1, TEMP 0
  FIFO_RST: 0x68, // bits 4:0: assert then de-assert to reset the FIFO
  FIFO_MODE: 0x69, // 0 = stream (oldest data overwritten when full)
  FIFO_COUNTH: 0x70, // count bits 12:8; FIFO_COUNTL 0x71
  FIFO_R_W: 0x72,
} as const;

/** Bank 2 [ICM-DS §10 "User Bank 2 register map"]. */
export const B2 = {
  GYRO_SMPLRT_DIV: 0x00,
  GYRO_CONFIG_1: 0x01, // GYRO_DLPFCFG 5:3, GYRO_FS_SEL 2:1, GYRO_FCHOICE 0 (1 = DLPF on, divider applies)
  ODR_ALIGN_EN: 0x09,
  ACCEL_SMPLRT_DIV_1: 0x10, // divider bits 11:8
  ACCEL_SMPLRT_DIV_2: 0x11, // divider bits 7:0
  ACCEL_CONFIG: 0x14, // ACCEL_DLPFCFG 5:3, ACCEL_FS_SEL 2:1, ACCEL_FCHOICE 0
} as const;

export const ICM_WHO_AM_I = 0xea;

export const BIT = {
  DEVICE_RESET: 0x80,
  SLEEP: 0x40,
  CLKSEL_AUTO: 0x01,
  FIFO_EN: 0x40,
  FIFO_EN_GYRO_ACCEL: 0x1e, // ACCEL | GYRO_Z | GYRO_Y | GYRO_X: 12-byte samples, accel first
  FIFO_RST_ALL: 0x1f,
  FIFO_OVERFLOW: 0x1f,
  FCHOICE: 0x01,
} as const;

/**
 * Output data rate = 1.125 kHz / (1 + divider) for accel and gyro [PIM-ICM, as cited in
 * reference/drivers.md §3.3; the datasheet gives 1.1 kHz for the gyro]. The same divider is written
 * to both, with ODR_ALIGN_EN, so their samples pair up in the FIFO.
 */
export const ICM_INTERNAL_RATE_HZ = 1125;

/** 3 dB bandwidths, Hz, per GYRO_DLPFCFG and ACCEL_DLPFCFG [ICM-DS Table 16 and Table 18]. */
export const ICM_GYRO_DLPF_HZ: Readonly<Record<number, number>> = {
  0: 196.6,
  1: 151.8,
  2: 119.5,
  3: 51.2,
  4: 23.9,
  5: 11.6,
  6: 5.7,
  7: 361.4,
};
export const ICM_ACCEL_DLPF_HZ: Readonly<Record<number, number>> = {
  1: 246.0,
  2: 111.4,
  3: 50.4,
  4: 23.9,
  5: 11.5,
  6: 5.7,
  7: 473,
};

/**
 * FIFO size assumed for polling, bytes. Sources differ (the datasheet text was not retrieved;
 * drivers written for the chip use 512 or 4096); the smaller value only makes polls more frequent.
 */
export const ICM_FIFO_BYTES = 512;

/**
 * Die temperature, °C = (TEMP_OUT − RoomTemp_Offset)/333.87 + 21 [PIM-ICM]. Pimoroni uses an offset
 * of 21 LSB where the MPU-9250 document uses 0 (reference/drivers.md §3.3 notes the discrepancy).
 */
export function icmTemperatureC(raw: number, roomTempOffset = 21): number {
  return (raw - roomTempOffset) / 333.87 + 21;
}
