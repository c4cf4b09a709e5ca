/**
 * MCAP message codec: every Sample survives encode → decode exactly; foreign foxglove images
 * (no `bindsight` member) become the Frames the table in mcapDecode.ts promises; a message that
 * cannot become a Sample is FILE_INVALID naming topic, time and reason.
 */
import t from 'tap';
import { channelProblem, type DecodeTarget, decodeMessage } from '../../../drivers/replay/mcapDecode.js';
import { encodeSample } from '../../../drivers/replay/mcapEncode.js';
import { SCHEMA } from '../../../drivers/replay/mcapSchemas.js';
import type { Frame, Sample, SensorModality } from '../../../drivers/types.js';
import { rgbImage } from './fixtures.js';
import { everyFormat, foxTime, sameSample, T0 } from './mcapFixtures.js';

const target = (sensor: string, modality: SensorModality): DecodeTarget => ({
  sensor,
  modality,
  foreignMeta: { file: 'f.mcap' },
});

function decodeJson(
  schemaName: string,
  modality: SensorModality,
  body: unknown,
  logTime = T0,
): Promise<Sample> {
  const data = new TextEncoder().encode(JSON.stringify(body));
  return decodeMessage(
    { schemaName, messageEncoding: 'json', topic: 'cam', logTime, data },
    target('s0', modality),
  );
}

t.test('every Frame format and both Window kinds round-trip exactly', async (t) => {
  const samples = everyFormat(await rgbImage(4, 4, 'png'), await rgbImage(16, 12, 'jpeg'));
  for (const s of samples) {
    const { schema, data } = encodeSample(s);
    const back = await decodeMessage(
      { schemaName: schema, messageEncoding: 'json', topic: s.sensor, logTime: 1n, data },
      target(s.sensor, s.modality),
    );
    sameSample(t, back, s);
  }
});

t.test('frames use the Foxglove schemas and encodings Foxglove shows', async (t) => {
  const [rgb, gray, f32, g16] = everyFormat(new Uint8Array(1), new Uint8Array(1));
  const body = (s: Sample) => JSON.parse(new TextDecoder().decode(encodeSample(s).data));
  t.equal(encodeSample(rgb).schema, SCHEMA.rawImage);
  t.match(body(rgb), {
    encoding: 'rgb8',
    step: 6,
    width: 2,
    height: 2,
    frame_id: 'cam0',
    timestamp: foxTime(T0),
  });
  t.match(body(gray), { encoding: 'mono8', step: 3 });
  t.match(body(f32), {
    encoding: '32FC1',
    step: 12,
    bindsight: { format: 'celsius_f32', modality: 'thermal' },
  });
  t.match(body(g16), { encoding: 'mono16', step: 4, bindsight: { format: 'gray16' } });
  const png: Frame = { ...(rgb as Frame), format: 'png', data: Uint8Array.from([1, 2, 3]) };
  t.equal(encodeSample(png).schema, SCHEMA.compressedImage);
  t.match(body(png), { format: 'png', data: 'AQID' });
});

