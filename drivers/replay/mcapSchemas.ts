/**
 * The MCAP schemas bindsight writes and reads (issue #7). Every channel uses message encoding
 * `json` with a `jsonschema` schema, so neither protobuf nor flatbuffers is needed on either side
 * (MCAP spec, "Well-known message encodings": json; "Well-known schema encodings": jsonschema).
 * Byte fields are base64 strings, as Foxglove's JSON schemas declare them
 * (`"contentEncoding": "base64"`).
 *
 * - Frames that Foxglove can show use its schemas, by name: `foxglove.CompressedImage` for jpeg/png
 *   and `foxglove.RawImage` for raw pixels (rgb24 → `rgb8`, gray8 → `mono8`, 16-bit formats →
 *   `mono16` little-endian, celsius_f32 → `32FC1` little-endian). Field names and meanings follow
 *   foxglove-sdk `schemas/jsonschema/{CompressedImage,RawImage}.json`. JSON members Foxglove does
 *   not know are ignored by it, so each message also carries a `bindsight` object with what the
 *   Foxglove fields cannot say (the exact Frame format, modality, meta): see `FrameExtension`.
 * - Windows (audio, IMU) use bindsight's own `bindsight.Window`: the Window fields and the samples as
 *   float32 little-endian, channel-major, base64. foxglove.RawAudio is not used: it carries only
 *   16-bit PCM, which would not round-trip float samples.
 *
 * The schema texts below describe these fields for tools that read the schema record; they are
 * written from the Foxglove documentation, not copied from it.
 */
import type { FrameFormat, SensorModality } from '../types.js';

export const SCHEMA = {
  compressedImage: 'foxglove.CompressedImage',
  rawImage: 'foxglove.RawImage',
  window: 'bindsight.Window',
} as const;
export type SchemaName = (typeof SCHEMA)[keyof typeof SCHEMA];

export const MESSAGE_ENCODING = 'json';
export const SCHEMA_ENCODING = 'jsonschema';

/** Channel metadata keys bindsight writes (MCAP channel `metadata`). */
export const CHANNEL_META = { sensor: 'bindsight.sensor', modality: 'bindsight.modality' } as const;

/** Foxglove time: seconds and nanoseconds since the Unix epoch. */
export interface FoxgloveTime {
  sec: number;
  nsec: number;
}

/** What a foxglove image message cannot say, kept so a Frame round-trips exactly. */
export interface FrameExtension {
  sensor: string;
  modality: SensorModality;
  format: FrameFormat;
  width: number;
  height: number;
  meta?: Record<string, MetaValue>;
}

/** A meta value; a non-finite number is written as `{ "number": "NaN" }` because JSON has no NaN. */
export type MetaValue = number | string | { number: string };

export interface CompressedImageMessage {
  timestamp: FoxgloveTime;
  frame_id: string;
  data: string;
  format: string;
  bindsight?: FrameExtension;
}

export interface RawImageMessage {
  timestamp: FoxgloveTime;
  frame_id: string;
  width: number;
  height: number;
  encoding: string;
  step: number;
  data: string;
  bindsight?: FrameExtension;
}

export interface WindowMessage {
  timestamp: FoxgloveTime;
  sensor: string;
  modality: SensorModality;
  rate: number;
  channels: number;
  layout: 'channel-major';
  dtype: 'float32le';
  data: string;
  meta?: Record<string, MetaValue>;
}

const time = {
  type: 'object',
  title: 'time',
  properties: {
    sec: { type: 'integer', minimum: 0 },
    nsec: { type: 'integer', minimum: 0, maximum: 999999999 },
  },
  description: 'capture time of the sample (seconds and nanoseconds since the Unix epoch)',
};

const meta = {
  type: 'object',
  description: 'per-sample facts (file name, depth baseline_m, focal_px, …); numbers or strings',
  additionalProperties: true,
};

const extension = {
  type: 'object',
  description:
    'bindsight: what this image is to the pipeline. Ignored by Foxglove; read back by bindsight so the Frame round-trips exactly.',
  properties: {
    sensor: { type: 'string', description: 'sensor id' },
    modality: { type: 'string', enum: ['vision', 'audio', 'depth', 'thermal', 'imu'] },
    format: {
      type: 'string',
      enum: ['rgb24', 'gray8', 'gray16', 'y16_ck', 'z16_mm', 'celsius_f32', 'jpeg', 'png'],
      description:
        'bindsight Frame format: mono16 data is gray16 (raw counts), y16_ck (centikelvin) or z16_mm (depth, mm); 32FC1 data is celsius_f32 (°C)',
    },
    width: { type: 'integer', minimum: 0 },
    height: { type: 'integer', minimum: 0 },
    meta,
  },
};

const frameId = { type: 'string', description: 'the sensor id' };
const base64 = (description: string) => ({ type: 'string', contentEncoding: 'base64', description });

const SCHEMAS: Record<SchemaName, object> = {
  [SCHEMA.compressedImage]: {
    title: SCHEMA.compressedImage,
    description: 'An encoded image (foxglove.CompressedImage fields plus a bindsight extension)',
    type: 'object',
    properties: {
      timestamp: time,
      frame_id: frameId,
      data: base64('the encoded image file bytes'),
      format: { type: 'string', description: 'image format: jpeg or png' },
      bindsight: extension,
    },
  },
  [SCHEMA.rawImage]: {
    title: SCHEMA.rawImage,
    description: 'A raw image (foxglove.RawImage fields plus a bindsight extension)',
    type: 'object',
    properties: {
      timestamp: time,
      frame_id: frameId,
      width: { type: 'integer', minimum: 0, description: 'pixels per row' },
      height: { type: 'integer', minimum: 0, description: 'rows' },
      encoding: {
        type: 'string',
        description: 'rgb8, mono8, mono16 (little-endian) or 32FC1 (little-endian float)',
      },
      step: { type: 'integer', minimum: 0, description: 'bytes per row' },
      data: base64('rows of pixels, top to bottom'),
      bindsight: extension,
    },
  },
  [SCHEMA.window]: {
    title: SCHEMA.window,
    description:
      'A window of a multichannel time series (audio, IMU), as bindsight drivers emit it: IMU channels are ax, ay, az (m/s², gravity included), gx, gy, gz (rad/s); audio samples are in [-1, 1]',
    type: 'object',
    properties: {
      timestamp: { ...time, description: 'capture time of the first sample' },
      sensor: { type: 'string', description: 'sensor id' },
      modality: { type: 'string', enum: ['audio', 'imu', 'vision', 'depth', 'thermal'] },
      rate: { type: 'number', exclusiveMinimum: 0, description: 'samples per second per channel' },
      channels: { type: 'integer', minimum: 1 },
      layout: { const: 'channel-major', description: 'channel c holds samples [c*n, (c+1)*n)' },
      dtype: { const: 'float32le', description: 'IEEE 754 float32, little-endian' },
      data: base64('channels × n float32 values'),
      meta,
    },
    required: ['timestamp', 'sensor', 'modality', 'rate', 'channels', 'layout', 'dtype', 'data'],
  },
};

/** The schema record body (JSON text bytes) for `name`. */
export function schemaData(name: SchemaName): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(SCHEMAS[name]));
}
