/**
 * The real I2C opener: `/dev/i2c-N` through `i2c-bus` (promisified) for SMBus and plain I2C
 * transfers and scans, plus a combined write-read (repeated start) for chips that need one.
 *
 * Transport choice (drivers/i2c/README.md): the combined transfer is `i2ctransfer` from
 * i2c-tools, spawned per read (drivers/i2c/i2ctransfer.ts); `combined: 'none'` leaves it out,
 * and chips that require it then refuse to start with a message saying so. Chip logic only
 * sees the I2CHandle, so a native I2C_RDWR addon can replace it without touching a chip.
 *
 * Before opening, /dev/i2c-N is checked, so the common set-up mistakes get a message with the
 * fix instead of a bare errno (the error keeps its `code` for the driver's retry decision).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { i2cError } from './errors.js';
import { I2ctransferCombined, type RunFile } from './i2ctransfer.js';
import type { I2CHandle } from './types.js';

export interface OpenI2COptions {
  /** How to do repeated-start reads: 'i2ctransfer' (default) or 'none'. */
  combined?: 'i2ctransfer' | 'none';
  /** Path of the i2ctransfer program (default: found on PATH). */
  i2ctransfer?: string;
  /** Give up on one combined transfer after this long (default 1000 ms). */
  timeoutMs?: number;
  /** I2C_SLAVE_FORCE / `i2ctransfer -f`: talk to an address a kernel driver has claimed. */
  force?: boolean;
  /** Where the device nodes live (default /dev; tests point it elsewhere). */
  devDir?: string;
  /** Loads i2c-bus (tests inject a fake; default the real package). */
  loadI2cBus?: () => Promise<Pick<typeof import('i2c-bus'), 'openPromisified'>>;
  /** Runs i2ctransfer (tests inject a fake). */
  run?: RunFile;
}

async function checkDevice(busNumber: number, devDir: string): Promise<void> {
  const path = `${devDir}/i2c-${busNumber}`;
  try {
    await access(path, constants.R_OK | constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw i2cError(
        'EACCES',
        `${path} is not readable and writable by this user; add it to the i2c group (sudo usermod -aG i2c $USER, then log in again) or install the udev rule from drivers/thermal/README.md`,
      );
    }
    throw i2cError(
      'ENOENT',
      `${path} does not exist; enable the I2C bus (raspi-config, or jetson-io on a Jetson), load i2c-dev (modprobe i2c-dev), and check the bus number with "i2cdetect -l"`,
    );
  }
}

/** Opens /dev/i2c-<busNumber>; matches `I2COpener` when `options` is bound. */
export async function openI2C(busNumber: number, options: OpenI2COptions = {}): Promise<I2CHandle> {
  if (!(Number.isInteger(busNumber) && busNumber >= 0)) {
    throw new RangeError(`I2C bus number must be an integer >= 0; got ${busNumber}`);
  }
  await checkDevice(busNumber, options.devDir ?? '/dev');
  const load = options.loadI2cBus ?? (() => import('i2c-bus'));
  const bus = await (await load()).openPromisified(busNumber, { forceAccess: options.force ?? false });
  if ((options.combined ?? 'i2ctransfer') === 'none') return { bus };
  const combined = new I2ctransferCombined(busNumber, {
    path: options.i2ctransfer,
    timeoutMs: options.timeoutMs,
    force: options.force,
    run: options.run,
  });
  return { bus, combined };
}
