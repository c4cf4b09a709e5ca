/**
 * InvenSense MPU-6050 and MPU-9250 over I2C, read through the FIFO: identity check, reset, clock,
 * sample-rate divider, low-pass filter, full scales, then one FIFO drain per poll. The FIFO keeps
 * every sample between polls, so none is lost or read twice as long as polls come before it fills;
 * an overflow is detected (INT_STATUS.FIFO_OFLOW_INT, or a count at capacity), counted, and
 * recovered by resetting the FIFO — the samples in it are discarded, never emitted.
 * Register facts: ./registers.ts; the FIFO drain: ../fifoSession.ts; sources: ../DATASHEETS.md.
 */
import type { I2COpener } from '../../i2c/types.js';
import { type FifoLayout, FifoSession, INVENSENSE_COUNTERS, identityError } from '../fifoSession.js';
import {
  type AccelRange,
  accelCode,
  type GyroRange,
  gyroCode,
  lowPassFor,
  rateDivider,
  type Scales,
  scalesFor,
  wrongIdentity,
} from '../invensense.js';
import { ChipRegisters } from '../registers.js';
import { type ChipContext, hex, type ImuChip, type ImuSession } from '../types.js';
import { BIT, INTERNAL_RATE_HZ, type MpuVariant, REG } from './registers.js';

export interface MpuOptions {
  variant: MpuVariant;
  bus: number;
  address: number;
  rate: number;
  accelRange: AccelRange;
  gyroRange: GyroRange;
  i2c: I2COpener;
}

/** Datasheet waits, ms: after DEVICE_RESET, and gyro start-up after waking [MPU6050-PS §6.1]. */
const RESET_MS = 100;
const GYRO_STARTUP_MS = 30;

async function identify(regs: ChipRegisters, variant: MpuVariant): Promise<void> {
  const whoAmI75 = await regs.readByte(REG.WHO_AM_I);
  if (whoAmI75 === variant.whoAmI) return;
  const whoAmI00 = await regs.readByte(0x00).catch(() => undefined);
  const expected = { title: variant.title, register: REG.WHO_AM_I, value: variant.whoAmI };
  throw identityError(wrongIdentity(expected, regs.where, { whoAmI75, whoAmI00 }), { whoAmI75, whoAmI00 });
}

interface Plan {
  rate: number;
  scales: Scales;
}

async function configure(regs: ChipRegisters, o: MpuOptions): Promise<Plan> {
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
  return { rate, scales: scalesFor(o.accelRange, o.gyroRange) };
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

async function openMpu(o: MpuOptions, where: string, ctx: ChipContext): Promise<ImuSession> {
  const handle = await o.i2c(o.bus);
  const regs = new ChipRegisters(handle, o.address, where, ctx.clock, ctx.signal);
  try {
    await identify(regs, o.variant);
    const plan = await configure(regs, o);
    const identity = `${o.variant.title} (WHO_AM_I ${hex(o.variant.whoAmI)}) on ${where}, ${plan.rate.toFixed(1)} Hz, ±${o.accelRange} g, ±${o.gyroRange} °/s`;
    return new FifoSession(
      regs,
      { identity, rate: plan.rate, scales: plan.scales, layout: layout(o.variant) },
      ctx,
    );
  } catch (err) {
    await regs.close();
    throw err;
  }
}

export function createMpuChip(o: MpuOptions): ImuChip {
  const where = `I2C bus ${o.bus} address ${hex(o.address)}`;
  return {
    name: o.variant.driver,
    location: where,
    counters: INVENSENSE_COUNTERS,
    open: (ctx) => openMpu(o, where, ctx),
  };
}
