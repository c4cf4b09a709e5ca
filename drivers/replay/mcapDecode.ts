/**
 * MCAP message body → Sample, the inverse of mcapEncode.ts, plus foreign files: a json-encoded
 * foxglove.CompressedImage or foxglove.RawImage written by another tool (no `bindsight` member)
 * becomes a Frame by the tables below (Foxglove RawImage encodings, foxglove-sdk
 * schemas/jsonschema/RawImage.json: rows of `step` bytes, 16- and 32-bit values little-endian).
 *
 * The Sample always takes the replay sensor's id and modality (a driver owns its id); everything
 * else — t, size, format, data bytes, rate, channels, meta — comes from the message. A message that
 * cannot become a Sample throws FILE_INVALID naming the reason; the player counts and skips it.
 */
import { endianness } from 'node:os';
import { BindsightError } from '../../src/errors.js';
import type { Frame, FrameFormat, Sample, SensorModality, Window } from '../types.js';
import { readImageHeader } from './images.js';
import { type FoxgloveTime, MESSAGE_ENCODING, SCHEMA } from './mcapSchemas.js';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** What the decoder needs to know about the replay sensor and the message's channel. */
export interface DecodeTarget {
  sensor: string;
  modality: SensorModality;
  /** Meta for samples from foreign files (bindsight's own files carry their meta). */
  foreignMeta: Readonly<Record<string, number | string>>;
}

export interface McapMessageIn {
  schemaName: string;
  messageEncoding: string;
  topic: string;
  logTime: bigint;
  data: Uint8Array;
}

type Json = Record<string, unknown>;

function invalid(msg: McapMessageIn, what: string): BindsightError {
  return new BindsightError('FILE_INVALID', `topic "${msg.topic}" at log time ${msg.logTime} ns: ${what}`, {
    topic: msg.topic,
    logTime: String(msg.logTime),
  });
}

