/**
 * Schema builders the capture drivers' configs share (camera/config.ts, depth/uvc/config.ts,
 * audio/alsa/config.ts), on top of the key fragments in ./config.ts. Like that file, this one
 * must not import src/config/schema.ts, which imports the driver schemas.
 */
import { z } from 'zod';
import type { SensorModality } from '../types.js';
import { captureKeys } from './config.js';

/** `driver` and `modality`: every sensor config names its driver and carries its modality. */
export function sensorKeys<D extends string, M extends SensorModality>(driver: D, modality: M) {
  return {
    driver: z.literal(driver),
    modality: z.literal(modality).default(modality).describe('what the sensor produces'),
  };
}

/** A streaming capture driver's config: captureKeys, driver and modality, then its own keys. */
export function captureSchema<D extends string, M extends SensorModality, S extends z.ZodRawShape>(
  driver: D,
  modality: M,
  keys: S,
) {
  return z.strictObject({ ...captureKeys, ...sensorKeys(driver, modality), ...keys });
}

/** ffmpeg's `-f` for an input it cannot infer; `examples` name formats that fit the driver. */
export function demuxerKey(examples: string, description: string) {
  return z
    .string()
    .regex(/^[a-z0-9_]+$/, `an ffmpeg input format name such as ${examples}`)
    .optional()
    .describe(description);
}
