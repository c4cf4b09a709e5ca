/**
 * BNO055 UART protocol, frame and link layers (style.md §2), 115200 8N1 with PS1 high [BNO-DS §4.7]:
 * - write: host `AA 00 reg len data…`, device `EE status` (01 = WRITE_SUCCESS);
 * - read: host `AA 01 reg len`, device `BB len data…` or `EE status`;
 * - at most 128 bytes per request; status 07 (bus over-run) means "send it again".
 * Checked against shared/test-vectors/imu/bno055_uart_frames.csv.
 */
import { Transform, type TransformCallback } from 'node:stream';

export const START = 0xaa;
export const READ_RESPONSE = 0xbb;
export const STATUS_RESPONSE = 0xee;
export const MAX_LENGTH = 128;

/** Response status codes [BNO-DS §4.7 Table 4-8]. */
export const STATUS: Readonly<Record<number, string>> = {
  1: 'WRITE_SUCCESS',
  2: 'READ_FAIL',
  3: 'WRITE_FAIL',
  4: 'REGMAP_INVALID_ADDRESS',
  5: 'REGMAP_WRITE_DISABLED',
  6: 'WRONG_START_BYTE',
  7: 'BUS_OVER_RUN_ERROR',
  8: 'MAX_LENGTH_ERROR',
  9: 'MIN_LENGTH_ERROR',
  10: 'RECEIVE_CHARACTER_TIMEOUT',
};
export const WRITE_SUCCESS = 0x01;
/** Statuses after which the same request is simply sent again (BNO-LNX retries on 07). */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([0x07, 0x0a]);

export type UartResponse = { kind: 'read'; data: Uint8Array } | { kind: 'status'; status: number };

function checkLength(length: number): void {
  if (!(Number.isInteger(length) && length >= 1 && length <= MAX_LENGTH))
    throw new RangeError(`a BNO055 UART transfer carries 1..${MAX_LENGTH} bytes, not ${length}`);
}

export function encodeRead(register: number, length: number): Uint8Array {
  checkLength(length);
  return Uint8Array.of(START, 0x01, register, length);
}

export function encodeWrite(register: number, data: Uint8Array): Uint8Array {
  checkLength(data.length);
  return Uint8Array.of(START, 0x00, register, data.length, ...data);
}

export function statusName(status: number): string {
  return STATUS[status] ?? `unknown status 0x${status.toString(16).padStart(2, '0')}`;
}

/**
 * Splits the device's byte stream into responses; bytes that start neither a read response nor a
 * status are skipped and counted (`skippedBytes`).
 */
export class BnoUartParser extends Transform {
  #buf: Buffer = Buffer.alloc(0);
  skippedBytes = 0;

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    let pos = 0;
    const buf = this.#buf;
    while (pos < buf.length) {
      const head = buf[pos];
      if (head === STATUS_RESPONSE) {
        if (buf.length - pos < 2) break;
        this.push({ kind: 'status', status: buf[pos + 1] } satisfies UartResponse);
        pos += 2;
      } else if (head === READ_RESPONSE) {
        if (buf.length - pos < 2) break;
        const length = buf[pos + 1];
        if (length === 0 || length > MAX_LENGTH) {
          this.skippedBytes++;
          pos++;
          continue;
        }
        if (buf.length - pos < 2 + length) break;
        this.push({
          kind: 'read',
          data: Uint8Array.from(buf.subarray(pos + 2, pos + 2 + length)),
        } satisfies UartResponse);
        pos += 2 + length;
      } else {
        this.skippedBytes++;
        pos++;
      }
    }
    this.#buf = buf.subarray(pos);
    done();
  }
}
