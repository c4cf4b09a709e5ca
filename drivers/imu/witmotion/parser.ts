/**
 * WitMotion link layer (style.md §2): a Transform that takes serial chunks of any size and emits
 * one WitPacket object per valid packet, resynchronising on the 0x55 start byte.
 *
 * - Classic packets are accepted only with a correct checksum; on a bad one the parser steps one
 *   byte past the 0x55 (it may have been a data byte) and searches again.
 * - BLE packets (`55 61`, `55 71`) have no checksum, so a candidate is accepted only when the two
 *   bytes after it start another packet (0x55 + a known type). A packet cut short by a new header
 *   — as at offsets 0x3C and 0x7C of the real WT901BLECL capture in
 *   shared/test-vectors/witmotion — fails that test and is skipped ("truncated"). The cost is one
 *   packet of latency.
 * - Every skip is reported through `onFault` and counted in `stats()`: nothing is dropped silently
 *   (style.md §6). Bytes before the first valid packet (a port opened mid-stream) are counted in
 *   `skippedBytes` but are not a fault.
 * - At end of stream a complete, unconfirmed BLE packet is emitted; an incomplete one is counted
 *   as truncated.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { decodePacket, packetLength, WIT_HEADER, WitFrameError, type WitPacket } from './frame.js';

export type ParserFormat = 'auto' | 'classic' | 'ble';

export interface ParserFault {
  kind: 'checksum' | 'garbage' | 'truncated';
  /** Bytes discarded. */
  bytes: number;
  message: string;
}

export interface ParserStats {
  packets: number;
  checksumErrors: number;
  /** Runs of garbage skipped after the first valid packet. */
  resyncs: number;
  truncated: number;
  skippedBytes: number;
}

export interface WitParserOptions {
  format?: ParserFormat;
  onFault?: (fault: ParserFault) => void;
}

/** Upper bound on buffered bytes while waiting: a few packets; anything more is garbage. */
const MAX_BUFFER = 4096;

/**
 * The resynchronising scanner, synchronous: bytes in through `feed()`, packets and faults out
 * through callbacks. The Transform below wraps it for streams; `bindsight decode` uses it directly.
 */
export class WitScanner {
  readonly #format: ParserFormat;
  readonly #onFault: (fault: ParserFault) => void;
  readonly #onPacket: (packet: WitPacket) => void;
  #buf: Buffer = Buffer.alloc(0);
  #synced = false;
  #garbage = 0;
  /** The bytes being skipped belong to a checksum or truncation fault already reported. */
  #attributed = false;
  readonly #stats: ParserStats = { packets: 0, checksumErrors: 0, resyncs: 0, truncated: 0, skippedBytes: 0 };

  constructor(options: WitParserOptions, onPacket: (packet: WitPacket) => void) {
    this.#format = options.format ?? 'auto';
    this.#onFault = options.onFault ?? (() => {});
    this.#onPacket = onPacket;
  }

  /** A copy of the counters. */
  stats(): ParserStats {
    return { ...this.#stats };
  }

  feed(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#buf = this.#buf.length === 0 ? bytes : Buffer.concat([this.#buf, bytes]);
    this.#scan(false);
  }

  /** End of stream: emit a complete unconfirmed packet, count an incomplete one. */
  end(): void {
    this.#scan(true);
    if (this.#buf.length > 0) this.#truncated(this.#buf.length, 'stream ended inside a packet');
    this.#endGarbage();
    this.#buf = Buffer.alloc(0);
  }

  #scan(final: boolean): void {
    let pos = 0;
    const buf = this.#buf;
    while (pos < buf.length) {
      const start = buf.indexOf(WIT_HEADER, pos);
      if (start < 0) {
        this.#skip(buf.length - pos);
        pos = buf.length;
        break;
      }
      this.#skip(start - pos);
      pos = start;
      const step = this.#tryPacket(buf, pos, final);
      if (step === 0) break; // need more bytes
      pos += step;
    }
    this.#buf = buf.subarray(pos);
    if (this.#buf.length > MAX_BUFFER) {
      this.#skip(this.#buf.length);
      this.#buf = Buffer.alloc(0);
    }
  }

  /** Bytes consumed at `pos` (a 0x55): a packet's length, 1 to skip it, or 0 to wait for more. */
  #tryPacket(buf: Buffer, pos: number, final: boolean): number {
    if (buf.length - pos < 2) return final ? this.#skipRest(buf, pos) : 0;
    const length = packetLength(buf[pos + 1], this.#format);
    if (length === undefined) {
      this.#skip(1);
      return 1;
    }
    if (buf.length - pos < length) return final ? this.#skipRest(buf, pos) : 0;
    const bytes = buf.subarray(pos, pos + length);
    if (length === 20 && !final) {
      if (buf.length - pos < length + 2) return 0;
      if (buf[pos + length] !== WIT_HEADER || packetLength(buf[pos + length + 1], 'auto') === undefined) {
        this.#truncated(1, `0x${buf[pos + 1].toString(16)} packet is cut short by a new packet`);
        return 1;
      }
    }
    let packet: WitPacket;
    try {
      packet = decodePacket(bytes);
    } catch (err) {
      if (err instanceof WitFrameError && err.reason === 'checksum') {
        this.#endGarbage();
        this.#attributed = true;
        this.#stats.checksumErrors++;
        this.#stats.skippedBytes++;
        this.#onFault({ kind: 'checksum', bytes: length, message: err.message });
      } else this.#skip(1);
      return 1;
    }
    this.#endGarbage();
    this.#attributed = false;
    this.#synced = true;
    this.#stats.packets++;
    this.#onPacket(packet);
    return length;
  }

  #skipRest(buf: Buffer, pos: number): number {
    this.#truncated(buf.length - pos, 'stream ended inside a packet');
    return buf.length - pos;
  }

  #truncated(bytes: number, message: string): void {
    this.#endGarbage();
    this.#attributed = true;
    this.#stats.truncated++;
    this.#stats.skippedBytes += bytes;
    this.#onFault({ kind: 'truncated', bytes, message });
  }

  /** Garbage accumulates into one run, reported when the run ends. */
  #skip(n: number): void {
    if (n <= 0) return;
    this.#stats.skippedBytes += n;
    if (this.#synced && !this.#attributed) this.#garbage += n;
  }

  #endGarbage(): void {
    if (this.#garbage === 0) return;
    const bytes = this.#garbage;
    this.#garbage = 0;
    this.#stats.resyncs++;
    this.#onFault({ kind: 'garbage', bytes, message: `skipped ${bytes} byte(s) of garbage between packets` });
  }
}

/** The scanner as a Transform: Buffer chunks in, one WitPacket object out per valid packet. */
export class WitMotionParser extends Transform {
  readonly #scanner: WitScanner;

  constructor(options: WitParserOptions = {}) {
    super({ readableObjectMode: true });
    this.#scanner = new WitScanner(options, (packet) => this.push(packet));
  }

  /** A copy of the counters. */
  stats(): ParserStats {
    return this.#scanner.stats();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#scanner.feed(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.#scanner.end();
    done();
  }
}
