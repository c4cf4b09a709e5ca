/**
 * Config schemas of the IMU drivers (style.md §10: one zod schema gives the type, the defaults and
 * config/schema.json). src/config/schema.ts adds them to the `sensors` union; drivers/registry.ts
 * maps each `driver` name to drivers/imu/index.ts.
 *
 * Naming: one `driver` name per InvenSense chip (`mpu6050`, `mpu9250`, `icm20948`). The name is
 * the chip the user expects; the chip's identity register is checked against it and a mismatch
 * names the chip that answered (and the `driver` value that would fit it).
 */
import { z } from 'zod';
import { sensorId } from '../sensorId.js';

const windowing = {
  modality: z.literal('imu').default('imu').describe('IMU drivers produce imu Windows'),
  window: z.number().positive().max(60).default(5).describe('IMU window length in seconds'),
  hop: z.number().positive().max(60).default(1).describe('seconds between window starts'),
  everyMs: z
    .number()
    .nonnegative()
    .default(0)
    .describe('encode at most one sample per this many ms (0 = all)'),
};

const i2cBus = z.number().int().min(0).max(255).describe('I2C bus number N of /dev/i2c-N');

export const INVENSENSE_DRIVERS = ['mpu6050', 'mpu9250', 'icm20948'] as const;

export const invensenseSensorSchema = z
  .strictObject({
    id: sensorId,
    driver: z
      .enum(INVENSENSE_DRIVERS)
      .describe('InvenSense IMU on I2C: mpu6050, mpu9250 or icm20948 (its WHO_AM_I is checked)'),
    bus: i2cBus.default(1),
    address: z
      .number()
      .int()
      .min(0x68)
      .max(0x69)
      .default(0x68)
      .describe('I2C address: 0x68 (AD0 low, default) or 0x69 (AD0 high)'),
    rate: z
      .number()
      .min(10)
      .max(1000)
      .default(200)
      .describe('output data rate in Hz (10–1000); rounded to what the sample-rate divider can make'),
    accelRange: z
      .union([z.literal(2), z.literal(4), z.literal(8), z.literal(16)])
      .default(8)
      .describe('accelerometer full scale, ±g'),
    gyroRange: z
      .union([z.literal(250), z.literal(500), z.literal(1000), z.literal(2000)])
      .default(2000)
      .describe('gyroscope full scale, ±°/s'),
    ...windowing,
  })
  .describe(
    'InvenSense MPU-6050 / MPU-9250 / ICM-20948 accelerometer + gyroscope over I2C, read through its FIFO',
  );

export const bno055SensorSchema = z
  .strictObject({
    id: sensorId,
    driver: z.literal('bno055'),
    bus: i2cBus
      .optional()
      .describe('I2C bus number N of /dev/i2c-N (default 1); leave out when `port` is set'),
    address: z
      .union([z.literal(0x28), z.literal(0x29)])
      .default(0x28)
      .describe('I2C address: 0x28 (COM3 low, most breakout boards) or 0x29 (COM3 high)'),
    port: z
      .string()
      .min(1)
      .optional()
      .describe(
        'serial device for UART mode (PS1 high), e.g. /dev/ttyAMA0; use instead of I2C on boards whose I2C clock stretching is unreliable (Raspberry Pi)',
      ),
    baudRate: z.number().int().positive().default(115200).describe('UART baud rate (the BNO055 uses 115200)'),
    mode: z
      .enum(['imu', 'ndof', 'amg'])
      .default('imu')
      .describe('operating mode: imu (accel + gyro fusion), ndof (9-axis fusion) or amg (raw, no fusion)'),
    rate: z
      .number()
      .min(1)
      .max(100)
      .default(100)
      .describe('samples per second read from the chip, Hz (at most 100)'),
    ...windowing,
  })
  .refine((c) => !(c.bus !== undefined && c.port !== undefined), {
    message: 'give either `bus` (I2C) or `port` (UART), not both',
    path: ['port'],
  })
  .describe('Bosch BNO055 over I2C or UART');

export const witmotionSensorSchema = z
  .strictObject({
    id: sensorId,
    driver: z.literal('witmotion'),
    port: z
      .string()
      .min(1)
      .describe('serial device, e.g. /dev/ttyUSB0 or a stable /dev/serial/by-id/usb-… name'),
    baudRate: z
      .number()
      .int()
      .positive()
      .default(9600)
      .describe(
        'baud rate: 9600 for classic TTL boards (WT901, JY901), 115200 for BLE 5.0 boards (WT901BLECL) and most enclosed USB models',
      ),
    format: z
      .enum(['auto', 'classic', 'ble'])
      .default('auto')
      .describe(
        'packet format: classic 11-byte 0x55 0x5X packets, ble 20-byte 0x55 0x61 packets, or auto (both)',
      ),
    rate: z
      .number()
      .positive()
      .max(1000)
      .default(10)
      .describe("the board's output rate in Hz as set with WitMotion's tool (factory default 10)"),
    ...windowing,
  })
  .describe('WitMotion serial IMU (WT901, JY901, HWT905, WT901BLECL)');

export type InvensenseSensorConfig = z.output<typeof invensenseSensorSchema>;
export type Bno055SensorConfig = z.output<typeof bno055SensorSchema>;
export type WitmotionSensorConfig = z.output<typeof witmotionSensorSchema>;
export type ImuSensorConfig = InvensenseSensorConfig | Bno055SensorConfig | WitmotionSensorConfig;
