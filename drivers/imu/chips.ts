/**
 * The IMU chip registry (style.md §4): canonical chip name → what it is, where it answers, and how
 * to build it from its config; aliases are extra keys. Adding a chip is one folder plus one entry
 * here (and its config name in config.ts). `bindsight doctor` reads the addresses to say which
 * chips a responding I2C address could be.
 */
import type { I2COpener } from '../i2c/types.js';
import type { SerialBinding } from '../serial/link.js';
import { createBno055Chip } from './bno055/chip.js';
import type {
  Bno055SensorConfig,
  ImuSensorConfig,
  InvensenseSensorConfig,
  WitmotionSensorConfig,
} from './config.js';
import { createIcmChip } from './icm20948/chip.js';
import { createMpuChip } from './mpu6050/chip.js';
import { MPU_VARIANTS } from './mpu6050/registers.js';
import type { ImuChip } from './types.js';
import { createWitmotionChip } from './witmotion/chip.js';

export interface ImuTransports {
  i2c: I2COpener;
  serial: SerialBinding;
}

export interface ImuChipEntry {
  /** Canonical name: the config `driver` value. */
  name: string;
  title: string;
  /** How it connects. */
  bus: 'i2c' | 'serial' | 'i2c or uart';
  /** 7-bit I2C addresses it can answer at. */
  addresses: readonly number[];
  /** Identity check, for messages and docs. */
  identity: string;
  create(cfg: ImuSensorConfig, t: ImuTransports): ImuChip;
}

function mismatch(entry: string, cfg: ImuSensorConfig): Error {
  return new Error(`chip "${entry}" cannot be built from a "${cfg.driver}" sensor config`);
}

function invensense(cfg: ImuSensorConfig, name: string): InvensenseSensorConfig {
  if (cfg.driver === 'mpu6050' || cfg.driver === 'mpu9250' || cfg.driver === 'icm20948') return cfg;
  throw mismatch(name, cfg);
}

function bno055(cfg: ImuSensorConfig): Bno055SensorConfig {
  if (cfg.driver === 'bno055') return cfg;
  throw mismatch('bno055', cfg);
}

function witmotion(cfg: ImuSensorConfig): WitmotionSensorConfig {
  if (cfg.driver === 'witmotion') return cfg;
  throw mismatch('witmotion', cfg);
}

const mpu = (variant: 'mpu6050' | 'mpu9250') => (cfg: ImuSensorConfig, t: ImuTransports) => {
  const c = invensense(cfg, variant);
  return createMpuChip({ variant: MPU_VARIANTS[variant], ...pick(c), i2c: t.i2c });
};

const pick = (c: InvensenseSensorConfig) => ({
  bus: c.bus,
  address: c.address,
  rate: c.rate,
  accelRange: c.accelRange,
  gyroRange: c.gyroRange,
});

export const IMU_CHIPS: Readonly<Record<string, ImuChipEntry>> = {
  mpu6050: {
    name: 'mpu6050',
    title: 'InvenSense MPU-6050',
    bus: 'i2c',
    addresses: [0x68, 0x69],
    identity: 'WHO_AM_I 0x75 = 0x68',
    create: mpu('mpu6050'),
  },
  mpu9250: {
    name: 'mpu9250',
    title: 'InvenSense MPU-9250',
    bus: 'i2c',
    addresses: [0x68, 0x69],
    identity: 'WHO_AM_I 0x75 = 0x71',
    create: mpu('mpu9250'),
  },
  icm20948: {
    name: 'icm20948',
    title: 'TDK InvenSense ICM-20948',
    bus: 'i2c',
    addresses: [0x68, 0x69],
    identity: 'WHO_AM_I (bank 0) 0x00 = 0xEA',
    create: (cfg, t) => createIcmChip({ ...pick(invensense(cfg, 'icm20948')), i2c: t.i2c }),
  },
  bno055: {
    name: 'bno055',
    title: 'Bosch BNO055',
    bus: 'i2c or uart',
    addresses: [0x28, 0x29],
    identity: 'CHIP_ID 0x00 = 0xA0',
    create: (cfg, t) => {
      const c = bno055(cfg);
      const transport =
        c.port !== undefined
          ? ({ kind: 'uart', port: c.port, baudRate: c.baudRate, binding: t.serial } as const)
          : ({ kind: 'i2c', bus: c.bus ?? 1, address: c.address, i2c: t.i2c } as const);
      return createBno055Chip({ transport, mode: c.mode, rate: c.rate });
    },
  },
  witmotion: {
    name: 'witmotion',
    title: 'WitMotion serial IMU (WT901, JY901, HWT905, WT901BLECL)',
    bus: 'serial',
    addresses: [],
    identity: 'valid 0x55 packets on the line',
    create: (cfg, t) => {
      const c = witmotion(cfg);
      return createWitmotionChip({
        port: c.port,
        baudRate: c.baudRate,
        format: c.format,
        rate: c.rate,
        binding: t.serial,
      });
    },
  },
};

/** Other names people use for the same parts (board names, datasheet spellings). */
export const IMU_CHIP_ALIASES: Readonly<Record<string, string>> = {
  'mpu-6050': 'mpu6050',
  'gy-521': 'mpu6050',
  'mpu-9250': 'mpu9250',
  'gy-9250': 'mpu9250',
  'icm-20948': 'icm20948',
  'bno-055': 'bno055',
  wt901: 'witmotion',
  jy901: 'witmotion',
  hwt905: 'witmotion',
  wt901blecl: 'witmotion',
};

/** The chip entry for a name or alias (case-insensitive), or undefined. */
export function lookupImuChip(name: string): ImuChipEntry | undefined {
  const key = name.toLowerCase();
  return IMU_CHIPS[key] ?? IMU_CHIPS[IMU_CHIP_ALIASES[key] ?? ''];
}

/** The IMU chips that can answer at a 7-bit I2C address. */
export function imuChipsAt(address: number): ImuChipEntry[] {
  return Object.values(IMU_CHIPS).filter((c) => c.addresses.includes(address));
}
