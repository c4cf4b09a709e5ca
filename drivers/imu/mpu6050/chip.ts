/**
 * InvenSense MPU-6050 and MPU-9250 over I2C, read through the FIFO: identity check, reset, clock,
 * sample-rate divider, low-pass filter, full scales, then one FIFO drain per poll. The FIFO keeps
 * every sample between polls, so none is lost or read twice as long as polls come before it fills;
 * an overflow is detected (INT_STATUS.FIFO_OFLOW_INT, or a count at capacity), counted, and
 * recovered by resetting the FIFO — the samples in it are discarded, never emitted.
 * Register facts: ./registers.ts; the FIFO drain: ../fifoSession.ts; sources: ../DATASHEETS.md.
 */
import type { FifoLayout } from '../fifoSession.js';
import { accelCode, gyroCode, lowPassFor, rateDivider } from '../invensense.js';
import { createInvensenseChip, type FoundIdentity, type InvensenseOptions } from '../invensenseChip.js';
import type { ChipRegisters } from '../registers.js';
import type { ImuChip } from '../types.js';
import { BIT, INTERNAL_RATE_HZ, type MpuVariant, REG } from './registers.js';

export interface MpuOptions extends InvensenseOptions {
  variant: MpuVariant;
}

/** Datasheet waits, ms: after DEVICE_RESET, and gyro start-up after waking [MPU6050-PS §6.1]. */
const RESET_MS = 100;
const GYRO_STARTUP_MS = 30;

async function identify(regs: ChipRegisters, variant: MpuVariant): Promise<FoundIdentity | undefined> {
  const whoAmI75 = await regs.readByte(REG.WHO_AM_I);
  if (whoAmI75 === variant.whoAmI) return undefined;
  const whoAmI00 = await regs.readByte(0x00).catch(() => undefined);
  return { whoAmI75, whoAmI00 };
}

/** Resolves with the output rate set, Hz. */
async function configure(regs: ChipRegisters, o: MpuOptions): Promise<number> {
  await regs.writeByte(REG.PWR_MGMT_1, BIT.DEVICE_RESET);
  await regs.pause(RESET_MS);
  await regs.writeChecked(REG.PWR_MGMT_1, BIT.CLKSEL_PLL_XGYRO);
  await regs.pause(GYRO_STARTUP_MS);
  const { div, rate } = rateDivider(o.rate, INTERNAL_RATE_HZ, 255);
  await regs.writeChecked(REG.SMPLRT_DIV, div);
  await regs.writeChecked(REG.CONFIG, lowPassFor(rate, o.variant.gyroDlpf), 0x07);
  await regs.writeChecked(REG.GYRO_CONFIG, gyroCode(o.gyroRange) << 3, 0x18);
  await regs.writeChecked(REG.ACCEL_CONFIG, accelCode(o.accelRange) << 3, 0x18);
  if (o.variant.accelDlpf)
    await regs.writeChecked(REG.ACCEL_CONFIG2, lowPassFor(rate, o.variant.accelDlpf), 0x0f);
  await regs.writeChecked(REG.FIFO_EN, BIT.FIFO_EN_GYRO_ACCEL);
  await regs.writeByte(REG.INT_ENABLE, BIT.FIFO_OFLOW);
  await resetFifo(regs);
  return rate;
}

function layout(variant: MpuVariant): FifoLayout {
  return {
    status: REG.INT_STATUS,
    overflowMask: BIT.FIFO_OFLOW,
    count: REG.FIFO_COUNTH,
    data: REG.FIFO_R_W,
    capacity: variant.fifoBytes,
    reset: resetFifo,
  };
}

/** FIFO_RESET works while USER_CTRL.FIFO_EN is 0 and clears itself [MPU6050-RM §4.29]. */
async function resetFifo(regs: ChipRegisters): Promise<void> {
  await regs.writeByte(REG.USER_CTRL, 0);
  await regs.writeByte(REG.USER_CTRL, BIT.USER_FIFO_RESET);
  await regs.writeByte(REG.USER_CTRL, BIT.USER_FIFO_EN);
  await regs.readByte(REG.INT_STATUS); // clears a stale FIFO_OFLOW_INT
}

export function createMpuChip(o: MpuOptions): ImuChip {
  const { variant } = o;
  return createInvensenseChip(o, {
    name: variant.driver,
    expected: { title: variant.title, register: REG.WHO_AM_I, value: variant.whoAmI },
    identify: (regs) => identify(regs, variant),
    configure: (regs) => configure(regs, o),
    layout: layout(variant),
  });
}
