/**
 * Relative paths in a config are relative to the config file's folder, not to the working
 * directory, so `bindsight run /etc/bindsight/config.yaml` behaves the same from anywhere
 * (systemd starts us in `/`). This covers `models.pack` (including its default,
 * `models/packs/demo`) and each replay sensor's `files`. Absolute paths are kept.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Config, SensorConfig } from './schema.js';

/** Returns a copy of `config` with every file path made absolute against `dir`. */
export function resolvePaths(config: Config, dir: string): Config {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  return {
    ...config,
    models: { ...config.models, pack: abs(config.models.pack) },
    sensors: config.sensors.map((sensor): SensorConfig => {
      switch (sensor.driver) {
        case 'replay':
          return { ...sensor, files: sensor.files.map(abs) };
        default: {
          // A new driver with path options must be added above; this fails to compile until then.
          const unhandled: never = sensor.driver;
          return unhandled;
        }
      }
    }),
  };
}
