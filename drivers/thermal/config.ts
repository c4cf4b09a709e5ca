/**
 * Config schemas of the I2C thermal drivers (issue #5): `driver: mlx90640` and `driver: amg8833`.
 * src/config/schema.ts imports these into its `sensorSchema` union, so this file must not
 * import it (the id rule comes from drivers/sensorId.ts).
 */
import { z } from 'zod';
import { sensorId } from '../sensorId.js';

const common = {
  id: sensorId,
  modality: z.literal('thermal').default('thermal').describe('always thermal'),
  bus: z
    .number()
    .int()
    .nonnegative()
    .default(1)
    .describe('I2C bus number N of /dev/i2c-N (1 on a Raspberry Pi header; see "i2cdetect -l")'),
  everyMs: z
    .number()
    .nonnegative()
    .default(0)
    .describe('encode at most one sample per this many ms (0 = all)'),
  reconnect: z
    .strictObject({
      initialMs: z.number().positive().default(500).describe('first retry delay after the device is lost'),
      maxMs: z.number().positive().default(30_000).describe('retry delays double up to this'),
    })
    .prefault({})
    .describe('how the driver retries a lost device (capped exponential backoff with jitter)'),
};

/** Refresh rates of control register bits 9:7 (MLX90640 driver doc §3.1.3). */
const mlxRate = z
  .union(
    [0.5, 1, 2, 4, 8, 16, 32, 64].map((r) => z.literal(r)) as [z.ZodLiteral<0.5>, ...z.ZodLiteral<number>[]],
  )
  .default(4)
  .describe(
    'refresh rate in Hz (0.5, 1, 2, 4, 8, 16, 32 or 64): subpages per second, one frame emitted per subpage',
  );

export const mlx90640SensorSchema = z
  .strictObject({
    ...common,
    driver: z.literal('mlx90640'),
    address: z.number().int().min(0x03).max(0x77).default(0x33).describe('7-bit I2C address (default 0x33)'),
    rate: mlxRate,
    resolution: z
      .union([z.literal(16), z.literal(17), z.literal(18), z.literal(19)])
      .default(18)
      .describe('ADC resolution in bits (16..19; 18 is the factory setting)'),
    pattern: z
      .enum(['chess', 'interleaved'])
      .default('chess')
      .describe('reading pattern; the factory calibration is for chess'),
    emissivity: z
      .number()
      .gt(0)
      .max(1)
      .default(0.95)
      .describe('emissivity of the scene (0 < e <= 1; skin and most matte surfaces 0.95)'),
    reflected: z
      .union([z.number(), z.literal('auto')])
      .default('auto')
      .describe('reflected (background) temperature in °C, or "auto" = ambient − 8 °C (Melexis TA_SHIFT)'),
    transport: z
      .strictObject({
        combined: z
          .enum(['i2ctransfer', 'none'])
          .default('i2ctransfer')
          .describe(
            'how repeated-start reads are done: i2ctransfer (i2c-tools), or none (the driver then refuses to start)',
          ),
        i2ctransfer: z.string().min(1).default('i2ctransfer').describe('path of the i2ctransfer program'),
        timeoutMs: z
          .number()
          .int()
          .positive()
          .default(1000)
          .describe('give up on one transfer after this many ms'),
        force: z
          .boolean()
          .default(false)
          .describe('talk to the address even if a kernel driver (video-i2c) has claimed it'),
      })
      .prefault({})
      .describe('I2C transport options'),
  })
  .describe('Melexis MLX90640 32×24 thermal array on I2C; frames in °C');

export const amg8833SensorSchema = z
  .strictObject({
    ...common,
    driver: z.literal('amg8833'),
    address: z
      .union([z.literal(0x68), z.literal(0x69)])
      .default(0x69)
      .describe(
        '7-bit I2C address: 0x68 (AD_SELECT to GND) or 0x69 (AD_SELECT to VDD, most breakout boards)',
      ),
    rate: z
      .union([z.literal(1), z.literal(10)])
      .default(10)
      .describe('frames per second (1 or 10)'),
  })
  .describe('Panasonic AMG8833 Grid-EYE 8×8 thermal array on I2C; frames in °C');

export type Mlx90640SensorConfig = z.output<typeof mlx90640SensorSchema>;
export type Amg8833SensorConfig = z.output<typeof amg8833SensorSchema>;
export type ThermalSensorConfig = Mlx90640SensorConfig | Amg8833SensorConfig;
