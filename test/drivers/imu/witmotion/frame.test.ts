/** WitMotion frame layer on the manuals' layouts and the real WT901BLECL capture's decoded values. */
import t from 'tap';
import {
  CLASSIC_TYPES,
  classicChecksum,
  decodeBle,
  decodeClassic,
  encodeBle,
  encodeClassic,
  packetLength,
  toRaw,
  WitFrameError,
} from '../../../../drivers/imu/witmotion/frame.js';
import { parseHexBytes } from '../../../../drivers/serial/hex.js';
import { vectorCsv } from '../vectors.js';

t.test('each decoded row of the real capture decodes to the same raw and physical values', async (t) => {
  const rows = vectorCsv('witmotion', 'wt901blecl_usb_capture_issue50_decoded.csv');
  t.equal(rows.length, 6);
  for (const row of rows) {
    const p = decodeBle(parseHexBytes(row.packet_hex.replace(/(..)/g, '$1 ')));
    if (p.kind !== 'combined') throw new Error(`expected a combined packet, got ${p.kind}`);
    const names = ['ax', 'ay', 'az', 'wx', 'wy', 'wz', 'roll', 'pitch', 'yaw'];
    t.same(
      p.raw,
      names.map((n) => Number(row[`${n}_raw`])),
      `raw at offset ${row.offset}`,
    );
    const physical = [...p.g, ...p.dps, ...p.deg];
    const expected = [
      ...['ax_g', 'ay_g', 'az_g', 'wx_dps', 'wy_dps', 'wz_dps'],
      ...['roll_deg', 'pitch_deg', 'yaw_deg'],
    ].map((k) => Number(row[k]));
    physical.forEach((v, i) => {
      t.ok(Math.abs(v - expected[i]) < 1e-5, `${names[i]} ${v} ≈ ${expected[i]}`);
    });
    t.ok(Math.abs(p.g[2] - 1.01) < 0.01, 'at rest: az ≈ 1.01 g');
  }
});

t.test(
  'the manual register-read example: 55 71 3A 00 68 01 69 00 7A 00 … → Hx 360, Hy 105, Hz 122',
  async (t) => {
    const rows = vectorCsv('witmotion', 'protocol_and_manual_examples.csv');
    const example = rows.find((r) => r.kind === 'example_mag_read_reply');
    if (example === undefined) throw new Error('example_mag_read_reply missing from the vectors');
    const p = decodeBle(parseHexBytes(example.bytes_hex));
    t.same(p, { kind: 'registers', start: 0x3a, values: [360, 105, 122, 0, 0, 0, 0, 0] });
  },
);

t.test('classic packets: checksum, scales and temperature', async (t) => {
  const accel = encodeClassic(CLASSIC_TYPES.accel, [2048, -2048, 16384, 2512]);
  t.equal(accel[10], classicChecksum(accel));
  t.same(decodeClassic(accel), {
    kind: 'accel',
    g: [1, -1, 8],
    temperatureC: 25.12,
    raw: [2048, -2048, 16384, 2512],
  });
  const gyro = decodeClassic(encodeClassic(CLASSIC_TYPES.gyro, [16384, -32768, 0, 0]));
  t.same(gyro, { kind: 'gyro', dps: [1000, -2000, 0], raw: [16384, -32768, 0, 0] });
  const angle = decodeClassic(encodeClassic(CLASSIC_TYPES.angle, [16384, 0, -16384, 0]));
  t.same(angle.kind === 'angle' && angle.deg, [90, 0, -90]);
  const bad = encodeClassic(CLASSIC_TYPES.gyro, [1, 2, 3, 4]);
  bad[10] ^= 0xff;
  t.throws(() => decodeClassic(bad), WitFrameError);
  t.throws(() => decodeClassic(bad.subarray(0, 10)), /11 bytes/);
  t.throws(() => decodeClassic(Uint8Array.from([0x54, ...bad.subarray(1)])), /not 0x55/);
});

t.test('a hand-worked classic checksum: 55 51 00 00 00 00 00 08 00 00 → 0xAE', async (t) => {
  // 0x55 + 0x51 + 0x08 = 0xAE (az = 0x0800 = 2048 → 1 g)
  const bytes = Uint8Array.from([0x55, 0x51, 0, 0, 0, 0, 0, 0x08, 0, 0, 0xae]);
  t.same(decodeClassic(bytes), { kind: 'accel', g: [0, 0, 1], temperatureC: 0, raw: [0, 0, 2048, 0] });
});

t.test('packet lengths per format', async (t) => {
  t.equal(packetLength(0x51, 'auto'), 11);
  t.equal(packetLength(0x61, 'auto'), 20);
  t.equal(packetLength(0x61, 'classic'), undefined);
  t.equal(packetLength(0x51, 'ble'), undefined);
  t.equal(packetLength(0x42, 'auto'), undefined);
});

t.test('encodeBle round-trips and toRaw saturates', async (t) => {
  const raw = [1, -2, 2048, 300, -300, 0, 100, -100, 32767];
  const p = decodeBle(encodeBle(raw));
  t.same(p.kind === 'combined' && p.raw, raw);
  t.equal(toRaw(1, 16), 2048);
  t.equal(toRaw(100, 16), 32767);
  t.equal(toRaw(-100, 16), -32768);
});
