/**
 * Home Assistant's documented MQTT discovery schema, transcribed key by key into strict zod
 * schemas, so that a discovery payload with a key Home Assistant does not document, a missing
 * required key, or a wrong type or value fails the test. Sources (home-assistant.io, the
 * `{% configuration %}` blocks of each page):
 *
 * - https://www.home-assistant.io/integrations/binary_sensor.mqtt/
 * - https://www.home-assistant.io/integrations/sensor.mqtt/
 * - https://www.home-assistant.io/integrations/event.mqtt/
 * - https://www.home-assistant.io/integrations/mqtt/#discovery-payload (origin: name required,
 *   sw_version, support_url; the payload "must be a serialized JSON dictionary")
 * - https://www.home-assistant.io/integrations/mqtt/#discovery-topic (node_id and object_id
 *   "must only consist of characters from the character class [a-zA-Z0-9_-]")
 * - device classes: https://www.home-assistant.io/integrations/binary_sensor/#device-class
 * - state classes: https://developers.home-assistant.io/docs/core/entity/sensor/#available-state-classes
 * - entity categories: https://developers.home-assistant.io/docs/core/entity#generic-properties
 *
 * `platform` is left out on purpose: the pages say it is "only allowed ... in MQTT auto
 * discovery device messages", and bindsight publishes single-component discovery.
 */
import { z } from 'zod';

const template = z.string().min(1);
const topic = z
  .string()
  .min(1)
  .refine((s) => !/[+#]/.test(s), 'a topic to subscribe must not hold wildcards here');

/** The `device` map, identical on the three pages. */
export const deviceSchema = z
  .strictObject({
    configuration_url: z
      .string()
      .regex(/^(https?|homeassistant):\/\//, 'an http://, https:// or homeassistant:// URL')
      .optional(),
    connections: z.array(z.tuple([z.string(), z.string()])).optional(),
    hw_version: z.string().optional(),
    identifiers: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    model_id: z.string().optional(),
    name: z.string().optional(),
    serial_number: z.string().optional(),
    suggested_area: z.string().optional(),
    sw_version: z.string().optional(),
    via_device: z.string().optional(),
  })
  .refine(
    (d) => d.identifiers !== undefined || d.connections !== undefined,
    '"At least one of identifiers or connections must be present to identify the device"',
  );

export const originSchema = z.strictObject({
  name: z.string().min(1),
  sw_version: z.string().optional(),
  support_url: z.string().optional(),
});

const availabilityEntry = z.strictObject({
  payload_available: z.string().optional(),
  payload_not_available: z.string().optional(),
  topic,
  value_template: template.optional(),
});

/** Keys every entity page documents (plus origin, from the discovery section). */
const common = {
  availability: z.array(availabilityEntry).min(1).optional(),
  availability_mode: z.enum(['all', 'any', 'latest']).optional(),
  availability_template: template.optional(),
  availability_topic: topic.optional(),
  device: deviceSchema.optional(),
  enabled_by_default: z.boolean().optional(),
  encoding: z.string().optional(),
  entity_category: z.enum(['config', 'diagnostic']).optional(),
  entity_picture: z.string().optional(),
  icon: z.string().optional(),
  json_attributes_template: template.optional(),
  json_attributes_topic: topic.optional(),
  name: z.string().nullable().optional(),
  object_id: z.string().optional(),
  origin: originSchema.optional(),
  payload_available: z.string().optional(),
  payload_not_available: z.string().optional(),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  state_topic: topic,
  unique_id: z.string().min(1).optional(),
  value_template: template.optional(),
};

/** https://www.home-assistant.io/integrations/binary_sensor/#device-class */
export const BINARY_SENSOR_DEVICE_CLASSES = [
  'battery',
  'battery_charging',
  'carbon_monoxide',
  'cold',
  'connectivity',
  'door',
  'garage_door',
  'gas',
  'heat',
  'light',
  'lock',
  'moisture',
  'motion',
  'moving',
  'occupancy',
  'opening',
  'plug',
  'power',
  'presence',
  'problem',
  'running',
  'safety',
  'smoke',
  'sound',
  'tamper',
  'update',
  'vibration',
  'window',
] as const;

function entityRules<
  T extends { availability?: unknown; availability_topic?: unknown; device?: unknown; unique_id?: unknown },
>(s: z.ZodType<T>) {
  return s
    .refine(
      (c) => !(c.availability !== undefined && c.availability_topic !== undefined),
      'availability "Must not be used together with availability_topic"',
    )
    .refine(
      (c) => c.device === undefined || c.unique_id !== undefined,
      'device "Only works when unique_id is set"',
    );
}

export const binarySensorSchema = entityRules(
  z
    .strictObject({
      ...common,
      device_class: z.enum(BINARY_SENSOR_DEVICE_CLASSES).nullable().optional(),
      expire_after: z.number().int().optional(),
      force_update: z.boolean().optional(),
      off_delay: z.number().int().optional(),
      payload_off: z.string().optional(),
      payload_on: z.string().optional(),
    })
    .refine(
      (c) => c.entity_category === undefined || c.entity_category === 'diagnostic',
      '"When set, the entity category must be diagnostic for sensors" (binary_sensor page)',
    ),
);

export const sensorSchema = entityRules(
  z
    .strictObject({
      ...common,
      device_class: z.string().nullable().optional(),
      expire_after: z.number().int().optional(),
      force_update: z.boolean().optional(),
      last_reset_value_template: template.optional(),
      options: z.array(z.string()).min(1).optional(),
      suggested_display_precision: z.number().int().optional(),
      state_class: z.enum(['measurement', 'measurement_angle', 'total', 'total_increasing']).optional(),
      unit_of_measurement: z.string().nullable().optional(),
    })
    .refine(
      (c) => c.entity_category === undefined || c.entity_category === 'diagnostic',
      '"When set, the entity category must be diagnostic for sensors"',
    ),
);

export const eventSchema = entityRules(
  z.strictObject({
    ...common,
    device_class: z.enum(['button', 'doorbell', 'motion']).nullable().optional(),
    event_types: z.array(z.string().min(1)).min(1),
  }),
);

export const SCHEMAS = {
  binary_sensor: binarySensorSchema,
  sensor: sensorSchema,
  event: eventSchema,
} as const;

/** `<discovery_prefix>/<component>/[<node_id>/]<object_id>/config` with the documented character class. */
export const DISCOVERY_TOPIC =
  /^[^/+#]+(?:\/[^/+#]+)*\/(binary_sensor|sensor|event)\/(?:[a-zA-Z0-9_-]+\/)?[a-zA-Z0-9_-]+\/config$/;
