/**
 * Driver registry: config `driver` name → factory. Adding a driver family touches its own
 * folder plus one line here (style.md §4). The config schema's discriminated union lists the
 * same names, so an unknown driver is refused when the config is read.
 */
import type { SensorConfig } from '../src/config/schema.js';
import { createReplayDriver, type DriverLogger } from './replay/replay.js';
import type { Driver } from './types.js';

export interface DriverDeps {
  logger?: DriverLogger;
}

type Factory<C extends SensorConfig> = (cfg: C, deps: DriverDeps) => Driver;

const FACTORIES: { [K in SensorConfig['driver']]: Factory<Extract<SensorConfig, { driver: K }>> } = {
  replay: (cfg, deps) => createReplayDriver(cfg, { logger: deps.logger }),
};

export function createDriver(cfg: SensorConfig, deps: DriverDeps = {}): Driver {
  const factory = FACTORIES[cfg.driver] as Factory<SensorConfig>;
  return factory(cfg, deps);
}

export const DRIVER_NAMES = Object.keys(FACTORIES) as SensorConfig['driver'][];