function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field<T>(o: Json, key: string, is: (v: unknown) => v is T, what: string): T {
  const value = o[key];
  if (!is(value)) throw new Error(`field "${key}" is not ${what}`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** A message's `timestamp` as ns, or undefined when it has none. */
function timestampNs(o: Json): bigint | undefined {
  const ts = o.timestamp;
  if (!isJson(ts)) return undefined;
  const { sec, nsec } = ts as Partial<FoxgloveTime>;
  if (!isCount(sec) || !isCount(nsec) || nsec > 999_999_999) return undefined;
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

function decodeBase64(o: Json, key: string): Uint8Array {
  const text = field(o, key, isString, 'a base64 string');
  const bytes = Buffer.from(text, 'base64');
  // Copy into an ArrayBuffer of its own: aligned for 16/32-bit views, not a pooled Buffer.
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Little-endian bytes → a typed array of `size`-byte elements (swapped on a big-endian host). */
function fromLittleEndian(bytes: Uint8Array, size: 2 | 4): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return bytes;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  return bytes;
}

/** What every Sample decoded here shares: the replay sensor's id and modality (a driver owns its id), and the time. */
function origin(target: DecodeTarget, t: bigint): Pick<Sample, 'sensor' | 'modality' | 't'> {
  return { sensor: target.sensor, modality: target.modality, t };
}

function decodeMeta(value: unknown): Record<string, number | string> | undefined {
  if (!isJson(value)) return undefined;
  const out: Record<string, number | string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'number' || typeof v === 'string') out[key] = v;
    else if (isJson(v) && typeof v.number === 'string') out[key] = Number(v.number);
    else throw new Error(`meta "${key}" is not a number or a string`);
  }
  return out;
}

const FRAME_FORMATS: readonly FrameFormat[] = [
  'rgb24',
  'gray8',
  'gray16',
  'y16_ck',
  'z16_mm',
  'celsius_f32',
  'jpeg',
  'png',
];
const BYTES_PER_VALUE: Readonly<Record<FrameFormat, 1 | 2 | 4>> = {
  rgb24: 1,
  gray8: 1,
  gray16: 2,
  y16_ck: 2,
  z16_mm: 2,
  celsius_f32: 4,
  jpeg: 1,
  png: 1,
};

function typedData(format: FrameFormat, bytes: Uint8Array): Frame['data'] {
  const size = BYTES_PER_VALUE[format];
  if (bytes.length % size !== 0)
    throw new Error(`${bytes.length} data bytes do not hold ${size}-byte values`);
  if (size === 1) return bytes;
  const le = fromLittleEndian(bytes, size);
  return size === 2
    ? new Uint16Array(le.buffer, le.byteOffset, le.length / 2)
    : new Float32Array(le.buffer, le.byteOffset, le.length / 4);
}

/** A frame bindsight wrote: the `bindsight` member gives the exact Frame. */
function ownFrame(o: Json, ext: Json, target: DecodeTarget, t: bigint): Frame {
  const format = field(
    ext,
    'format',
    (v): v is FrameFormat => FRAME_FORMATS.includes(v as FrameFormat),
    'a Frame format',
  );
  const width = field(ext, 'width', isCount, 'a pixel count');
  const height = field(ext, 'height', isCount, 'a pixel count');
  const data = typedData(format, decodeBase64(o, 'data'));
  const raw = format !== 'jpeg' && format !== 'png';
  if (raw && data.length !== width * height * (format === 'rgb24' ? 3 : 1)) {
    throw new Error(`${data.length} values for a ${width}×${height} ${format} frame`);
  }
  const frame: Frame = { kind: 'frame', ...origin(target, t), width, height, format, data };
  const meta = decodeMeta(ext.meta);
  if (meta !== undefined) frame.meta = meta;
  return frame;
}

function ownWindow(o: Json, target: DecodeTarget, t: bigint): Window {
  const rate = field(o, 'rate', isPositive, 'a positive number');
  const channels = field(o, 'channels', (v): v is number => isCount(v) && v > 0, 'a channel count');
  if (o.layout !== 'channel-major' || o.dtype !== 'float32le') {
    throw new Error(
      `layout "${String(o.layout)}" / dtype "${String(o.dtype)}" not supported; expected channel-major float32le`,
    );
  }
  const bytes = decodeBase64(o, 'data');
  if (bytes.length === 0 || bytes.length % (4 * channels) !== 0) {
    throw new Error(`${bytes.length} data bytes do not hold float32 samples for ${channels} channels`);
  }
  const data = new Float32Array(fromLittleEndian(bytes, 4).buffer, 0, bytes.length / 4);
  const window: Window = { kind: 'window', ...origin(target, t), rate, channels, data };
  const meta = decodeMeta(o.meta);
  if (meta !== undefined) window.meta = meta;
  return window;
}

/** A json foxglove.RawImage from another tool → a Frame, by RAW_CONVERSIONS. */
function foreignRaw(o: Json, target: DecodeTarget, t: bigint): Frame {
  const width = field(o, 'width', isCount, 'a pixel count');
  const height = field(o, 'height', isCount, 'a pixel count');
  const encoding = field(o, 'encoding', isString, 'a string');
  const conv = RAW_CONVERSIONS[encoding];
  const pick = conv?.[target.modality];
  if (conv === undefined || pick === undefined) {
    const ok = Object.entries(RAW_CONVERSIONS)
      .filter(([, c]) => c[target.modality] !== undefined)
      .map(([e]) => e);
    throw new Error(
      `RawImage encoding "${encoding}" cannot be replayed as ${target.modality}; supported: ${ok.join(', ')}`,
    );
  }
  const bytes = decodeBase64(o, 'data');
  const rowBytes = width * conv.bytesPerPixel;
  const step = o.step === undefined ? rowBytes : field(o, 'step', isCount, 'a byte count');
  if (step < rowBytes || bytes.length < step * (height - 1) + rowBytes) {
    throw new Error(
      `${bytes.length} data bytes (step ${step}) are too few for ${width}×${height} ${encoding}`,
    );
  }
  const rows = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) rows.set(bytes.subarray(y * step, y * step + rowBytes), y * rowBytes);
  const [format, data] = pick(rows, width * height);
  return {
    kind: 'frame',
    ...origin(target, t),
    width,
    height,
    format,
    data,
    meta: { ...target.foreignMeta },
  };
}

type Converter = (rows: Uint8Array, pixels: number) => [FrameFormat, Frame['data']];

/** Keeps `order` of each `stride`-byte pixel: [0,1,2] of rgba, [2,1,0] of bgr. */
function toRgb(stride: number, order: readonly [number, number, number]): Converter {
  return (rows, pixels) => {
    const out = new Uint8Array(pixels * 3);
    for (let i = 0; i < pixels; i++) {
      for (let c = 0; c < 3; c++) out[i * 3 + c] = rows[i * stride + order[c]];
    }
    return ['rgb24', out];
  };
}
const asIs =
  (format: FrameFormat): Converter =>
  (rows) => [format, typedData(format, rows)];
