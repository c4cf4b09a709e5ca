/**
 * MPU-6050 / MPU-9250 register map: the accelerometer/gyroscope part the two share (the MPU-9250 is
 * an MPU-6500 die plus an AK8963 magnetometer, which this driver does not use).
 * Sources: InvenSense RM-MPU-6000A-00 rev 4.2 [MPU6050-RM] and RM-MPU-9250A-00 rev 1.4
 * [MPU9250-RM]; section numbers below are the register-map sections.
 */

export const REG = {
  SMPLRT_DIV: 0x19, // §4.2: sample rate = gyro output rate / (1 + SMPLRT_DIV)
  CONFIG: 0x1a, // §4.3: DLPF_CFG bits 2:0
  GYRO_CONFIG: 0x1b, // §4.4: FS_SEL bits 4:3
  ACCEL_CONFIG: 0x1c, // §4.5: AFS_SEL bits 4:3
  ACCEL_CONFIG2: 0x1d, // MPU-9250 only [MPU9250-RM §4.7]: A_DLPFCFG bits 2:0, ACCEL_FCHOICE_B bit 3
  FIFO_EN: 0x23, // §4.6: TEMP 7, XG 6, YG 5, ZG 4, ACCEL 3
  INT_ENABLE: 0x38, // §4.26: FIFO_OFLOW_EN bit 4
  INT_STATUS: 0x3a, // §4.27: FIFO_OFLOW_INT bit 4, cleared by reading
  ACCEL_XOUT_H: 0x3b, // §4.17: ACCEL, TEMP, GYRO, int16 big-endian
  USER_CTRL: 0x6a, // §4.29: FIFO_EN bit 6, FIFO_RESET bit 2
  PWR_MGMT_1: 0x6b, // §4.30: DEVICE_RESET 7, SLEEP 6, CLKSEL 2:0; resets to 0x40 (asleep)
  PWR_MGMT_2: 0x6c,
  FIFO_COUNTH: 0x72, // §4.30–4.31: read high byte first, it latches the count
  FIFO_COUNTL: 0x73,
  FIFO_R_W: 0x74,
  WHO_AM_I: 0x75, // §4.32
} as const;

export const BIT = {
  FIFO_EN_GYRO_ACCEL: 0x78, // XG | YG | ZG | ACCEL: 12-byte samples, accel first
  FIFO_OFLOW: 0x10,
  USER_FIFO_EN: 0x40,
  USER_FIFO_RESET: 0x04,
  DEVICE_RESET: 0x80,
  SLEEP: 0x40,
  CLKSEL_PLL_XGYRO: 0x01, // recommended over the internal oscillator [MPU6050-RM §4.28]
} as const;

/**
 * Gyro (and MPU-6050 accel) 3 dB bandwidth in Hz per DLPF_CFG 1..6; with 1..6 the gyro output rate
 * is 1 kHz (0 and 7 give 8 kHz and are not used) [MPU6050-RM §4.3 table; MPU9250-RM §4.6 table].
 */
export const MPU6050_DLPF_HZ: Readonly<Record<number, number>> = { 1: 188, 2: 98, 3: 42, 4: 20, 5: 10, 6: 5 };
export const MPU9250_GYRO_DLPF_HZ: Readonly<Record<number, number>> = {
  1: 184,
  2: 92,
  3: 41,
  4: 20,
  5: 10,
  6: 5,
};
/** MPU-9250 accelerometer A_DLPFCFG 1..6 bandwidths, Hz [MPU9250-RM §4.7 table]. */
export const MPU9250_ACCEL_DLPF_HZ: Readonly<Record<number, number>> = {
  1: 218.1,
  2: 99,
  3: 44.8,
  4: 21.2,
  5: 10.2,
  6: 5.05,
};

/** Gyro output rate with DLPF_CFG 1..6, Hz [MPU6050-RM §4.2]. */
export const INTERNAL_RATE_HZ = 1000;

export interface MpuVariant {
  driver: 'mpu6050' | 'mpu9250';
  title: string;
  whoAmI: number;
  /** FIFO size, bytes [MPU6050-PS: 1024; MPU9250-PS: 512]. */
  fifoBytes: number;
  /** Temperature °C = TEMP_OUT / scale + offset [MPU6050-RM §4.18; MPU9250-PS §3.4.2]. */
  tempScale: number;
  tempOffset: number;
  gyroDlpf: Readonly<Record<number, number>>;
  /** The MPU-9250 filters its accelerometer separately (ACCEL_CONFIG2). */
  accelDlpf?: Readonly<Record<number, number>>;
}

export const MPU_VARIANTS: Readonly<Record<'mpu6050' | 'mpu9250', MpuVariant>> = {
  mpu6050: {
    driver: 'mpu6050',
    title: 'MPU-6050',
    whoAmI: 0x68,
    fifoBytes: 1024,
    tempScale: 340,
    tempOffset: 36.53,
    gyroDlpf: MPU6050_DLPF_HZ,
  },
  mpu9250: {
    driver: 'mpu9250',
    title: 'MPU-9250',
    whoAmI: 0x71,
    fifoBytes: 512,
    tempScale: 333.87,
    tempOffset: 21,
    gyroDlpf: MPU9250_GYRO_DLPF_HZ,
    accelDlpf: MPU9250_ACCEL_DLPF_HZ,
  },
};

/** Die temperature in °C from TEMP_OUT. */
export function temperatureC(variant: MpuVariant, raw: number): number {
  return raw / variant.tempScale + variant.tempOffset;
}
