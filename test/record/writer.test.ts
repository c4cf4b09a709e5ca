/**
 * McapRecorder: an indexed, zstd-chunked MCAP file that other readers (@mcap/core's indexed
 * reader) understand; one channel per sensor and schema with bindsight metadata; a bounded queue
 * whose drops are counted; close() idempotent; a file it cannot create is RECORD_FAILED.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import t from 'tap';
import { decompressHandlers } from '../../drivers/replay/mcapCompression.js';
import type { Frame } from '../../drivers/types.js';
import { McapRecorder } from '../../src/record/writer.js';
import { T0 } from '../drivers/replay/mcapFixtures.js';

function frame(i: number, format: Frame['format'] = 'celsius_f32'): Frame {
  const data =
    format === 'celsius_f32' ? Float32Array.from([i, i + 1]) : Uint8Array.from([0xff, 0xd8, 0xff, i]);
  return {
    kind: 'frame',
    sensor: 'th0',
    modality: 'thermal',
    t: T0 + BigInt(i) * 1000n,
    width: 2,
    height: 1,
    format,
    data,
  };
}

async function indexed(file: string) {
  const handle = await open(file, 'r');
  const reader = await McapIndexedReader.Initialize({
    readable: new FileHandleReadable(handle),
    decompressHandlers: await decompressHandlers(),
  });
  const messages = [];
  for await (const m of reader.readMessages()) messages.push(m);
  const metadata = [];
  for await (const m of reader.readMetadata()) metadata.push(m);
  await handle.close();
  return { reader, messages, metadata };
}

t.test('an indexed file with one channel per sensor and schema, log time = capture time', async (t) => {
  const file = join(t.testdir({}), 'r.mcap');
  const recorder = await McapRecorder.create({ file, metadata: { config: 'x.yaml' } });
  recorder.write(frame(0));
  recorder.write(frame(1, 'jpeg')); // same sensor, another schema
  recorder.write(frame(2));
  const stats = await recorder.close();
  t.match(stats, {
    messages: 3,
    dropped: 0,
    pending: 0,
    compression: 'zstd',
    sensors: { th0: { messages: 3, firstT: T0, lastT: T0 + 2000n } },
  });
  t.ok(stats.fileBytes > 0);
  t.same(await recorder.close(), stats, 'close() again returns the same');
  const { reader, messages, metadata } = await indexed(file);
  const channels = [...reader.channelsById.values()];
  t.same(
    channels.map((c) => [
      c.topic,
      reader.schemasById.get(c.schemaId)?.name,
      c.messageEncoding,
      Object.fromEntries(c.metadata),
    ]),
    [
      ['th0', 'foxglove.RawImage', 'json', { 'bindsight.sensor': 'th0', 'bindsight.modality': 'thermal' }],
      [
        'th0',
        'foxglove.CompressedImage',
        'json',
        { 'bindsight.sensor': 'th0', 'bindsight.modality': 'thermal' },
      ],
    ],
  );
  t.same(reader.schemasById.get(channels[0].schemaId)?.encoding, 'jsonschema');
  t.same(
    messages.map((m) => [m.logTime, m.publishTime]),
    [0n, 1000n, 2000n].map((d) => [T0 + d, T0 + d]),
  );
  t.same(
    messages.map((m) => m.sequence),
    [0, 0, 1],
    'sequence counts per channel',
  );
  t.same(
    reader.chunkIndexes.map((c) => c.compression),
    ['zstd'],
  );
  t.match(metadata, [{ name: 'bindsight', metadata: new Map([['config', 'x.yaml']]) }]);
});

t.test(
  'a full queue drops the oldest waiting sample and counts it; later writes are counted too',
  async (t) => {
    const file = join(t.testdir({}), 'r.mcap');
    const recorder = await McapRecorder.create({ file, maxPending: 2 });
    // The first write starts the drain (taking that sample); of the next nine, two fit the queue.
    for (let i = 0; i < 10; i++) recorder.write(frame(i));
    const stats = await recorder.close();
    t.match(stats, { messages: 3, dropped: 7 });
    recorder.write(frame(11));
    t.equal(recorder.stats().dropped, 8, 'a write after close() is a counted drop');
    const { messages } = await indexed(file);
    t.same(
      messages.map((m) => (m.logTime - T0) / 1000n),
      [0n, 8n, 9n],
      'the newest samples are kept',
    );
  },
);

t.test('room() holds a producer back instead of dropping', async (t) => {
  const file = join(t.testdir({}), 'r.mcap');
  const recorder = await McapRecorder.create({ file, maxPending: 2 });
  for (let i = 0; i < 50; i++) {
    await recorder.room();
    recorder.write(frame(i));
  }
  t.match(await recorder.close(), { messages: 50, dropped: 0 });
});

t.test('a file that cannot be created is RECORD_FAILED naming it', async (t) => {
  const file = join(t.testdir({}), 'no', 'such', 'dir', 'r.mcap');
  await t.rejects(McapRecorder.create({ file }), {
    code: 'RECORD_FAILED',
    message: /cannot create the recording .*r\.mcap: ENOENT/,
  });
});
