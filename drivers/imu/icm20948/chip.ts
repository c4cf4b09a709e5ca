/**
 * TDK InvenSense ICM-20948 over I2C, read through its FIFO (../fifoSession.ts). Like the MPU chips
 * but banked: configuration lives in bank 2, the FIFO in bank 0, and the driver always leaves the
 * chip in bank 0. Register facts: ./registers.ts; sources: ../DATASHEETS.md.
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
import {
  B0,
  B2,
  BIT,
  ICM_ACCEL_DLPF_HZ,
  ICM_FIFO_BYTES,
  ICM_GYRO_DLPF_HZ,
  ICM_INTERNAL_RATE_HZ,
  ICM_WHO_AM_I,
  REG_BANK_SEL,
} from './registers.js';

export interface IcmOptions {
  bus: number;
  address: number;
  rate: number;
  accelRange: AccelRange;
  gyroRange: GyroRange;
  i2c: I2COpener;
}

/** Waits, ms: after DEVICE_RESET, and for the gyroscope to start (generous; ICM-DS Table 1). */
const RESET_MS = 100;
const STARTUP_MS = 50;

const bank = (regs: ChipRegisters, n: 0 | 2): Promise<void> => regs.writeByte(REG_BANK_SEL, n << 4);

/**
 * WHO_AM_I is bank 0 register 0x00. An MPU chip at the same address is recognised by its 0x75
 * first, so nothing is written to it; otherwise bank 0 is selected (a previous program may have
 * left another bank) and 0x00 read again.
 */
async function identify(regs: ChipRegisters): Promise<void> {
  let whoAmI00 = await regs.readByte(B0.WHO_AM_I);
  if (whoAmI00 === ICM_WHO_AM_I) return;
  const whoAmI75 = await regs.readByte(0x75);
  if (whoAmI75 !== 0x68 && whoAmI75 !== 0x71) {
    await bank(regs, 0);
    whoAmI00 = await regs.readByte(B0.WHO_AM_I);
    if (whoAmI00 === ICM_WHO_AM_I) return;
  }
  const expected = { title: 'ICM-20948', register: B0.WHO_AM_I, value: ICM_WHO_AM_I };
  throw identityError(wrongIdentity(expected, regs.where, { whoAmI75, whoAmI00 }), { whoAmI75, whoAmI00 });
}

async function resetFifo(regs: ChipRegisters): Promise<void> {
  await regs.writeByte(B0.USER_CTRL, 0);
  await regs.writeByte(B0.FIFO_RST, BIT.FIFO_RST_ALL);
  await regs.writeByte(B0.FIFO_RST, 0);
  await regs.writeByte(B0.USER_CTRL, BIT.FIFO_EN);
  await regs.readByte(B0.INT_STATUS_2); // clears a stale overflow flag
}

async function configure(regs: ChipRegisters, o: IcmOptions): Promise<{ rate: number; scales: Scales }> {
  await regs.writeByte(B0.PWR_MGMT_1, BIT.DEVICE_RESET); // also returns to bank 0
  await regs.pause(RESET_MS);
  await regs.writeChecked(B0.PWR_MGMT_1, BIT.CLKSEL_AUTO);
  await regs.writeChecked(B0.PWR_MGMT_2, 0);
  await regs.pause(STARTUP_MS);
  const { div, rate } = rateDivider(o.rate, ICM_INTERNAL_RATE_HZ, 255);
  await bank(regs, 2);
  await regs.writeChecked(B2.GYRO_SMPLRT_DIV, div);
  const gyroLp = lowPassFor(rate, ICM_GYRO_DLPF_HZ);
  await regs.writeChecked(B2.GYRO_CONFIG_1, (gyroLp << 3) | (gyroCode(o.gyroRange) << 1) | BIT.FCHOICE);
  await regs.writeChecked(B2.ACCEL_SMPLRT_DIV_1, div >> 8);
  await regs.writeChecked(B2.ACCEL_SMPLRT_DIV_2, div & 0xff);
  const accelLp = lowPassFor(rate, ICM_ACCEL_DLPF_HZ);
  await regs.writeChecked(B2.ACCEL_CONFIG, (accelLp << 3) | (accelCode(o.accelRange) << 1) | BIT.FCHOICE);
  await regs.writeByte(B2.ODR_ALIGN_EN, 1);
  await bank(regs, 0);
  await regs.writeChecked(B0.FIFO_EN_2, BIT.FIFO_EN_GYRO_ACCEL);
  await regs.writeByte(B0.FIFO_MODE, 0);
  await regs.writeByte(B0.INT_ENABLE_2, BIT.FIFO_OVERFLOW);
  await resetFifo(regs);
  return { rate, scales: scalesFor(o.accelRange, o.gyroRange) };
}

const LAYOUT: FifoLayout = {
  status: B0.INT_STATUS_2,
  overflowMask: BIT.FIFO_OVERFLOW,
  count: B0.FIFO_COUNTH,
  data: B0.FIFO_R_W,
  capacity: ICM_FIFO_BYTES,
  reset: resetFifo,
};

async function openIcm(o: IcmOptions, where: string, ctx: ChipContext): Promise<ImuSession> {
  const handle = await o.i2c(o.bus);
  const regs = new ChipRegisters(handle, o.address, where, ctx.clock, ctx.signal);
  try {
    await identify(regs);
    const plan = await configure(regs, o);
    const identity = `ICM-20948 (WHO_AM_I ${hex(ICM_WHO_AM_I)}) on ${where}, ${plan.rate.toFixed(1)} Hz, ±${o.accelRange} g, ±${o.gyroRange} °/s`;
    return new FifoSession(regs, { identity, rate: plan.rate, scales: plan.scales, layout: LAYOUT }, ctx);
  } catch (err) {
    await regs.close();
    throw err;
  }
}

export function createIcmChip(o: IcmOptions): ImuChip {
  const where = `I2C bus ${o.bus} address ${hex(o.address)}`;
  return {
    name: 'icm20948',
    location: where,
    counters: INVENSENSE_COUNTERS,
    open: (ctx) => openIcm(o, where, ctx),
  };
}