/** Metres (ROS 32FC1 depth) → millimetres; NaN, ≤ 0 and beyond 65.535 m become 0 (invalid). */
const metresToMm: Converter = (rows) => {
  const m = new Float32Array(fromLittleEndian(rows, 4).buffer, 0, rows.length / 4);
  const mm = new Uint16Array(m.length);
  for (let i = 0; i < m.length; i++) {
    const v = Math.round(m[i] * 1000);
    mm[i] = v > 0 && v <= 65535 ? v : 0;
  }
  return ['z16_mm', mm];
};

interface RawConversion extends Partial<Record<SensorModality, Converter>> {
  bytesPerPixel: number;
}

const RAW_CONVERSIONS: Readonly<Record<string, RawConversion>> = {
  rgb8: { bytesPerPixel: 3, vision: asIs('rgb24'), thermal: asIs('rgb24') },
  bgr8: { bytesPerPixel: 3, vision: toRgb(3, [2, 1, 0]), thermal: toRgb(3, [2, 1, 0]) },
  '8UC3': { bytesPerPixel: 3, vision: toRgb(3, [2, 1, 0]), thermal: toRgb(3, [2, 1, 0]) },
  rgba8: { bytesPerPixel: 4, vision: toRgb(4, [0, 1, 2]), thermal: toRgb(4, [0, 1, 2]) },
  bgra8: { bytesPerPixel: 4, vision: toRgb(4, [2, 1, 0]), thermal: toRgb(4, [2, 1, 0]) },
  mono8: { bytesPerPixel: 1, vision: asIs('gray8'), thermal: asIs('gray8') },
  '8UC1': { bytesPerPixel: 1, vision: asIs('gray8'), thermal: asIs('gray8') },
  mono16: { bytesPerPixel: 2, thermal: asIs('gray16'), depth: asIs('z16_mm') },
  '16UC1': { bytesPerPixel: 2, thermal: asIs('gray16'), depth: asIs('z16_mm') },
  '32FC1': { bytesPerPixel: 4, thermal: asIs('celsius_f32'), depth: metresToMm },
};

async function foreignCompressed(o: Json, target: DecodeTarget, t: bigint, topic: string): Promise<Frame> {
  const format = field(o, 'format', isString, 'a string').toLowerCase();
  if (!['jpeg', 'jpg', 'png'].includes(format)) {
    throw new Error(`CompressedImage format "${format}" cannot be replayed; supported: jpeg, png`);
  }
  const data = decodeBase64(o, 'data');
  const header = await readImageHeader(data, `topic "${topic}"`);
  const { width, height } = header;
  const meta = { ...target.foreignMeta };
  return { kind: 'frame', ...origin(target, t), width, height, format: header.format, data, meta };
}

/** The names of the schemas this decoder turns into Samples. */
export const SUPPORTED_SCHEMAS: readonly string[] = [SCHEMA.compressedImage, SCHEMA.rawImage, SCHEMA.window];

/** Why a channel cannot be replayed, or undefined if its messages can be decoded. */
export function channelProblem(schemaName: string, messageEncoding: string): string | undefined {
  if (!SUPPORTED_SCHEMAS.includes(schemaName)) {
    return `schema "${schemaName || '(none)'}" is not supported; bindsight replays ${SUPPORTED_SCHEMAS.join(', ')}`;
  }
  if (messageEncoding !== MESSAGE_ENCODING) {
    return `message encoding "${messageEncoding}" is not supported; bindsight replays ${schemaName} in "${MESSAGE_ENCODING}"`;
  }
  return undefined;
}

/** Decodes one message. Rejects FILE_INVALID (naming the topic, time and reason) if it cannot. */
export async function decodeMessage(msg: McapMessageIn, target: DecodeTarget): Promise<Sample> {
  const problem = channelProblem(msg.schemaName, msg.messageEncoding);
  if (problem !== undefined) throw invalid(msg, problem);
  let o: unknown;
  try {
    o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(msg.data));
  } catch (err) {
    throw invalid(msg, `not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isJson(o)) throw invalid(msg, 'the JSON body is not an object');
  const t = timestampNs(o) ?? msg.logTime;
  try {
    if (msg.schemaName === SCHEMA.window) return ownWindow(o, target, t);
    if (isJson(o.bindsight)) return ownFrame(o, o.bindsight, target, t);
    if (msg.schemaName === SCHEMA.rawImage) return foreignRaw(o, target, t);
    return await foreignCompressed(o, target, t, msg.topic);
  } catch (err) {
    if (err instanceof BindsightError) throw invalid(msg, err.message);
    throw invalid(msg, err instanceof Error ? err.message : String(err));
  }
}
