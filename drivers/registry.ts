/**
 * Driver registry: config `driver` name → factory. Adding a driver family touches its own
 * folder plus one line here (style.md §4). The config schema's discriminated union lists the
 * same names, so an unknown driver is refused when the config is read.
 */
import type { SensorConfig } from '../src/config/schema.js';
import { createAlsaDriver } from './audio/alsa/alsa.js';
import { createFfmpegCameraDriver } from './camera/ffmpeg.js';
import { createGstreamerCameraDriver } from './camera/gstreamer.js';
import { createWebcamDriver } from './camera/webcam.js';
import { createUvcZ16Driver } from './depth/uvc/uvc.js';
import type { I2COpener } from './i2c/types.js';
import { createImuSensor } from './imu/index.js';
import { createReplayDriver, type DriverLogger } from './replay/replay.js';
import type { SerialBinding } from './serial/link.js';
import { createThermalDriver } from './thermal/factory.js';
import { createUvcY16Driver } from './thermal/uvc/uvc.js';
import type { Driver } from './types.js';

export interface DriverDeps {
  logger?: DriverLogger;
  /** Opens /dev/i2c-N for the I2C drivers; default the real one (drivers/i2c/bus.ts openI2C). */
  i2c?: I2COpener;
  /** The serial binding for serial drivers; default the platform's (drivers/serial/link.ts). */
  serial?: SerialBinding;
}

type Factory<C extends SensorConfig> = (cfg: C, deps: DriverDeps) => Driver;

const FACTORIES: { [K in SensorConfig['driver']]: Factory<Extract<SensorConfig, { driver: K }>> } = {
  replay: (cfg, deps) => createReplayDriver(cfg, { logger: deps.logger }),
  ffmpeg: (cfg, deps) => createFfmpegCameraDriver(cfg, { logger: deps.logger }),
  gstreamer: (cfg, deps) => createGstreamerCameraDriver(cfg, { logger: deps.logger }),
  webcam: (cfg, deps) => createWebcamDriver(cfg, { logger: deps.logger }),
  'uvc-y16': (cfg, deps) => createUvcY16Driver(cfg, { logger: deps.logger }),
  'uvc-z16': (cfg, deps) => createUvcZ16Driver(cfg, { logger: deps.logger }),
  alsa: (cfg, deps) => createAlsaDriver(cfg, { logger: deps.logger }),
  mlx90640: (cfg, deps) => createThermalDriver(cfg, { logger: deps.logger, i2c: deps.i2c }),
  amg8833: (cfg, deps) => createThermalDriver(cfg, { logger: deps.logger, i2c: deps.i2c }),
  mpu6050: (cfg, deps) => createImuSensor(cfg, deps),
  mpu9250: (cfg, deps) => createImuSensor(cfg, deps),
  icm20948: (cfg, deps) => createImuSensor(cfg, deps),
  bno055: (cfg, deps) => createImuSensor(cfg, deps),
  witmotion: (cfg, deps) => createImuSensor(cfg, deps),
};

export function createDriver(cfg: SensorConfig, deps: DriverDeps = {}): Driver {
  const factory = FACTORIES[cfg.driver] as Factory<SensorConfig>;
  return factory(cfg, deps);
}

export const DRIVER_NAMES = Object.keys(FACTORIES) as SensorConfig['driver'][];
