/**
 * Relative paths in a config are relative to the config file's folder, not to the working
 * directory, so `bindsight run /etc/bindsight/config.yaml` behaves the same from anywhere
 * (systemd starts us in `/`). This covers `models.pack` (including its default,
 * `models/packs/demo`), each replay sensor's `files` and rules' example-file prompts
 * (`{file: ...}`), and the mqtt files (`tls.ca/cert/key`, `passwordFile`, `outbox.path`). Absolute
 * paths are kept.
 */
import { isAbsolute, resolve } from 'node:path';
import { resolveInputPath } from '../../drivers/process/input.js';
import { resolveMqttPaths } from '../publish/config.js';
import { resolveRulePaths } from '../rules/config.js';
import type { Config, SensorConfig } from './schema.js';

/** Returns a copy of `config` with every file path made absolute against `dir`. */
export function resolvePaths(config: Config, dir: string): Config {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  return {
    ...config,
    models: {
      ...config.models,
      pack: abs(config.models.pack),
      ...(config.models.cacheDir === undefined ? {} : { cacheDir: abs(config.models.cacheDir) }),
    },
    sensors: config.sensors.map((sensor): SensorConfig => {
      switch (sensor.driver) {
        case 'replay':
          return { ...sensor, files: sensor.files.map(abs) };
        case 'ffmpeg':
        case 'uvc-y16':
        case 'uvc-z16':
        case 'alsa':
          // A file input (not a device, URL or ALSA name) is relative to the config file.
          return { ...sensor, input: resolveInputPath(sensor.input, dir) };
        case 'gstreamer': // a pipeline, not a path
        case 'webcam': // a device
        case 'mlx90640': // I2C devices: a bus number, no paths
        case 'amg8833':
        case 'mpu6050': // IMUs: an I2C bus number or a serial device under /dev, no config-relative paths
        case 'mpu9250':
        case 'icm20948':
        case 'bno055':
        case 'witmotion':
          return sensor;
        default: {
          // A new driver with path options must be added above; this fails to compile until then.
          const unhandled: never = sensor;
          return unhandled;
        }
      }
    }),
    rules: config.rules.map((rule) => resolveRulePaths(rule, dir)),
    mqtt: resolveMqttPaths(config.mqtt, abs),
  };
}
