import t from 'tap';
import {
  decodePixels,
  pixelCelsius,
  pixelCode,
  thermistorCelsius,
  thermistorCode,
} from '../../../../drivers/thermal/amg8833/registers.js';
import { amgTable } from '../vectors.js';

const fromBusBytes = (bytesLe: string): number => {
  const [lo = 0, hi = 0] = bytesLe.split(' ').map((b) => Number.parseInt(b, 16));
  return lo | (hi << 8);
};

t.test('pixel codes: 12-bit two’s complement, 0.25 °C (reference spec 4-11-11 table)', async (t) => {
  const rows = amgTable('pixel_temperature_table.csv');
  t.equal(rows.length, 7);
  for (const r of rows) {
    const raw = fromBusBytes(r.bytes_le ?? '');
    t.equal(raw, Number(r.raw12_hex), `${r.bytes_le} is ${r.raw12_hex}`);
    t.equal(pixelCelsius(raw), Number(r.expected_celsius), `${r.raw12_hex} → ${r.expected_celsius} °C`);
    t.equal(pixelCelsius(pixelCode(Number(r.expected_celsius))), Number(r.expected_celsius), 'round trip');
  }
  const block = Buffer.alloc(128);
  block.writeUInt16LE(0x1f4, 0);
  block.writeUInt16LE(0xf9c, 126);
  const image = decodePixels(block);
  t.same([image[0], image[1], image[63]], [125, 0, -25], 'a 128-byte block from 0x80, low byte first');
});

t.test('thermistor codes: 12-bit sign-magnitude, 0.0625 °C (reference spec 4-11-9 table)', async (t) => {
  const rows = amgTable('thermistor_table.csv');
  t.equal(rows.length, 6);
  for (const r of rows) {
    const raw = fromBusBytes(r.bytes_le ?? '');
    t.equal(thermistorCelsius(raw), Number(r.expected_celsius), `${r.raw12_hex} → ${r.expected_celsius} °C`);
    t.equal(
      thermistorCelsius(thermistorCode(Number(r.expected_celsius))),
      Number(r.expected_celsius),
      'round trip',
    );
  }
  t.not(thermistorCelsius(0x804), pixelCelsius(0x804), 'not two’s complement');
});
