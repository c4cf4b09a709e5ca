/**
 * `bindsight decode --driver witmotion --in CAPTURE`: a recorded WitMotion byte stream (raw bytes,
 * or hex text as in shared/test-vectors/witmotion) → one CSV row per valid packet, with the parser
 * the driver runs (resynchronisation, checksums) and its counters. Values in the vendor's units
 * (g, °/s, degrees) plus the SI values the driver emits (m/s², rad/s).
 */
import { BindsightError } from '../../../src/errors.js';
import type { Decoder, DecoderInputs } from '../../decoder.js';
import { parseHexBytes } from '../../serial/hex.js';
import { dpsToRads, gToMs2 } from '../units.js';
import type { WitPacket } from './frame.js';
import { type ParserFault, type ParserFormat, WitScanner } from './parser.js';

const HEADER =
  'packet,kind,ax_g,ay_g,az_g,wx_dps,wy_dps,wz_dps,roll_deg,pitch_deg,yaw_deg,temperature_c,ax_ms2,ay_ms2,az_ms2,wx_rads,wy_rads,wz_rads';

/** Hex text (printable text with hex pairs, e.g. `hexdump -C` output) or raw bytes. */
function bytesOf(input: Buffer, mode: string): Uint8Array {
  const text = input.toString('latin1');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: tab, LF and CR are what text files hold
  const looksHex = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text) && /\b[0-9a-fA-F]{2}\b/.test(text);
  if (mode === 'hex' || (mode === 'auto' && looksHex)) return parseHexBytes(text);
  return Uint8Array.from(input);
}

function row(i: number, p: WitPacket): string {
  const cells: (number | string | undefined)[] = new Array(18).fill(undefined);
  cells[0] = i;
  cells[1] = p.kind;
  const put = (at: number, values: readonly number[]): void => {
    values.forEach((v, k) => {
      cells[at + k] = v;
    });
  };
  if (p.kind === 'accel' || p.kind === 'combined') {
    put(2, p.g);
    put(12, p.g.map(gToMs2));
  }
  if (p.kind === 'accel') cells[11] = p.temperatureC;
  if (p.kind === 'gyro' || p.kind === 'combined') {
    put(5, p.dps);
    put(15, p.dps.map(dpsToRads));
  }
  if (p.kind === 'angle' || p.kind === 'combined') put(8, p.deg);
  return cells.map((c) => (c === undefined ? '' : String(c))).join(',');
}

export const witmotionDecoder: Decoder = {
  inputs: ['in'],
  usage:
    '--in CAPTURE (raw bytes or hex text) [--param format=auto|classic|ble] [--param input=auto|hex|binary]',
  decode(inputs: DecoderInputs) {
    const format = inputs.params.format ?? 'auto';
    const input = inputs.params.input ?? 'auto';
    if (!['auto', 'classic', 'ble'].includes(format) || !['auto', 'hex', 'binary'].includes(input)) {
      throw new BindsightError(
        'USAGE',
        `witmotion: --param format must be auto, classic or ble and input auto, hex or binary; got format=${format} input=${input}`,
      );
    }
    const packets: WitPacket[] = [];
    const faults: ParserFault[] = [];
    const scanner = new WitScanner({ format: format as ParserFormat, onFault: (f) => faults.push(f) }, (p) =>
      packets.push(p),
    );
    scanner.feed(bytesOf(inputs.in ?? Buffer.alloc(0), input));
    scanner.end();
    if (packets.length === 0) {
      throw new BindsightError(
        'FILE_INVALID',
        `no valid WitMotion packet in the input (${scanner.stats().skippedBytes} bytes skipped); check --param format and input`,
      );
    }
    return {
      csv: [HEADER, ...packets.map((p, i) => row(i, p))],
      json: { packets, stats: scanner.stats(), faults },
    };
  },
};
