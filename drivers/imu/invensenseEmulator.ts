/**
 * Register behaviour the emulated InvenSense chips share (./mpu6050/emulator.ts,
 * ./icm20948/emulator.ts); only the register addresses differ between them (register facts and
 * their datasheet sections: ./mpu6050/registers.ts, ./icm20948/registers.ts):
 * - PWR_MGMT_1.DEVICE_RESET resets the chip;
 * - the FIFO read side: the overflow flag in a status register clears on read, reading FIFO_COUNTH
 *   latches the count so that FIFO_COUNTL (the next register) belongs to it, and FIFO_R_W is a
 *   port that does not advance the register pointer;
 * - writes to the registers that decide whether samples flow, and at what rate, take effect at once.
 */
import type { RegisterMap } from '../i2c/registerMap.js';
import type { FifoModel } from './fifoModel.js';

/** What the emulated chip does when its registers change. */
export interface EmulatedChip {
  /** Power-on reset. */
  reset(): void;
  /** Starts, stops or re-times sampling from the current register values. */
  update(): void;
}

/** PWR_MGMT_1 at `register`: a write with `resetBit` set resets the chip, any other is stored. */
export function hookPowerReset(m: RegisterMap, register: number, resetBit: number, chip: EmulatedChip): void {
  m.hook(register, {
    write: (v) => {
      if (v & resetBit) chip.reset();
      else m.set(register, v);
      chip.update();
    },
  });
}

/** Writes to `registers` are stored, then sampling is updated. */
export function hookUpdating(m: RegisterMap, registers: readonly number[], chip: EmulatedChip): void {
  for (const r of registers) {
    m.hook(r, {
      write: (v) => {
        m.set(r, v);
        chip.update();
      },
    });
  }
}

/** Registers of the FIFO read side (FIFO_COUNTL is FIFO_COUNTH + 1 on every chip). */
export interface FifoPorts {
  /** Status register and its overflow bit (cleared by reading). */
  status: number;
  overflowMask: number;
  countHigh: number;
  /** FIFO_R_W. */
  data: number;
}

export function hookFifoPorts(m: RegisterMap, fifo: FifoModel, ports: FifoPorts): void {
  let latchedLow = 0;
  m.hook(ports.status, {
    read: () => {
      const v = fifo.overflowed ? ports.overflowMask : 0;
      fifo.overflowed = false;
      return v;
    },
  });
  m.hook(ports.countHigh, {
    read: () => {
      const c = fifo.count;
      latchedLow = c & 0xff;
      return c >> 8;
    },
  });
  m.hook(ports.countHigh + 1, { read: () => latchedLow });
  m.hook(ports.data, { read: () => fifo.readByte(), increment: false });
}
