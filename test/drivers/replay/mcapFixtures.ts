/**
 * MCAP test material: Samples of every Frame format and both Window kinds, a writer for
 * bindsight's own files (the real McapRecorder), a writer for "foreign" files made with
 * @mcap/core's McapWriter directly (as another tool would: Foxglove schemas, no bindsight
 * members), and an exact Sample comparison (bytes, array type, bigint t, meta).
 */
import { open } from 'node:fs/promises';
import { McapWriter } from '@mcap/core';
import { FileHandleWritable } from '@mcap/nodejs';
import type { Test } from 'tap';
import type { Frame, Sample, Window } from '../../../drivers/types.js';
import { McapRecorder } from '../../../src/record/writer.js';

export const T0 = 1_700_000_000_123_456_789n;

function frame(
  sensor: string,
  modality: Frame['modality'],
  t: bigint,
  fields: Pick<Frame, 'width' | 'height' | 'format' | 'data'>,
  meta?: Frame['meta'],
): Frame {
  const f: Frame = { kind: 'frame', sensor, modality, t, ...fields };
  if (meta !== undefined) f.meta = meta;
  return f;
}

/** One Sample of every Frame format and two Windows, with awkward values (NaN, -0, 65535). */
export function everyFormat(png: Uint8Array, jpeg: Uint8Array): Sample[] {
  const f32 = Float32Array.from([21.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e-38, 36.6]);
  const audio: Window = {
    kind: 'window',
    sensor: 'mic0',
    modality: 'audio',
    t: T0 + 5n,
    rate: 16000,
    channels: 2,
    data: Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) / 3),
    meta: { file: 'a.wav' },
  };
  const imu: Window = {
    kind: 'window',
    sensor: 'imu0',
    modality: 'imu',
    t: T0 + 7n,
    rate: 100.00000000000001,
    channels: 6,
    data: Float32Array.from({ length: 60 }, (_, i) => i * 0.1 - 3),
    meta: { t0_ms: 12.5, file: 'i.csv', odd: Number.NaN },
  };
  return [
    frame(
      'cam0',
      'vision',
      T0,
      { width: 2, height: 2, format: 'rgb24', data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) },
      { file: 'x.png' },
    ),
    frame('cam1', 'vision', T0 + 1n, {
      width: 3,
      height: 1,
      format: 'gray8',
      data: Uint8Array.from([0, 128, 255]),
    }),
    frame('th0', 'thermal', T0 + 2n, { width: 3, height: 2, format: 'celsius_f32', data: f32 }),
    frame('th1', 'thermal', T0 + 3n, {
      width: 2,
      height: 1,
      format: 'gray16',
      data: Uint16Array.from([1, 65535]),
    }),
    frame('th2', 'thermal', T0 + 4n, {
      width: 2,
      height: 1,
      format: 'y16_ck',
      data: Uint16Array.from([29815, 31000]),
    }),
    frame(
      'd0',
      'depth',
      T0 + 6n,
      { width: 2, height: 2, format: 'z16_mm', data: Uint16Array.from([0, 1200, 65535, 7]) },
      { baseline_m: 0.05, focal_px: 380.25 },
    ),
    frame('cam2', 'vision', T0 + 8n, { width: 4, height: 4, format: 'png', data: new Uint8Array(png) }),
    frame('cam3', 'vision', T0 + 9n, { width: 16, height: 12, format: 'jpeg', data: new Uint8Array(jpeg) }),
    audio,
    imu,
  ];
}

/** Records `samples` with bindsight's own recorder. */
export async function writeOwn(path: string, samples: readonly Sample[], chunkSize?: number): Promise<void> {
  const recorder = await McapRecorder.create({ file: path, chunkSize });
  for (const s of samples) {
    await recorder.room();
    recorder.write(s);
  }
  await recorder.close();
}

export interface ForeignMessage {
  topic: string;
  schema: string;
  logTime: bigint;
  body: Record<string, unknown>;
  encoding?: string;
}

/** An MCAP file as another tool writes it: @mcap/core's writer, uncompressed chunks (or none), Foxglove schema names. */
export async function writeForeign(
  path: string,
  messages: readonly ForeignMessage[],
  useChunks = true,
): Promise<void> {
  const handle = await open(path, 'w');
  const writer = new McapWriter({ writable: new FileHandleWritable(handle), useChunks });
  await writer.start({ profile: '', library: 'some-other-tool 1.0' });
  const schemas = new Map<string, number>();
  const channels = new Map<string, number>();
  let sequence = 0;
  for (const m of messages) {
    let schemaId = schemas.get(m.schema);
    if (schemaId === undefined) {
      schemaId = await writer.registerSchema({
        name: m.schema,
        encoding: 'jsonschema',
        data: new TextEncoder().encode('{}'),
      });
      schemas.set(m.schema, schemaId);
    }
    let channelId = channels.get(m.topic);
    if (channelId === undefined) {
      channelId = await writer.registerChannel({
        schemaId,
        topic: m.topic,
        messageEncoding: m.encoding ?? 'json',
        metadata: new Map(),
      });
      channels.set(m.topic, channelId);
    }
    const data = new TextEncoder().encode(JSON.stringify(m.body));
    await writer.addMessage({
      channelId,
      sequence: sequence++,
      logTime: m.logTime,
      publishTime: m.logTime,
      data,
    });
  }
  await writer.end();
  await handle.close();
}

export function foxTime(t: bigint): { sec: number; nsec: number } {
  return { sec: Number(t / 1_000_000_000n), nsec: Number(t % 1_000_000_000n) };
}

function bytesOf(data: Sample['data']): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Fails unless `got` is `want` exactly (sensor renamed to `sensor` when given). */
export function sameSample(t: Test, got: Sample | undefined, want: Sample, sensor = want.sensor): void {
  if (got === undefined) {
    t.fail(`missing sample for ${want.sensor} at ${want.t}`);
    return;
  }
  const { data: gotData, ...gotRest } = got;
  const { data: wantData, ...wantRest } = want;
  t.same(gotRest, { ...wantRest, sensor }, `${want.sensor}: fields`);
  t.equal(gotData.constructor.name, wantData.constructor.name, `${want.sensor}: array type`);
  t.ok(bytesOf(gotData).equals(bytesOf(wantData)), `${want.sensor}: data bytes`);
}
