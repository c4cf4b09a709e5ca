/**
 * The MQTT contract (DESIGN.md "MQTT contract") as one typed table: topic template →
 * payload type, retain flag, QoS, and how the payload is written and read on the wire.
 * The publisher is typed against TopicPayloads; nothing else decides retain or QoS.
 * Home Assistant discovery (`homeassistant/...`) lives with the discovery builders.
 */
import { z } from 'zod';
import type { HealthState } from '../../drivers/types.js';
import { BindsightError } from '../errors.js';
import { type BindsightEvent, decodeEvent, encodeEvent, roundScore } from './event.js';

export type NodeStatus = 'online' | 'offline';
export type RuleState = 'ON' | 'OFF';
export type SensorStatus = HealthState;

export interface TopicPayloads {
  /** online on every (re)connect; offline on close() and as the last will. */
  '<prefix>/<node>/status': NodeStatus;
  '<prefix>/<node>/events': BindsightEvent;
  '<prefix>/<node>/rules/<rule>/state': RuleState;
  /** Latest score in [0, 1], rate-limited; a decimal string on the wire. */
  '<prefix>/<node>/rules/<rule>/score': number;
  '<prefix>/<node>/sensors/<sensor>/status': SensorStatus;
}

export type TopicTemplate = keyof TopicPayloads;
export type QoS = 0 | 1;

export interface TopicSpec<T> {
  readonly retain: boolean;
  readonly qos: QoS;
  encode(payload: T): string;
  /** Reads a payload received on the topic; throws a RangeError if it breaks the contract. */
  decode(text: string): T;
}

function enumCodec<T extends string>(values: readonly [T, ...T[]]): Pick<TopicSpec<T>, 'encode' | 'decode'> {
  const schema = z.enum(values);
  const check = (v: unknown): T => {
    const r = schema.safeParse(v);
    if (!r.success) throw new RangeError(`payload ${JSON.stringify(v)} is not one of ${values.join(', ')}`);
    return r.data;
  };
  return { encode: (v) => check(v), decode: (text) => check(text) };
}

const scoreCodec: Pick<TopicSpec<number>, 'encode' | 'decode'> = {
  encode(score) {
    if (!(score >= 0 && score <= 1)) throw new RangeError(`score ${score} is outside [0, 1]`);
    return String(roundScore(score));
  },
  decode(text) {
    const score = /^(0|1)(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(score >= 0 && score <= 1))
      throw new RangeError(`score payload "${text}" is not a decimal in [0, 1]`);
    return score;
  },
};

export const TOPICS: { readonly [K in TopicTemplate]: TopicSpec<TopicPayloads[K]> } = {
  '<prefix>/<node>/status': { retain: true, qos: 1, ...enumCodec(['online', 'offline']) },
  '<prefix>/<node>/events': { retain: false, qos: 1, encode: encodeEvent, decode: decodeEvent },
  '<prefix>/<node>/rules/<rule>/state': { retain: true, qos: 1, ...enumCodec(['ON', 'OFF']) },
  '<prefix>/<node>/rules/<rule>/score': { retain: false, qos: 0, ...scoreCodec },
  '<prefix>/<node>/sensors/<sensor>/status': {
    retain: true,
    qos: 1,
    ...enumCodec(['ok', 'degraded', 'down']),
  },
};

export const TOPIC_TEMPLATES = Object.keys(TOPICS) as TopicTemplate[];

type Placeholders<T extends string> = T extends `${string}<${infer P}>${infer Rest}`
  ? P | Placeholders<Rest>
  : never;
/** The values a template needs, e.g. { prefix, node, rule } for a rule's state topic. */
export type TopicParams<K extends TopicTemplate> = { readonly [P in Placeholders<K>]: string };

/**
 * `prefix` may span levels (`home/bindsight`); every other placeholder is one level.
 * Wildcards, empty levels, NUL and a leading `$` (broker-reserved, MQTT 3.1.1 §4.7.2) are refused.
 */
export function checkTopicPart(name: string, value: string): void {
  const bad = topicPartProblem(name, value);
  if (bad) {
    throw new BindsightError('CONFIG_INVALID', `invalid MQTT topic ${name} "${value}": ${bad}`, {
      [name]: value,
    });
  }
}

function topicPartProblem(name: string, value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (name !== 'prefix' && value.includes('/')) return 'it contains "/" (it must be one topic level)';
  if (value.split('/').some((l) => l.length === 0))
    return 'it has an empty level (leading, trailing or double "/")';
  if (/[+#\0]/.test(value)) return 'it contains an MQTT wildcard ("+" or "#") or NUL';
  if (name === 'prefix' && value.startsWith('$'))
    return 'topics starting with "$" are reserved for the broker';
  return undefined;
}

export function buildTopic<K extends TopicTemplate>(template: K, params: TopicParams<K>): string {
  const values: Readonly<Record<string, string>> = params;
  return template.replace(/<([a-z]+)>/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new RangeError(`topic ${template}: missing <${name}>`);
    checkTopicPart(name, value);
    return value;
  });
}

/** The topics of one node, with prefix and node checked once. */
export interface NodeTopics {
  readonly status: string;
  readonly events: string;
  /** Subscription filter for everything this node publishes. */
  readonly all: string;
  ruleState(rule: string): string;
  ruleScore(rule: string): string;
  sensorStatus(sensor: string): string;
}

export function nodeTopics(prefix: string, node: string): NodeTopics {
  const base = { prefix, node };
  return {
    status: buildTopic('<prefix>/<node>/status', base),
    events: buildTopic('<prefix>/<node>/events', base),
    all: `${buildTopic('<prefix>/<node>/status', base).slice(0, -'/status'.length)}/#`,
    ruleState: (rule) => buildTopic('<prefix>/<node>/rules/<rule>/state', { ...base, rule }),
    ruleScore: (rule) => buildTopic('<prefix>/<node>/rules/<rule>/score', { ...base, rule }),
    sensorStatus: (sensor) => buildTopic('<prefix>/<node>/sensors/<sensor>/status', { ...base, sensor }),
  };
}

/** Which template a received topic belongs to, for subscribers: `{ template, params }` or undefined. */
export function matchTopic(
  prefix: string,
  topic: string,
): { template: TopicTemplate; params: Readonly<Record<string, string>> } | undefined {
  if (!topic.startsWith(`${prefix}/`)) return undefined;
  const rest = topic.slice(prefix.length + 1).split('/');
  for (const template of TOPIC_TEMPLATES) {
    const parts = template.split('/').slice(1);
    if (parts.length !== rest.length) continue;
    const params: Record<string, string> = { prefix };
    const ok = parts.every((part, i) => {
      const name = /^<([a-z]+)>$/.exec(part)?.[1];
      if (name) params[name] = rest[i];
      return name ? rest[i].length > 0 : part === rest[i];
    });
    if (ok) return { template, params };
  }
  return undefined;
}
