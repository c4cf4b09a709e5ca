/**
 * Register access to one I2C chip for the IMU chips: every transfer bounded by a deadline (a stuck
 * bus must not hang the driver; drivers/thermal/deadline.ts) and cut short by stop(). Reads longer
 * than an SMBus block (32 bytes, the most `i2c-bus` readI2cBlock takes) are split.
 */

import { withDeadline } from '../deadline.js';
import type { I2CHandle } from '../i2c/types.js';
import type { Clock } from '../replay/clock.js';

/** SMBus 2.0 §5.5.7: a block transfer carries at most 32 bytes. */
export const SMBUS_BLOCK_MAX = 32;

/** Longest wait for one transfer, ms; kernel adapters give up on their own after about 1 s. */
export const I2C_DEADLINE_MS = 500;

export class ChipRegisters {
  constructor(
    readonly handle: I2CHandle,
    readonly address: number,
    readonly where: string,
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
  ) {}

  #bounded<T>(op: Promise<T>, what: string): Promise<T> {
    return withDeadline(op, I2C_DEADLINE_MS, this.clock, this.signal, `${what} on ${this.where}`);
  }

  readByte(register: number): Promise<number> {
    return this.#bounded(this.handle.bus.readByte(this.address, register), `read of register ${register}`);
  }

  writeByte(register: number, value: number): Promise<void> {
    return this.#bounded(
      this.handle.bus.writeByte(this.address, register, value),
      `write of register ${register}`,
    );
  }

  /** `length` bytes from consecutive registers (auto-increment), in blocks of at most 32. */
  async read(register: number, length: number): Promise<Uint8Array> {
    return this.#blocks(length, (offset) => register + offset);
  }

  /** `length` bytes from one register that does not advance (a FIFO data port). */
  async readPort(register: number, length: number): Promise<Uint8Array> {
    return this.#blocks(length, () => register);
  }

  async #blocks(length: number, registerAt: (offset: number) => number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += SMBUS_BLOCK_MAX) {
      const n = Math.min(SMBUS_BLOCK_MAX, length - offset);
      const buffer = Buffer.alloc(n);
      const reg = registerAt(offset);
      await this.#bounded(this.handle.bus.readI2cBlock(this.address, reg, n, buffer), `block read at ${reg}`);
      out.set(buffer, offset);
    }
    return out;
  }

  /** Writes, then reads back to check the chip took the value (a brown-out or bit flip shows here). */
  async writeChecked(register: number, value: number, mask = 0xff): Promise<void> {
    await this.writeByte(register, value);
    const back = await this.readByte(register);
    if ((back & mask) !== (value & mask)) {
      const h = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
      throw new Error(
        `register ${h(register)} on ${this.where} reads back ${h(back)} after writing ${h(value)} (chip reset or bus errors?)`,
      );
    }
  }

  /** Waits `ms` on the driver's clock (datasheet start-up and mode-switch times). */
  pause(ms: number): Promise<void> {
    return this.clock.sleep(ms, this.signal);
  }

  close(): Promise<void> {
    return this.handle.bus.close().catch(() => undefined);
  }
}
