/**
 * Raw dumps of the I2C thermal sensors for `bindsight dump` (src/commands/dump.ts): the bytes
 * `bindsight decode` reads, as a list of files (suffix appended to --out) with the decode
 * option each one goes to.
 */
import type { I2CHandle } from '../i2c/types.js';
import type { Clock } from '../replay/clock.js';
import { Amg8833Chip } from './amg8833/chip.js';
import { PIXEL_BYTES, REG_T01L } from './amg8833/registers.js';
import type { ThermalSensorConfig } from './config.js';
import { Mlx90640Chip } from './mlx90640/chip.js';
import { dumpMlx90640 } from './mlx90640/dump.js';
import type { RefreshRate } from './mlx90640/registers.js';

export interface DumpFile {
  /** Appended to the --out path ('' = the path itself). */
  suffix: string;
  bytes: Buffer;
  /** The `bindsight decode` option that reads it. */
  option: '--eeprom' | '--frame' | '--in';
}

export interface DumpOptions {
  /** MLX90640 subpage frames to capture (default 2: one full image). */
  frames?: number;
  clock: Clock;
  signal: AbortSignal;
}

/** AMG8833: registers 0x00..0x0F and 0x80..0xFF in a 256-byte block (reserved ones left 0). */
async function dumpAmg(handle: I2CHandle, address: number): Promise<DumpFile[]> {
  const block = Buffer.alloc(256);
  for (const [start, length] of [
    [0x00, 0x10],
    [REG_T01L, PIXEL_BYTES],
  ] as const) {
    await handle.bus.i2cWrite(address, 1, Buffer.of(start));
    const part = Buffer.alloc(length);
    await handle.bus.i2cRead(address, length, part);
    part.copy(block, start);
  }
  return [{ suffix: '', bytes: block, option: '--in' }];
}

export async function dumpThermalSensor(
  cfg: ThermalSensorConfig,
  handle: I2CHandle,
  o: DumpOptions,
): Promise<DumpFile[]> {
  if (cfg.driver === 'amg8833') {
    await new Amg8833Chip(handle, { address: cfg.address, rate: cfg.rate }).init();
    return dumpAmg(handle, cfg.address);
  }
  const chip = new Mlx90640Chip(handle, {
    address: cfg.address,
    rate: cfg.rate as RefreshRate,
    resolution: cfg.resolution,
    pattern: cfg.pattern,
    emissivity: cfg.emissivity,
  });
  const raw = await dumpMlx90640(chip, o.frames ?? 2, o.clock, o.signal);
  return [
    { suffix: '.eeprom.bin', bytes: raw.eeprom, option: '--eeprom' },
    ...raw.frames.map((bytes, i) => ({ suffix: `.frame${i}.bin`, bytes, option: '--frame' as const })),
  ];
}