t.test('foreign RawImage: rgb8 with row padding, bgr8, bgra8, mono16 depth, 32FC1 metres', async (t) => {
  const rows = Buffer.from([1, 2, 3, 4, 5, 6, 99, 99, 7, 8, 9, 10, 11, 12, 99, 99]); // 2×2 rgb8, step 8
  const base = { timestamp: foxTime(T0 + 10n), frame_id: 'x', width: 2, height: 2 };
  const rgb = await decodeJson(SCHEMA.rawImage, 'vision', {
    ...base,
    encoding: 'rgb8',
    step: 8,
    data: rows.toString('base64'),
  });
  t.match(rgb, { kind: 'frame', sensor: 's0', format: 'rgb24', t: T0 + 10n, meta: { file: 'f.mcap' } });
  t.same([...rgb.data], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const bgr = await decodeJson(SCHEMA.rawImage, 'vision', {
    ...base,
    height: 1,
    encoding: 'bgr8',
    step: 6,
    data: Buffer.from([3, 2, 1, 6, 5, 4]).toString('base64'),
  });
  t.same([...bgr.data], [1, 2, 3, 4, 5, 6]);
  const bgra = await decodeJson(SCHEMA.rawImage, 'thermal', {
    ...base,
    width: 1,
    height: 1,
    encoding: 'bgra8',
    data: Buffer.from([3, 2, 1, 255]).toString('base64'),
  });
  t.same([...bgra.data], [1, 2, 3]);
  const mm = Buffer.alloc(4);
  mm.writeUInt16LE(1500, 0);
  mm.writeUInt16LE(0, 2);
  const depth = await decodeJson(SCHEMA.rawImage, 'depth', {
    ...base,
    height: 1,
    encoding: '16UC1',
    step: 4,
    data: mm.toString('base64'),
  });
  t.match(depth, { format: 'z16_mm' });
  t.same([...depth.data], [1500, 0]);
  const metres = Buffer.alloc(8);
  metres.writeFloatLE(1.25, 0);
  metres.writeFloatLE(Number.NaN, 4);
  const fromMetres = await decodeJson(SCHEMA.rawImage, 'depth', {
    ...base,
    height: 1,
    encoding: '32FC1',
    data: metres.toString('base64'),
  });
  t.same([...fromMetres.data], [1250, 0], 'metres → mm, NaN → 0 (invalid)');
  t.same(fromMetres.data.constructor, Uint16Array);
});

t.test('foreign CompressedImage: size read from the image, t from timestamp else log time', async (t) => {
  const jpeg = await rgbImage(16, 12, 'jpeg');
  const frame = await decodeJson(SCHEMA.compressedImage, 'vision', {
    timestamp: foxTime(T0 + 3n),
    frame_id: 'c',
    format: 'jpg',
    data: jpeg.toString('base64'),
  });
  t.match(frame, { format: 'jpeg', width: 16, height: 12, t: T0 + 3n });
  const noStamp = await decodeJson(
    SCHEMA.compressedImage,
    'vision',
    { format: 'jpeg', data: jpeg.toString('base64') },
    42n,
  );
  t.equal(noStamp.t, 42n);
});

t.test('undecodable messages are FILE_INVALID naming topic, time and reason', async (t) => {
  const bad = (schema: string, modality: SensorModality, body: unknown) =>
    decodeJson(schema, modality, body, 77n);
  await t.rejects(bad(SCHEMA.rawImage, 'vision', { width: 2, height: 2, encoding: 'yuyv', data: '' }), {
    code: 'FILE_INVALID',
    message:
      /topic "cam" at log time 77 ns: RawImage encoding "yuyv" cannot be replayed as vision; supported: rgb8, bgr8/,
  });
  await t.rejects(bad(SCHEMA.rawImage, 'vision', { width: 2, height: 2, encoding: 'mono16', data: '' }), {
    message: /"mono16" cannot be replayed as vision/,
  });
  await t.rejects(bad(SCHEMA.rawImage, 'vision', { width: 4, height: 4, encoding: 'rgb8', data: 'AAAA' }), {
    message: /too few for 4×4 rgb8/,
  });
  await t.rejects(bad(SCHEMA.compressedImage, 'vision', { format: 'webp', data: 'AAAA' }), {
    message: /"webp" cannot be replayed/,
  });
  await t.rejects(
    bad(SCHEMA.window, 'imu', {
      rate: 100,
      channels: 6,
      layout: 'channel-major',
      dtype: 'float32le',
      data: 'AAAA',
    }),
    {
      message: /3 data bytes do not hold float32 samples for 6 channels/,
    },
  );
  await t.rejects(bad(SCHEMA.window, 'imu', { rate: -1, channels: 6 }), {
    message: /field "rate" is not a positive number/,
  });
  const notJson = decodeMessage(
    {
      schemaName: SCHEMA.window,
      messageEncoding: 'json',
      topic: 'imu',
      logTime: 1n,
      data: Uint8Array.from([123, 0xff]),
    },
    target('s0', 'imu'),
  );
  await t.rejects(notJson, { code: 'FILE_INVALID', message: /not JSON/ });
});

t.test('channelProblem names unsupported schemas and encodings', async (t) => {
  t.equal(channelProblem(SCHEMA.rawImage, 'json'), undefined);
  t.match(
    channelProblem('sensor_msgs/msg/Image', 'cdr'),
    /schema "sensor_msgs\/msg\/Image" is not supported; bindsight replays foxglove.CompressedImage/,
  );
  t.match(channelProblem(SCHEMA.rawImage, 'protobuf'), /message encoding "protobuf" is not supported/);
});
