/**
 * The WitMotion parser with byte vectors (style.md §2): split packets, two in one chunk, garbage
 * before the header, a bad checksum, a truncated packet, and the real WT901BLECL capture.
 */
import t from 'tap';
import {
  CLASSIC_TYPES,
  encodeBle,
  encodeClassic,
  type WitPacket,
} from '../../../../drivers/imu/witmotion/frame.js';
import {
  type ParserFault,
  type ParserFormat,
  WitMotionParser,
} from '../../../../drivers/imu/witmotion/parser.js';
import { parseHexBytes } from '../../../../drivers/serial/hex.js';
import { vectorCsv, vectorText } from '../vectors.js';

interface Run {
  packets: WitPacket[];
  faults: ParserFault[];
  parser: WitMotionParser;
}

async function feed(chunks: Uint8Array[], format: ParserFormat = 'auto', end = true): Promise<Run> {
  const faults: ParserFault[] = [];
  const parser = new WitMotionParser({ format, onFault: (f) => faults.push(f) });
  const packets: WitPacket[] = [];
  parser.on('data', (p: WitPacket) => packets.push(p));
  for (const c of chunks) parser.write(Buffer.from(c));
  if (end) {
    parser.end();
    await new Promise((resolve) => parser.on('end', resolve));
  } else await new Promise((resolve) => setImmediate(resolve));
  return { packets, faults, parser };
}

const accel = encodeClassic(CLASSIC_TYPES.accel, [0, 0, 2048, 2500]);
const gyro = encodeClassic(CLASSIC_TYPES.gyro, [164, 0, -164, 0]);
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

t.test('a packet split across chunks, byte by byte', async (t) => {
  const bytes = cat(accel, gyro);
  const run = await feed(Array.from(bytes, (b) => Uint8Array.of(b)));
  t.same(
    run.packets.map((p) => p.kind),
    ['accel', 'gyro'],
  );
  t.same(run.faults, []);
});

t.test('two packets in one chunk', async (t) => {
  const run = await feed([cat(accel, gyro)]);
  t.equal(run.packets.length, 2);
  t.same(run.parser.stats(), { packets: 2, checksumErrors: 0, resyncs: 0, truncated: 0, skippedBytes: 0 });
});

t.test(
  'garbage before the first header is skipped without a fault; garbage between packets is one resync',
  async (t) => {
    // 0x55 0x13 is no packet type; the last byte is not 0x55 (0x55 0x55 would start a 0x55 "port" packet)
    const garbage = Uint8Array.from([0x00, 0x55, 0x13, 0xff, 0x42]);
    const run = await feed([cat(garbage, accel, garbage, gyro)]);
    t.same(
      run.packets.map((p) => p.kind),
      ['accel', 'gyro'],
    );
    t.equal(run.faults.length, 1, 'one resync, after the first packet');
    t.match(run.faults[0], { kind: 'garbage', bytes: 5 });
    t.match(run.parser.stats(), { resyncs: 1, skippedBytes: 10 });
  },
);

t.test('a bad checksum drops that packet only, counted once', async (t) => {
  const bad = Uint8Array.from(gyro);
  bad[4] ^= 0x01;
  const run = await feed([cat(accel, bad, accel, gyro)]);
  t.same(
    run.packets.map((p) => p.kind),
    ['accel', 'accel', 'gyro'],
  );
  t.same(
    run.faults.map((f) => f.kind),
    ['checksum'],
  );
  t.match(run.parser.stats(), { checksumErrors: 1, resyncs: 0 });
});

t.test('a truncated classic packet followed by a good one: the good one survives', async (t) => {
  const run = await feed([cat(accel, gyro.subarray(0, 6), accel, gyro)]);
  t.same(
    run.packets.map((p) => p.kind),
    ['accel', 'accel', 'gyro'],
  );
  t.equal(run.parser.stats().checksumErrors, 1, 'the cut packet fails its checksum');
});

t.test('a BLE packet cut short by a new header is skipped (no checksum to catch it)', async (t) => {
  const a = encodeBle([1, 2, 2048, 0, 0, 0, 0, 0, 0]);
  const b = encodeBle([3, 4, 2048, 0, 0, 0, 0, 0, 0]);
  const run = await feed([cat(a, a.subarray(0, 4), b, a)]);
  t.same(
    run.packets.map((p) => (p.kind === 'combined' ? p.raw[0] : -1)),
    [1, 3, 1],
  );
  t.match(run.parser.stats(), { truncated: 1, resyncs: 0 });
});

t.test('BLE packets wait for the next header before they are emitted', async (t) => {
  const a = encodeBle([1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const live = await feed([a], 'auto', false);
  t.equal(live.packets.length, 0, 'unconfirmed while the stream is open');
  live.parser.write(Buffer.from(a.subarray(0, 2)));
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(live.packets.length, 1, 'confirmed by the next header');
  live.parser.destroy();
});

t.test('format classic ignores BLE packets; format ble ignores classic ones', async (t) => {
  const ble = encodeBle([1, 0, 2048, 0, 0, 0, 0, 0, 0]);
  const classicOnly = await feed([cat(accel, ble, gyro)], 'classic');
  t.same(
    classicOnly.packets.map((p) => p.kind),
    ['accel', 'gyro'],
  );
  const bleOnly = await feed([cat(ble, accel, ble, ble)], 'ble');
  t.same(
    bleOnly.packets.map((p) => p.kind),
    ['combined', 'combined', 'combined'],
  );
});

t.test('a stream of pure noise produces no packet and stays bounded', async (t) => {
  const noise = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 37 + 11) & 0xff);
  const run = await feed([noise]);
  t.equal(run.packets.length, 0);
  t.equal(run.parser.stats().skippedBytes, 10_000);
});

t.test('the real WT901BLECL capture: the six complete packets, resynchronised twice', async (t) => {
  const bytes = parseHexBytes(vectorText('witmotion', 'wt901blecl_usb_capture_issue50.hex'));
  t.equal(bytes.length, 138);
  const expected = vectorCsv('witmotion', 'wt901blecl_usb_capture_issue50_decoded.csv');
  for (const chunking of [1, 7, 20, 138]) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += chunking) chunks.push(bytes.subarray(i, i + chunking));
    const run = await feed(chunks);
    t.same(
      run.packets.map((p) => (p.kind === 'combined' ? p.raw : [])),
      expected.map((r) =>
        ['ax', 'ay', 'az', 'wx', 'wy', 'wz', 'roll', 'pitch', 'yaw'].map((n) => Number(r[`${n}_raw`])),
      ),
      `chunks of ${chunking}`,
    );
    t.match(
      run.parser.stats(),
      { packets: 6, truncated: 2, checksumErrors: 0, resyncs: 0 },
      `stats, chunks of ${chunking}`,
    );
  }
});
