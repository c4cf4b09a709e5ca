/**
 * Home Assistant discovery as data (style.md §14): pure functions from the node, its rules and
 * its sensors to discovery records (topic + config + serialised payload), unit-tested without
 * MQTT. One device per node groups every entity:
 *
 * | component | object id | entity |
 * | --- | --- | --- |
 * | binary_sensor | `rule_<rule>` | the rule's state, ON/OFF |
 * | sensor | `score_<rule>` | the rule's latest score (state_class measurement) |
 * | binary_sensor | `sensor_<sensor>` | the sensor's connectivity (ok/degraded → ON, down → OFF) |
 * | event | `events` | the event stream (event_type start, update or end) |
 *
 * The prefixes keep object ids apart whatever the ids are. unique_id is derived from the node id
 * and the object id only, never from a display name, with ":" (which no id may contain) between
 * them so that no two nodes' ids can run together. The key documentation is in ./ha.ts.
 */
import { checkTopicPart, type NodeTopics } from '../publish/topics.js';
import type {
  HaAvailability,
  HaComponent,
  HaConfigByComponent,
  HaDevice,
  HaEventConfig,
  HaOrigin,
} from './ha.js';

export interface DiscoveryContext {
  /** Home Assistant's discovery prefix (mqtt.discovery.prefix), default "homeassistant". */
  prefix: string;
  node: string;
  /** bindsight's own topics for this node (state topics, status for availability). */
  topics: NodeTopics;
  /** bindsight's version (package.json), for device.sw_version and origin.sw_version. */
  version: string;
  configurationUrl?: string;
}

export interface DiscoveryRecord<C extends HaComponent = HaComponent> {
  component: C;
  objectId: string;
  /** `<prefix>/<component>/<node>/<objectId>/config` */
  topic: string;
  config: HaConfigByComponent[C];
  /** The config as JSON with sorted keys: equal configs give equal text. */
  payload: string;
}

export const EVENT_TYPES = ['start', 'update', 'end'] as const;
/** Event keys passed on as the Home Assistant event's attributes. */
export const EVENT_ATTRIBUTES = ['id', 'rule', 'prompt', 'score', 'sensors', 'modality', 'time'] as const;

/**
 * Home Assistant's event entity needs `event_type` in the JSON (event.mqtt docs: "The JSON payload
 * should contain the event_type element"); ours is `type`. The other keys become the event's
 * attributes. Keys are read by subscript: `value_json.x` would try a dict attribute first.
 * `to_json` is Home Assistant's template filter; Jinja's `tojson` would HTML-escape.
 */
export const EVENT_VALUE_TEMPLATE = `{{ {'event_type': value_json['type'], ${EVENT_ATTRIBUTES.map(
  (k) => `'${k}': value_json['${k}']`,
).join(', ')}} | to_json }}`;

/** Sensor status → connectivity: ok and degraded still deliver samples (ON), down does not (OFF). */
export const CONNECTIVITY_VALUE_TEMPLATE = "{{ 'OFF' if value == 'down' else 'ON' }}";

/** `<prefix>/<component>/<node>/<objectId>/config`; throws CONFIG_INVALID on a bad prefix. */
export function discoveryTopic(
  prefix: string,
  component: HaComponent,
  node: string,
  objectId: string,
): string {
  checkTopicPart('prefix', prefix);
  return `${prefix}/${component}/${node}/${objectId}/config`;
}

/** The filter matching every discovery config of one node, of any component. */
export function nodeDiscoveryFilter(prefix: string, node: string): string {
  checkTopicPart('prefix', prefix);
  return `${prefix}/+/${node}/+/config`;
}

export function uniqueId(node: string, objectId: string): string {
  return `bindsight:${node}:${objectId}`;
}

export function device(ctx: DiscoveryContext): HaDevice {
  return {
    identifiers: [`bindsight:${ctx.node}`],
    name: ctx.node,
    model: 'bindsight',
    sw_version: ctx.version,
    ...(ctx.configurationUrl ? { configuration_url: ctx.configurationUrl } : {}),
  };
}

export function origin(ctx: DiscoveryContext): HaOrigin {
  return { name: 'bindsight', sw_version: ctx.version };
}

/** The node status topic: retained online/offline, offline also as the last will. */
export function availability(ctx: DiscoveryContext): HaAvailability[] {
  return [{ topic: ctx.topics.status, payload_available: 'online', payload_not_available: 'offline' }];
}

function record<C extends HaComponent>(
  ctx: DiscoveryContext,
  component: C,
  objectId: string,
  config: HaConfigByComponent[C],
): DiscoveryRecord<C> {
  return {
    component,
    objectId,
    topic: discoveryTopic(ctx.prefix, component, ctx.node, objectId),
    config,
    payload: stableStringify(config),
  };
}

function common(ctx: DiscoveryContext, objectId: string, name: string, stateTopic: string) {
  return {
    name,
    unique_id: uniqueId(ctx.node, objectId),
    device: device(ctx),
    origin: origin(ctx),
    availability: availability(ctx),
    state_topic: stateTopic,
  };
}

/** A rule's state (binary_sensor, ON/OFF as published) and score (sensor). */
export function ruleRecords(ctx: DiscoveryContext, rule: { id: string }): DiscoveryRecord[] {
  const state = `rule_${rule.id}`;
  const score = `score_${rule.id}`;
  return [
    record(ctx, 'binary_sensor', state, {
      ...common(ctx, state, rule.id, ctx.topics.ruleState(rule.id)),
      payload_on: 'ON',
      payload_off: 'OFF',
      qos: 1,
    }),
    record(ctx, 'sensor', score, {
      ...common(ctx, score, `${rule.id} score`, ctx.topics.ruleScore(rule.id)),
      state_class: 'measurement',
    }),
  ];
}

/** A sensor's connectivity, from its status topic (ok / degraded / down). */
export function sensorRecord(ctx: DiscoveryContext, sensor: { id: string }): DiscoveryRecord {
  const objectId = `sensor_${sensor.id}`;
  return record(ctx, 'binary_sensor', objectId, {
    ...common(ctx, objectId, sensor.id, ctx.topics.sensorStatus(sensor.id)),
    device_class: 'connectivity',
    entity_category: 'diagnostic',
    value_template: CONNECTIVITY_VALUE_TEMPLATE,
    payload_on: 'ON',
    payload_off: 'OFF',
    qos: 1,
  });
}

export function eventRecord(ctx: DiscoveryContext): DiscoveryRecord {
  const config: HaEventConfig = {
    ...common(ctx, 'events', 'events', ctx.topics.events),
    event_types: [...EVENT_TYPES],
    value_template: EVENT_VALUE_TEMPLATE,
    qos: 1,
  };
  return record(ctx, 'event', 'events', config);
}

/** Every record of a node, in a stable order: the event entity, rules, sensors. */
export function discoveryRecords(
  ctx: DiscoveryContext,
  rules: readonly { id: string }[],
  sensors: readonly { id: string }[],
): DiscoveryRecord[] {
  return [
    eventRecord(ctx),
    ...rules.flatMap((r) => ruleRecords(ctx, r)),
    ...sensors.map((s) => sensorRecord(ctx, s)),
  ];
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => [k, sortKeys(obj[k])]),
  );
}
