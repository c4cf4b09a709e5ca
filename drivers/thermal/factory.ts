/**
 * Thermal drivers from config: the chip table (style.md §4: chip name → module, aliases as
 * extra keys) and the factory the driver registry calls. Adding a chip: its folder plus one line
 * in CHIPS (and its config schema in config.ts).
 */
import { openI2C } from '../i2c/bus.js';
import type { I2CHandle, I2COpener } from '../i2c/types.js';
import type { Driver } from '../types.js';
import { Amg8833Chip } from './amg8833/chip.js';
import type { ThermalChip } from './chip.js';
import type { Amg8833SensorConfig, Mlx90640SensorConfig, ThermalSensorConfig } from './config.js';
import { createThermalFamilyDriver, type ThermalDeps } from './driver.js';
import { Mlx90640Chip } from './mlx90640/chip.js';
import type { RefreshRate } from './mlx90640/registers.js';

type ChipFactory<C extends ThermalSensorConfig> = (handle: I2CHandle, cfg: C) => ThermalChip;

const CHIPS: {
  [K in ThermalSensorConfig['driver']]: ChipFactory<Extract<ThermalSensorConfig, { driver: K }>>;
} = {
  mlx90640: (handle, cfg) =>
    new Mlx90640Chip(handle, {
      address: cfg.address,
      rate: cfg.rate as RefreshRate,
      resolution: cfg.resolution,
      pattern: cfg.pattern,
      emissivity: cfg.emissivity,
      reflected: cfg.reflected === 'auto' ? undefined : cfg.reflected,
    }),
  amg8833: (handle, cfg) => new Amg8833Chip(handle, { address: cfg.address, rate: cfg.rate }),
};

/** The real opener for a config: i2c-bus plus the configured combined-transfer transport. */
export function defaultOpener(cfg: ThermalSensorConfig): I2COpener {
  if (cfg.driver === 'amg8833') return (bus) => openI2C(bus, { combined: 'none' });
  const t = cfg.transport;
  return (bus) =>
    openI2C(bus, {
      combined: t.combined,
      i2ctransfer: t.i2ctransfer,
      timeoutMs: t.timeoutMs,
      force: t.force,
    });
}

export type ThermalFactoryDeps = Omit<ThermalDeps, 'opener'> & { i2c?: I2COpener };

export function createThermalDriver(cfg: ThermalSensorConfig, deps: ThermalFactoryDeps = {}): Driver {
  const makeChip = CHIPS[cfg.driver] as ChipFactory<ThermalSensorConfig>;
  return createThermalFamilyDriver(
    {
      id: cfg.id,
      chip: cfg.driver,
      bus: cfg.bus,
      address: cfg.address,
      makeChip: (handle) => makeChip(handle, cfg),
      reconnect: cfg.reconnect,
    },
    { ...deps, opener: deps.i2c ?? defaultOpener(cfg) },
  );
}

export type { Amg8833SensorConfig, Mlx90640SensorConfig, ThermalSensorConfig };
