/**
 * Sample → MCAP message body (JSON, see mcapSchemas.ts). Lossless: the bytes of every data array,
 * the capture time to the nanosecond and the meta all come back unchanged through mcapDecode.ts.
 * Typed arrays are written little-endian; on a big-endian host the bytes are swapped first.
 */
import { endianness } from 'node:os';
import type { Frame, FrameFormat, Sample, Window } from '../types.js';
import {
  type CompressedImageMessage,
  type FoxgloveTime,
  type FrameExtension,
  type MetaValue,
  type RawImageMessage,
  SCHEMA,
  type SchemaName,
  type WindowMessage,
} from './mcapSchemas.js';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const NS_PER_S = 1_000_000_000n;

/** Foxglove RawImage encoding and bytes per pixel of each raw Frame format. */
export const RAW_ENCODINGS: Readonly<Record<Exclude<FrameFormat, 'jpeg' | 'png'>, [string, number]>> = {
  rgb24: ['rgb8', 3],
  gray8: ['mono8', 1],
  gray16: ['mono16', 2],
  y16_ck: ['mono16', 2],
  z16_mm: ['mono16', 2],
  celsius_f32: ['32FC1', 4],
};

export interface EncodedSample {
  schema: SchemaName;
  data: Uint8Array;
}

export function toFoxgloveTime(t: bigint): FoxgloveTime {
  return { sec: Number(t / NS_PER_S), nsec: Number(t % NS_PER_S) };
}

/** The bytes of a typed array in little-endian order (a view, not a copy, on little-endian hosts). */
export function littleEndianBytes(data: Uint8Array | Uint16Array | Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST || data.BYTES_PER_ELEMENT === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size) {
    for (let j = 0; j < size; j++) swapped[i + j] = bytes[i + size - 1 - j];
  }
  return swapped;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function encodeMeta(meta: Sample['meta']): Record<string, MetaValue> | undefined {
  if (meta === undefined) return undefined;
  const out: Record<string, MetaValue> = {};
  for (const [key, value] of Object.entries(meta)) {
    out[key] = typeof value === 'number' && !Number.isFinite(value) ? { number: String(value) } : value;
  }
  return out;
}

function extension(frame: Frame): FrameExtension {
  const ext: FrameExtension = {
    sensor: frame.sensor,
    modality: frame.modality,
    format: frame.format,
    width: frame.width,
    height: frame.height,
  };
  const meta = encodeMeta(frame.meta);
  if (meta !== undefined) ext.meta = meta;
  return ext;
}

function encodeFrame(frame: Frame): EncodedSample {
  const timestamp = toFoxgloveTime(frame.t);
  const data = base64(littleEndianBytes(frame.data));
  if (frame.format === 'jpeg' || frame.format === 'png') {
    const msg: CompressedImageMessage = {
      timestamp,
      frame_id: frame.sensor,
      data,
      format: frame.format,
      bindsight: extension(frame),
    };
    return { schema: SCHEMA.compressedImage, data: json(msg) };
  }
  const [encoding, bytesPerPixel] = RAW_ENCODINGS[frame.format];
  const msg: RawImageMessage = {
    timestamp,
    frame_id: frame.sensor,
    width: frame.width,
    height: frame.height,
    encoding,
    step: frame.width * bytesPerPixel,
    data,
    bindsight: extension(frame),
  };
  return { schema: SCHEMA.rawImage, data: json(msg) };
}

function encodeWindow(window: Window): EncodedSample {
  const msg: WindowMessage = {
    timestamp: toFoxgloveTime(window.t),
    sensor: window.sensor,
    modality: window.modality,
    rate: window.rate,
    channels: window.channels,
    layout: 'channel-major',
    dtype: 'float32le',
    data: base64(littleEndianBytes(window.data)),
  };
  const meta = encodeMeta(window.meta);
  if (meta !== undefined) msg.meta = meta;
  return { schema: SCHEMA.window, data: json(msg) };
}

function json(value: object): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** The schema and JSON body that record `sample`. */
export function encodeSample(sample: Sample): EncodedSample {
  return sample.kind === 'frame' ? encodeFrame(sample) : encodeWindow(sample);
}

/** The schema a sample of this kind and format is written with (for registering a channel). */
export function schemaFor(sample: Sample): SchemaName {
  if (sample.kind === 'window') return SCHEMA.window;
  return sample.format === 'jpeg' || sample.format === 'png' ? SCHEMA.compressedImage : SCHEMA.rawImage;
}
