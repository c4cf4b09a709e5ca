/**
 * The sensor `id` field for driver config schemas. src/config/schema.ts imports the driver
 * schemas, so driver code must not import it: its id rule is repeated here (same pattern and
 * message as schema.ts `id`; the id becomes an MQTT topic level).
 */
import { z } from 'zod';

export const sensorId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'an id of lower-case letters, digits, "_" or "-" (it becomes an MQTT topic level)',
  )
  .describe('sensor id, unique; used in MQTT topics and by rules');
