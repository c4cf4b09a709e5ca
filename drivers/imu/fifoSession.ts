/**
 * Reading an InvenSense FIFO, shared by the MPU-6050/MPU-9250 and ICM-20948 chips (their FIFOs
 * behave alike; only register addresses differ): one drain per poll — status, count, then whole
 * 12-byte samples only. An overflow (status flag, or a count at capacity) or a count that is not a
 * whole number of samples means the byte alignment is lost: the FIFO is reset, what it held is
 * discarded and counted, and the batch reports a gap so no Window spans the hole.
 */
import { decodeFifo, FIFO_SAMPLE_BYTES, type Scales } from './invensense.js';
import type { ChipRegisters } from './registers.js';
import { type ChipContext, EMPTY_BATCH, type ImuBatch, type ImuSession } from './types.js';

/** Counters of the InvenSense chips. */
export const INVENSENSE_COUNTERS = ['fifo_overflows', 'fifo_resets', 'fifo_discarded_bytes'] as const;

export interface FifoLayout {
  /** Status register read (and cleared) before the count, and its overflow bits. */
  status: number;
  overflowMask: number;
  /** FIFO_COUNTH (FIFO_COUNTL follows it); count bits 12:0. */
  count: number;
  /** The FIFO data port. */
  data: number;
  /** FIFO size, bytes. */
  capacity: number;
  /** Empties the FIFO and restarts it. */
  reset(regs: ChipRegisters): Promise<void>;
}

export interface FifoSessionOptions {
  identity: string;
  rate: number;
  scales: Scales;
  layout: FifoLayout;
}

export class FifoSession implements ImuSession {
  readonly identity: string;
  readonly rate: number;
  readonly pollMs: number;
  readonly buffered = true;
  readonly #regs: ChipRegisters;
  readonly #o: FifoSessionOptions;
  readonly #ctx: ChipContext;

  constructor(regs: ChipRegisters, o: FifoSessionOptions, ctx: ChipContext) {
    this.#regs = regs;
    this.#o = o;
    this.#ctx = ctx;
    this.identity = o.identity;
    this.rate = o.rate;
    // Poll four times per FIFO fill time (between 5 and 100 ms).
    const fillMs = (o.layout.capacity / (FIFO_SAMPLE_BYTES * o.rate)) * 1000;
    this.pollMs = Math.min(100, Math.max(5, fillMs / 4));
  }

  async read(): Promise<ImuBatch> {
    const { layout } = this.#o;
    const status = await this.#regs.readByte(layout.status);
    const c = await this.#regs.read(layout.count, 2);
    const count = ((c[0] << 8) | c[1]) & 0x1fff;
    if ((status & layout.overflowMask) !== 0 || count >= layout.capacity) {
      const why = `FIFO overflow on ${this.identity}: polled too late (${count} bytes queued, the FIFO holds ${layout.capacity}; host busy or bus too slow for the rate?)`;
      return this.#recover(count, why, 'fifo_overflows');
    }
    if (count % FIFO_SAMPLE_BYTES !== 0) {
      const why = `FIFO holds ${count} bytes, not whole ${FIFO_SAMPLE_BYTES}-byte samples, on ${this.identity}`;
      return this.#recover(count, why, 'fifo_resets');
    }
    const n = count / FIFO_SAMPLE_BYTES;
    if (n === 0) return EMPTY_BATCH;
    const bytes = await this.#regs.readPort(layout.data, n * FIFO_SAMPLE_BYTES);
    return { data: decodeFifo(bytes, n, this.#o.scales), count: n, gaps: [] };
  }

  /** Discards the FIFO (its alignment is lost) and restarts it; the samples in it never leave. */
  async #recover(
    count: number,
    message: string,
    counter: 'fifo_overflows' | 'fifo_resets',
  ): Promise<ImuBatch> {
    this.#ctx.count('fifo_discarded_bytes', count);
    if (counter !== 'fifo_resets') this.#ctx.count('fifo_resets');
    this.#ctx.fault(new Error(message), counter);
    await this.#o.layout.reset(this.#regs);
    return { data: new Float32Array(0), count: 0, gaps: [0] };
  }

  close(): Promise<void> {
    return this.#regs.close();
  }
}

/** An identity mismatch, keeping the chip's answer for the caller. */
export function identityError(message: string, found: Record<string, number | undefined>): Error {
  return Object.assign(new Error(message), { code: 'EIDENTITY', found });
}
