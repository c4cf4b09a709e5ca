/**
 * WitMotion serial IMUs (WT901, JY901, HWT905 classic boards; WT901BLECL BLE 5.0 boards over their
 * USB serial port) as an ImuChip: device layer, part 2. The board streams on its own at its
 * configured output rate (10 Hz by default [HWT905-TTL §5.2.9]); the session buffers the samples
 * between polls, so it is a `buffered` chip.
 *
 * The driver does not write to the board: changing its rate or baud needs unlock + save + a
 * power cycle [WIT-HWT905 §5.2.8–5.2.10], which is WitMotion's tool's job, not an agent's.
 */

import { serialFix } from '../../serial/errors.js';
import { openSerial, type SerialBinding, type SerialLink } from '../../serial/link.js';
import type { ChipContext, ImuBatch, ImuChip, ImuSession } from '../types.js';
import { IMU_CHANNEL_COUNT } from '../types.js';
import { WitSampleAssembler } from './assemble.js';
import type { WitPacket } from './frame.js';
import { type ParserFault, type ParserFormat, WitMotionParser } from './parser.js';

export interface WitmotionOptions {
  port: string;
  baudRate: number;
  format: ParserFormat;
  /** The board's configured output rate, Hz. */
  rate: number;
  binding: SerialBinding;
}

export const WITMOTION_COUNTERS = [
  'packets',
  'crc_errors',
  'resyncs',
  'truncated_packets',
  'skipped_bytes',
  'incomplete_samples',
] as const;

/** Bytes without one valid packet after which the line is declared unreadable (wrong baud rate). */
const NOISE_LIMIT = 256;

const FAULT_COUNTERS: Record<ParserFault['kind'], string> = {
  checksum: 'crc_errors',
  garbage: 'resyncs',
  truncated: 'truncated_packets',
};

class WitmotionSession implements ImuSession {
  readonly identity: string;
  readonly rate: number;
  readonly pollMs: number;
  readonly buffered = true;
  readonly #link: SerialLink;
  readonly #ctx: ChipContext;
  readonly #parser: WitMotionParser;
  readonly #assembler = new WitSampleAssembler();
  #pending: number[] = [];
  /** Sample indices (into #pending) before which a packet was lost. */
  #gaps: number[] = [];
  #lost: Error | undefined;
  #noise = 0;
  #skippedSeen = 0;

  constructor(link: SerialLink, o: WitmotionOptions, ctx: ChipContext) {
    this.#link = link;
    this.#ctx = ctx;
    this.rate = o.rate;
    // Poll about 10 times a second, and at least once per 4 samples at high rates.
    this.pollMs = Math.min(100, Math.max(10, 4000 / o.rate));
    this.identity = `WitMotion board on ${o.port} at ${o.baudRate} baud`;
    this.#parser = new WitMotionParser({ format: o.format, onFault: (f) => this.#onFault(f) });
    this.#parser.on('data', (p: WitPacket) => this.#onPacket(p));
    link.readable.on('data', (chunk: Buffer) => {
      this.#noise += chunk.length;
      this.#parser.write(chunk);
    });
    void link.closed.then((cause) => {
      this.#lost ??= new Error(
        `${cause ? errorText(cause) : 'the port closed'}; ${serialFix(o.port, cause)}`,
      );
    });
  }

  #onPacket(packet: WitPacket): void {
    this.#noise = 0;
    this.#ctx.count('packets');
    const result = this.#assembler.push(packet);
    if (result === undefined) return;
    if ('sample' in result) this.#pending.push(...result.sample);
    else {
      this.#markGap();
      this.#ctx.fault(new Error(result.incomplete), 'incomplete_samples');
    }
  }

  #onFault(fault: ParserFault): void {
    // A dropped packet is a missing sample: the partial window must not span it.
    this.#markGap();
    this.#ctx.fault(new Error(`${fault.message} on ${this.identity}`), FAULT_COUNTERS[fault.kind]);
  }

  #markGap(): void {
    const at = this.#pending.length / IMU_CHANNEL_COUNT;
    if (this.#gaps.at(-1) !== at) this.#gaps.push(at);
  }

  async read(): Promise<ImuBatch> {
    const skipped = this.#parser.stats().skippedBytes;
    this.#ctx.count('skipped_bytes', skipped - this.#skippedSeen);
    this.#skippedSeen = skipped;
    if (this.#lost) throw this.#lost;
    if (this.#noise > NOISE_LIMIT) {
      throw new Error(
        `${this.#noise} bytes arrived on ${this.identity} without one valid WitMotion packet: is the baud rate right? (classic boards default to 9600, BLE 5.0 boards to 115200)`,
      );
    }
    const data = Float32Array.from(this.#pending);
    this.#pending = [];
    const gaps = this.#gaps;
    this.#gaps = [];
    return { data, count: data.length / IMU_CHANNEL_COUNT, gaps };
  }

  async close(): Promise<void> {
    this.#parser.destroy();
    await this.#link.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function openWitmotion(o: WitmotionOptions, ctx: ChipContext): Promise<ImuSession> {
  let link: SerialLink;
  try {
    link = await openSerial({ path: o.port, baudRate: o.baudRate, binding: o.binding });
  } catch (err) {
    const wrapped = new Error(`cannot open ${o.port}: ${errorText(err)}; ${serialFix(o.port, err)}`, {
      cause: err,
    });
    throw Object.assign(wrapped, { code: (err as { code?: unknown }).code });
  }
  return new WitmotionSession(link, o, ctx);
}

export function createWitmotionChip(o: WitmotionOptions): ImuChip {
  return {
    name: 'witmotion',
    location: `serial ${o.port} at ${o.baudRate} baud`,
    counters: WITMOTION_COUNTERS,
    open: (ctx) => openWitmotion(o, ctx),
  };
}
