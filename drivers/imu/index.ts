/**
 * The IMU drivers' factory: a sensor config → its chip (chips.ts) behind the family driver
 * (driver.ts). drivers/registry.ts maps the config names mpu6050, mpu9250, icm20948, bno055 and
 * witmotion here. Transports are injected (style.md §1): the agent passes nothing and gets the
 * real /dev/i2c-N opener and the platform serial binding; tests pass emulators.
 */

import type { BackoffOptions } from '../backoff.js';
import { openI2C } from '../i2c/bus.js';
import type { I2COpener } from '../i2c/types.js';
import type { Clock } from '../replay/clock.js';
import type { DriverLogger } from '../replay/player.js';
import { defaultSerialBinding, type SerialBinding } from '../serial/link.js';
import type { Driver } from '../types.js';
import { lookupImuChip } from './chips.js';
import type { ImuSensorConfig } from './config.js';
import { createImuDriver } from './driver.js';

export interface ImuSensorDeps {
  logger?: DriverLogger;
  /** Opens /dev/i2c-N (default: openI2C without a combined transfer, which no IMU needs). */
  i2c?: I2COpener;
  /** The serial binding (default: the platform's). */
  serial?: SerialBinding;
  clock?: Clock;
  backoff?: BackoffOptions;
}

export function createImuSensor(cfg: ImuSensorConfig, deps: ImuSensorDeps = {}): Driver {
  const entry = lookupImuChip(cfg.driver);
  if (entry === undefined) throw new Error(`no IMU chip "${cfg.driver}" in drivers/imu/chips.ts`);
  const chip = entry.create(cfg, {
    i2c: deps.i2c ?? ((bus) => openI2C(bus, { combined: 'none' })),
    serial: deps.serial ?? defaultSerialBinding(),
  });
  return createImuDriver(
    { id: cfg.id, chip, window: cfg.window, hop: cfg.hop },
    { logger: deps.logger, clock: deps.clock, backoff: deps.backoff },
  );
}
