/**
 * WitMotion serial packets, frame layer (style.md §2): pure functions from bytes to a typed packet,
 * with the checksum. No buffering here (parser.ts), no devices (chip.ts).
 *
 * Two families share the 0x55 start byte (shared reference/drivers.md §4; test-vectors/witmotion):
 * - classic TTL/USB boards (WT901, JY901, HWT905): 11 bytes `55 TT d0L d0H d1L d1H d2L d2H d3L d3H
 *   SUM`, SUM = low byte of the sum of bytes 0..9, four int16 little-endian values
 *   [WT901 datasheet v20-0702 §5.1; HWT905-TTL datasheet v20-0707 §5.2.8];
 * - BLE 5.0 boards (WT901BLECL), also over their USB serial port: 20 bytes `55 61` + accel, gyro,
 *   angle (9 int16 LE), and `55 71` register replies (start register + 8 registers), with NO
 *   checksum [WT901BLECL datasheet v20-0707 §6.1.1; WT901BLECL 5.0 manual §6.1].
 *
 * Values stay in the vendor's units here (g, °/s, degrees), exactly as the manuals print them;
 * conversion to SI happens in the device layer.
 */

export const WIT_HEADER = 0x55;
export const CLASSIC_LENGTH = 11;
export const BLE_LENGTH = 20;

/** Classic packet types [WT901 datasheet §5.1; HWT905-TTL §5.2.8]. */
export const CLASSIC_TYPES = {
  time: 0x50,
  accel: 0x51,
  gyro: 0x52,
  angle: 0x53,
  mag: 0x54,
  port: 0x55,
  pressure: 0x56,
  position: 0x57,
  gps: 0x58,
  quaternion: 0x59,
  gpsAccuracy: 0x5a,
} as const;

/** BLE 5.0 packet types [WT901BLECL datasheet §6.1.1, manual §6.1]. */
export const BLE_TYPES = { combined: 0x61, registers: 0x71 } as const;

/** Full scales: a = raw/32768·16 g, ω = raw/32768·2000 °/s, angle = raw/32768·180° [WT901 §5.1.2–5.1.3]. */
export const ACCEL_FULL_SCALE_G = 16;
export const GYRO_FULL_SCALE_DPS = 2000;
export const ANGLE_FULL_SCALE_DEG = 180;

export type PacketFormat = 'classic' | 'ble';

export type WitPacket =
  | { kind: 'accel'; g: [number, number, number]; temperatureC: number; raw: number[] }
  | { kind: 'gyro'; dps: [number, number, number]; raw: number[] }
  | { kind: 'angle'; deg: [number, number, number]; raw: number[] }
  | { kind: 'quaternion'; q: [number, number, number, number]; raw: number[] }
  | { kind: 'classic'; type: number; raw: number[] }
  | {
      kind: 'combined';
      g: [number, number, number];
      dps: [number, number, number];
      deg: [number, number, number];
      raw: number[];
    }
  | { kind: 'registers'; start: number; values: number[] };

export class WitFrameError extends Error {
  constructor(
    message: string,
    readonly reason: 'header' | 'length' | 'checksum' | 'type',
  ) {
    super(message);
    this.name = 'WitFrameError';
  }
}

/** Bytes a packet of `type` occupies in `format`, or undefined if the format has no such type. */
export function packetLength(type: number, format: PacketFormat | 'auto'): number | undefined {
  const classic = type >= CLASSIC_TYPES.time && type <= CLASSIC_TYPES.gpsAccuracy;
  const ble = type === BLE_TYPES.combined || type === BLE_TYPES.registers;
  if (classic && format !== 'ble') return CLASSIC_LENGTH;
  if (ble && format !== 'classic') return BLE_LENGTH;
  return undefined;
}

/** SUM of a classic packet: the low byte of the sum of bytes 0..9 [WT901 datasheet §5.1]. */
export function classicChecksum(bytes: Uint8Array, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < CLASSIC_LENGTH - 1; i++) sum += bytes[offset + i] ?? 0;
  return sum & 0xff;
}

function int16le(bytes: Uint8Array, at: number): number {
  const v = (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
  return v >= 0x8000 ? v - 0x10000 : v;
}

function int16s(bytes: Uint8Array, from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => int16le(bytes, from + 2 * i));
}

const scaled = (raw: number[], from: number, fullScale: number): [number, number, number] => [
  (raw[from] / 32768) * fullScale,
  (raw[from + 1] / 32768) * fullScale,
  (raw[from + 2] / 32768) * fullScale,
];

