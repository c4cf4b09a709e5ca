/**
 * Bosch BNO055 as an ImuChip, over I2C or UART (transport.ts). Init: identity (CHIP_ID 0xA0),
 * page 0, CONFIG mode (most registers are writable only there [BNO-DS §3.3.1]), normal power,
 * units m/s² and rad/s, then the operating mode (AMG, IMU or NDOF), each switch followed by its
 * datasheet delay. Reading: one burst of ACC, MAG and GYR data per poll [BNO-DS §3.7]. The chip
 * has no FIFO, so it is polled on a fixed schedule (`buffered: false`).
 *
 * A BNO055 that resets by itself (brown-out) comes back in CONFIG mode and outputs zeros; the
 * session re-reads OPR_MODE once a second and reports the device lost when it changed, so the
 * driver re-initialises it.
 */

import { type ChipContext, hex, type ImuBatch, type ImuChip, type ImuSession } from '../types.js';
import { int16 } from '../units.js';
import {
  accelMs2,
  type Bno055Mode,
  DATA_BURST_BYTES,
  DRIVER_MODES,
  gyroRads,
  IDS,
  MODES,
  REG,
  SWITCH_FROM_CONFIG_MS,
  SWITCH_TO_CONFIG_MS,
  UNIT_SEL_SI,
} from './registers.js';
import { type Bno055Io, type Bno055Transport, openBno055Io, transportWhere } from './transport.js';

export interface Bno055Options {
  transport: Bno055Transport;
  mode: Bno055Mode;
  /** Samples per second, ≤ 100 (the fusion output rate). */
  rate: number;
}

export const BNO055_COUNTERS = ['mode_checks'] as const;

async function identify(io: Bno055Io): Promise<void> {
  const [chipId] = await io.read(REG.CHIP_ID, 1);
  if (chipId === IDS.chip) return;
  const found = hex(chipId);
  throw Object.assign(
    new Error(
      `expected a BNO055 (CHIP_ID ${hex(REG.CHIP_ID)} = ${hex(IDS.chip)}) on ${io.where}, found ${found}: check the address (0x28 with COM3 low, 0x29 with COM3 high; 0x29 is also a VL53L0X/VL53L5CX time-of-flight sensor) or run \`bindsight doctor\``,
    ),
    { code: 'EIDENTITY', found: { chipId } },
  );
}

/** Writes a register and checks it took (the BNO055 ignores most writes outside CONFIG mode). */
async function writeChecked(io: Bno055Io, register: number, value: number): Promise<void> {
  await io.write(register, value);
  const [back] = await io.read(register, 1);
  if (back !== value)
    throw new Error(
      `BNO055 register ${hex(register)} on ${io.where} reads ${hex(back)} after writing ${hex(value)}`,
    );
}

async function configure(io: Bno055Io, mode: number): Promise<void> {
  await io.write(REG.PAGE_ID, 0);
  await io.write(REG.OPR_MODE, MODES.CONFIG);
  await io.pause(SWITCH_TO_CONFIG_MS);
  await io.write(REG.PWR_MODE, 0x00); // normal [BNO-DS §3.2.1]
  await writeChecked(io, REG.UNIT_SEL, UNIT_SEL_SI);
  await io.write(REG.OPR_MODE, mode);
  await io.pause(SWITCH_FROM_CONFIG_MS);
  const [now] = await io.read(REG.OPR_MODE, 1);
  if ((now & 0x0f) !== mode)
    throw new Error(`BNO055 on ${io.where} is in mode ${hex(now)} after switching to ${hex(mode)}`);
}

class Bno055Session implements ImuSession {
  readonly identity: string;
  readonly rate: number;
  readonly pollMs: number;
  readonly buffered = false;
  readonly #io: Bno055Io;
  readonly #mode: number;
  readonly #ctx: ChipContext;
  #reads = 0;

  constructor(io: Bno055Io, o: Bno055Options, ctx: ChipContext) {
    this.#io = io;
    this.#mode = DRIVER_MODES[o.mode];
    this.#ctx = ctx;
    this.rate = o.rate;
    this.pollMs = 1000 / o.rate;
    this.identity = `BNO055 (CHIP_ID ${hex(IDS.chip)}) on ${io.where}, ${o.mode.toUpperCase()} mode, ${o.rate} Hz`;
  }

  async read(): Promise<ImuBatch> {
    if (++this.#reads % Math.max(1, Math.round(this.rate)) === 0) await this.#checkMode();
    const b = await this.#io.read(REG.ACC_DATA_X_LSB, DATA_BURST_BYTES);
    const v = (at: number): number => int16(b[at + 1], b[at]); // little-endian [BNO-DS §3.6.4]
    const g = REG.GYR_DATA_X_LSB - REG.ACC_DATA_X_LSB;
    const data = Float32Array.of(
      accelMs2(v(0)),
      accelMs2(v(2)),
      accelMs2(v(4)),
      gyroRads(v(g)),
      gyroRads(v(g + 2)),
      gyroRads(v(g + 4)),
    );
    return { data, count: 1, gaps: [] };
  }

  async #checkMode(): Promise<void> {
    this.#ctx.count('mode_checks');
    const [mode] = await this.#io.read(REG.OPR_MODE, 1);
    if ((mode & 0x0f) !== this.#mode) {
      throw new Error(
        `BNO055 on ${this.#io.where} left mode ${hex(this.#mode)} (now ${hex(mode)}): it reset itself (power glitch?) and is re-initialised`,
      );
    }
  }

  close(): Promise<void> {
    return this.#io.close();
  }
}

async function openBno055(o: Bno055Options, ctx: ChipContext): Promise<ImuSession> {
  const io = await openBno055Io(o.transport, ctx.clock, ctx.signal);
  try {
    await identify(io);
    await configure(io, DRIVER_MODES[o.mode]);
    return new Bno055Session(io, o, ctx);
  } catch (err) {
    await io.close();
    throw err;
  }
}

export function createBno055Chip(o: Bno055Options): ImuChip {
  return {
    name: 'bno055',
    location: transportWhere(o.transport),
    counters: BNO055_COUNTERS,
    open: (ctx) => openBno055(o, ctx),
  };
}
