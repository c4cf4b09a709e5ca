/**
 * TDK InvenSense ICM-20948 over I2C, read through its FIFO (../fifoSession.ts). Like the MPU chips
 * but banked: configuration lives in bank 2, the FIFO in bank 0, and the driver always leaves the
 * chip in bank 0. Register facts: ./registers.ts; sources: ../DATASHEETS.md.
 */
import type { FifoLayout } from '../fifoSession.js';
import { accelCode, gyroCode, lowPassFor, rateDivider } from '../invensense.js';
import { createInvensenseChip, type FoundIdentity, type InvensenseOptions } from '../invensenseChip.js';
import type { ChipRegisters } from '../registers.js';
import type { ImuChip } from '../types.js';
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

export type IcmOptions = InvensenseOptions;

/** Waits, ms: after DEVICE_RESET, and for the gyroscope to start (generous; ICM-DS Table 1). */
const RESET_MS = 100;
const STARTUP_MS = 50;

const bank = (regs: ChipRegisters, n: 0 | 2): Promise<void> => regs.writeByte(REG_BANK_SEL, n << 4);

/**
 * WHO_AM_I is bank 0 register 0x00. An MPU chip at the same address is recognised by its 0x75
 * first, so nothing is written to it; otherwise bank 0 is selected (a previous program may have
 * left another bank) and 0x00 read again.
 */
async function identify(regs: ChipRegisters): Promise<FoundIdentity | undefined> {
  let whoAmI00 = await regs.readByte(B0.WHO_AM_I);
  if (whoAmI00 === ICM_WHO_AM_I) return undefined;
  const whoAmI75 = await regs.readByte(0x75);
  if (whoAmI75 !== 0x68 && whoAmI75 !== 0x71) {
    await bank(regs, 0);
    whoAmI00 = await regs.readByte(B0.WHO_AM_I);
    if (whoAmI00 === ICM_WHO_AM_I) return undefined;
  }
  return { whoAmI75, whoAmI00 };
}

async function resetFifo(regs: ChipRegisters): Promise<void> {
  await regs.writeByte(B0.USER_CTRL, 0);
  await regs.writeByte(B0.FIFO_RST, BIT.FIFO_RST_ALL);
  await regs.writeByte(B0.FIFO_RST, 0);
  await regs.writeByte(B0.USER_CTRL, BIT.FIFO_EN);
  await regs.readByte(B0.INT_STATUS_2); // clears a stale overflow flag
}

/** Resolves with the output rate set, Hz. */
async function configure(regs: ChipRegisters, o: IcmOptions): Promise<number> {
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
  return rate;
}

const LAYOUT: FifoLayout = {
  status: B0.INT_STATUS_2,
  overflowMask: BIT.FIFO_OVERFLOW,
  count: B0.FIFO_COUNTH,
  data: B0.FIFO_R_W,
  capacity: ICM_FIFO_BYTES,
  reset: resetFifo,
};

export function createIcmChip(o: IcmOptions): ImuChip {
  return createInvensenseChip(o, {
    name: 'icm20948',
    expected: { title: 'ICM-20948', register: B0.WHO_AM_I, value: ICM_WHO_AM_I },
    identify,
    configure: (regs) => configure(regs, o),
    layout: LAYOUT,
  });
}