/** Decodes one 11-byte classic packet; throws WitFrameError on a bad header, length or checksum. */
export function decodeClassic(bytes: Uint8Array): WitPacket {
  if (bytes.length !== CLASSIC_LENGTH)
    throw new WitFrameError(`a classic WitMotion packet is 11 bytes, got ${bytes.length}`, 'length');
  if (bytes[0] !== WIT_HEADER)
    throw new WitFrameError(`packet starts with 0x${bytes[0].toString(16)}, not 0x55`, 'header');
  const sum = classicChecksum(bytes);
  if (sum !== bytes[10]) {
    throw new WitFrameError(
      `bad checksum in 0x${bytes[1].toString(16)} packet: computed 0x${sum.toString(16)}, packet says 0x${bytes[10].toString(16)}`,
      'checksum',
    );
  }
  const type = bytes[1];
  const raw = int16s(bytes, 2, 4);
  switch (type) {
    case CLASSIC_TYPES.accel:
      // d3 is the temperature, raw/100 °C on WT901/HWT905 [WT901 datasheet §5.1.2].
      return { kind: 'accel', g: scaled(raw, 0, ACCEL_FULL_SCALE_G), temperatureC: raw[3] / 100, raw };
    case CLASSIC_TYPES.gyro:
      return { kind: 'gyro', dps: scaled(raw, 0, GYRO_FULL_SCALE_DPS), raw };
    case CLASSIC_TYPES.angle:
      return { kind: 'angle', deg: scaled(raw, 0, ANGLE_FULL_SCALE_DEG), raw };
    case CLASSIC_TYPES.quaternion:
      return { kind: 'quaternion', q: [raw[0] / 32768, raw[1] / 32768, raw[2] / 32768, raw[3] / 32768], raw };
    default:
      if (packetLength(type, 'classic') === undefined)
        throw new WitFrameError(`unknown classic packet type 0x${type.toString(16)}`, 'type');
      return { kind: 'classic', type, raw };
  }
}

/** Decodes one 20-byte BLE 5.0 packet (`55 61` data or `55 71` register reply); no checksum exists. */
export function decodeBle(bytes: Uint8Array): WitPacket {
  if (bytes.length !== BLE_LENGTH)
    throw new WitFrameError(`a BLE WitMotion packet is 20 bytes, got ${bytes.length}`, 'length');
  if (bytes[0] !== WIT_HEADER)
    throw new WitFrameError(`packet starts with 0x${bytes[0].toString(16)}, not 0x55`, 'header');
  if (bytes[1] === BLE_TYPES.registers) {
    return { kind: 'registers', start: int16le(bytes, 2) & 0xffff, values: int16s(bytes, 4, 8) };
  }
  if (bytes[1] !== BLE_TYPES.combined)
    throw new WitFrameError(`unknown BLE packet type 0x${bytes[1].toString(16)}`, 'type');
  const raw = int16s(bytes, 2, 9);
  return {
    kind: 'combined',
    g: scaled(raw, 0, ACCEL_FULL_SCALE_G),
    dps: scaled(raw, 3, GYRO_FULL_SCALE_DPS),
    deg: scaled(raw, 6, ANGLE_FULL_SCALE_DEG),
    raw,
  };
}

/** Decodes a classic or BLE packet by its type byte. */
export function decodePacket(bytes: Uint8Array): WitPacket {
  return bytes.length === BLE_LENGTH ? decodeBle(bytes) : decodeClassic(bytes);
}

function putInt16s(out: Uint8Array, at: number, values: readonly number[]): void {
  values.forEach((v, i) => {
    const u = Math.round(v) & 0xffff;
    out[at + 2 * i] = u & 0xff;
    out[at + 2 * i + 1] = u >> 8;
  });
}

/** An 11-byte classic packet of `type` carrying four raw int16 values, checksum included. */
export function encodeClassic(type: number, raw: readonly [number, number, number, number]): Uint8Array {
  const out = new Uint8Array(CLASSIC_LENGTH);
  out[0] = WIT_HEADER;
  out[1] = type;
  putInt16s(out, 2, raw);
  out[10] = classicChecksum(out);
  return out;
}

/** A 20-byte `55 61` packet from nine raw int16 values (accel, gyro, angle). */
export function encodeBle(raw: readonly number[]): Uint8Array {
  if (raw.length !== 9) throw new RangeError(`a 0x61 packet carries 9 values, got ${raw.length}`);
  const out = new Uint8Array(BLE_LENGTH);
  out[0] = WIT_HEADER;
  out[1] = BLE_TYPES.combined;
  putInt16s(out, 2, raw);
  return out;
}

/** The raw int16 that encodes `value` at `fullScale` (for emulators and tests). */
export function toRaw(value: number, fullScale: number): number {
  return Math.max(-32768, Math.min(32767, Math.round((value / fullScale) * 32768)));
}
