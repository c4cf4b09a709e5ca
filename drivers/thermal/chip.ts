/**
 * The seam between the thermal family driver (drivers/thermal/driver.ts: rate, timestamps,
 * health, reconnect, Sample emission) and a chip module (drivers/thermal/<chip>/: register map,
 * init, maths, emulator), style.md §4. A chip talks only to the I2CHandle it is given.
 */
import { BindsightError } from '../../src/errors.js';

/** One image from the chip, in °C, row-major. */
export interface ThermalReading {
  celsius: Float32Array;
  /** Facts about this image (ambient temperature, subpage, …) carried into Frame.meta. */
  meta: Record<string, number | string>;
}

export interface ThermalChip {
  readonly width: number;
  readonly height: number;
  /** Time between two images at the configured rate, ms. */
  readonly periodMs: number;
  /**
   * true: the chip flags new data, so the driver polls shortly before it is due and again until
   * it is there; false: the driver reads on a fixed schedule (the chip refreshes on its own).
   */
  readonly hasDataReady: boolean;
  /**
   * Identity/calibration check and configuration. Throws DeviceMismatch for a device that is not
   * this chip (or has no valid calibration), I2C errors (drivers/i2c/errors.ts) otherwise.
   * Resolves with how long to wait before the first poll.
   */
  init(): Promise<{ settleMs: number }>;
  /**
   * Reads the next image if the chip has one (else undefined). Throws FrameRejected when the data
   * read is not trustworthy (bit errors, implausible values): it never returns a bad image.
   */
  poll(): Promise<ThermalReading | undefined>;
}

/** Data read from the chip failed a check; the image is dropped, the device is kept. */
export class FrameRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameRejected';
  }
}

/** The device at the address is not the configured chip, or its calibration memory is unusable. */
export class DeviceMismatch extends BindsightError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('SENSOR_FAILED', message, context);
    this.name = 'DeviceMismatch';
  }
}

/** The chip cannot work with this transport or set-up; retrying will not help. */
export class SetupError extends BindsightError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('SENSOR_FAILED', message, context);
    this.name = 'SetupError';
  }
}

/** "0x33" */
export function hexAddress(address: number): string {
  return `0x${address.toString(16).padStart(2, '0')}`;
}
