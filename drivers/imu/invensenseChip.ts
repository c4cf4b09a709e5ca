/**
 * Opening an InvenSense chip over I2C, the same for the MPU-6050/MPU-9250 (./mpu6050/chip.ts) and
 * the ICM-20948 (./icm20948/chip.ts): open the bus, check the identity, reset and configure, then
 * read through the FIFO (./fifoSession.ts); a failure on the way closes the bus handle again.
 * The chips differ only in their steps (`InvensenseSteps`) and FIFO registers.
 */
import type { I2COpener } from '../i2c/types.js';
import { type FifoLayout, FifoSession, INVENSENSE_COUNTERS, identityError } from './fifoSession.js';
import { type AccelRange, type GyroRange, scalesFor, wrongIdentity } from './invensense.js';
import { ChipRegisters } from './registers.js';
import { type ChipContext, hex, type ImuChip, type ImuSession } from './types.js';

/** What every InvenSense chip is opened with. */
export interface InvensenseOptions {
  bus: number;
  address: number;
  rate: number;
  accelRange: AccelRange;
  gyroRange: GyroRange;
  i2c: I2COpener;
}

/** The WHO_AM_I answers of a chip that is not the one expected (whoAmI00 undefined: unreadable). */
export interface FoundIdentity {
  whoAmI75: number;
  whoAmI00: number | undefined;
}

export interface InvensenseSteps {
  /** ImuChip.name: the config's `driver`. */
  name: string;
  /** The identity looked for: the chip's title for messages, its WHO_AM_I register and value. */
  expected: { title: string; register: number; value: number };
  /** Reads the identity: undefined if it is the expected chip, else what answered. */
  identify(regs: ChipRegisters): Promise<FoundIdentity | undefined>;
  /** Resets and configures the chip for FIFO reads; resolves with the output rate it set, Hz. */
  configure(regs: ChipRegisters): Promise<number>;
  layout: FifoLayout;
}

export function createInvensenseChip(o: InvensenseOptions, steps: InvensenseSteps): ImuChip {
  const where = `I2C bus ${o.bus} address ${hex(o.address)}`;
  return {
    name: steps.name,
    location: where,
    counters: INVENSENSE_COUNTERS,
    open: (ctx) => openChip(o, steps, where, ctx),
  };
}

async function openChip(
  o: InvensenseOptions,
  steps: InvensenseSteps,
  where: string,
  ctx: ChipContext,
): Promise<ImuSession> {
  const handle = await o.i2c(o.bus);
  const regs = new ChipRegisters(handle, o.address, where, ctx.clock, ctx.signal);
  try {
    const found = await steps.identify(regs);
    if (found) throw identityError(wrongIdentity(steps.expected, regs.where, found), { ...found });
    const rate = await steps.configure(regs);
    const { title, value } = steps.expected;
    const identity = `${title} (WHO_AM_I ${hex(value)}) on ${where}, ${rate.toFixed(1)} Hz, ±${o.accelRange} g, ±${o.gyroRange} °/s`;
    const scales = scalesFor(o.accelRange, o.gyroRange);
    return new FifoSession(regs, { identity, rate, scales, layout: steps.layout }, ctx);
  } catch (err) {
    await regs.close();
    throw err;
  }
}
