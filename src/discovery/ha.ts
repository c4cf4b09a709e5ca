/**
 * The Home Assistant MQTT discovery payloads bindsight publishes, typed with Home Assistant's own
 * key names (no abbreviations, which are optional). Each key is documented on the page cited:
 *
 * - Discovery topic, payload, device/origin mappings, removal with an empty retained payload:
 *   https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery
 *   ("<discovery_prefix>/<component>/[<node_id>/]<object_id>/config"; node_id and object_id
 *   "must only consist of characters from the character class [a-zA-Z0-9_-]").
 * - Availability list: https://www.home-assistant.io/integrations/mqtt/#using-availability-topics
 * - binary_sensor: https://www.home-assistant.io/integrations/binary_sensor.mqtt/
 *   (payload_on/payload_off default "ON"/"OFF"; value_template "returns a string to be compared
 *   to payload_on/payload_off"); device classes: https://www.home-assistant.io/integrations/binary_sensor/#device-class
 * - sensor: https://www.home-assistant.io/integrations/sensor.mqtt/ (state_class), classes:
 *   https://developers.home-assistant.io/docs/core/entity/sensor/#available-state-classes
 * - event: https://www.home-assistant.io/integrations/event.mqtt/ (event_types required; the state
 *   topic's JSON "should contain the event_type element"; value_template renders such a JSON)
 */

/** https://www.home-assistant.io/integrations/mqtt/ "device" mapping (abbreviation dev). */
export interface HaDevice {
  /** "A list of IDs that uniquely identify the device." */
  identifiers: string[];
  name: string;
  model: string;
  /** "The firmware version of the device." */
  sw_version: string;
  /** "A link to the webpage that can manage the configuration of this device. Can be either an HTTP or HTTPS link." */
  configuration_url?: string;
}

/** "origin" (abbreviation o): name required; sw_version, support_url optional. */
export interface HaOrigin {
  name: string;
  sw_version: string;
  support_url?: string;
}

/** One entry of "availability" (abbreviation avty): topic required; payloads default online/offline. */
export interface HaAvailability {
  topic: string;
  payload_available: string;
  payload_not_available: string;
}

interface HaEntityCommon {
  /** The entity's name; Home Assistant prefixes the device name (has_entity_name). */
  name: string;
  /** "An ID that uniquely identifies this ... If two ... have the same unique ID, Home Assistant will raise an exception." */
  unique_id: string;
  device: HaDevice;
  origin: HaOrigin;
  availability: HaAvailability[];
  state_topic: string;
  /** "The maximum QoS level to be used when receiving and publishing messages." */
  qos?: 0 | 1;
  /** https://developers.home-assistant.io/docs/core/entity#generic-properties */
  entity_category?: 'config' | 'diagnostic';
}

export interface HaBinarySensorConfig extends HaEntityCommon {
  payload_on: string;
  payload_off: string;
  device_class?: 'connectivity';
  value_template?: string;
}

export interface HaSensorConfig extends HaEntityCommon {
  state_class: 'measurement';
}

export interface HaEventConfig extends HaEntityCommon {
  event_types: string[];
  value_template: string;
}

export type HaComponent = 'binary_sensor' | 'sensor' | 'event';

export interface HaConfigByComponent {
  binary_sensor: HaBinarySensorConfig;
  sensor: HaSensorConfig;
  event: HaEventConfig;
}
