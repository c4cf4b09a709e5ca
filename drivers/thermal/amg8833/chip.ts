/**
 * The AMG8833 on an I2C handle. Init [AMG-REF 4-11]: normal mode, flag reset, interrupts off,
 * frame rate, then a read-back of FPSC and a plausible thermistor as the identity check (the
 * chip has no ID register). Each poll reads the thermistor and all 64 pixels; the pixels in one
 * 128-byte burst from 0x80, because they "update in a lump" and split reads could mix two
 * frames [AMG-REF 4-11-11]. The register pointer survives a STOP on this chip, so the burst is a
 * combined transfer when the transport has one, else i2cWrite(0x80) + i2cRead(128).
 */
import type { I2CHandle } from '../../i2c/types.js';
import { DeviceMismatch, FrameRejected, hexAddress, type ThermalChip, type ThermalReading } from '../chip.js';
import {
  decodePixels,
  HEIGHT,
  PCTL_NORMAL,
  PIXEL_BYTES,
  REG_FPSC,
  REG_INTC,
  REG_PCTL,
  REG_RST,
  REG_SCLR,
  REG_STAT,
  REG_T01L,
  REG_TTHL,
  RST_FLAG,
  STAT_OVERFLOW,
  thermistorCelsius,
  WIDTH,
} from './registers.js';

export interface Amg8833Settings {
  address: number;
  rate: 1 | 10;
}

/** Plausible ranges, °C: thermistor (operating −20..80 °C [AMG-DS]) and pixel output (±margin). */
export const PLAUSIBLE = { thermistor: [-30, 90], pixel: [-60, 130] } as const;

export class Amg8833Chip implements ThermalChip {
  readonly width = WIDTH;
  readonly height = HEIGHT;
  readonly hasDataReady = false;
  readonly periodMs: number;

  constructor(
    private readonly handle: I2CHandle,
    private readonly s: Amg8833Settings,
  ) {
    this.periodMs = 1000 / s.rate;
  }

  async #read(register: number, length: number): Promise<Uint8Array> {
    const { bus, combined } = this.handle;
    if (combined) return combined.writeRead(this.s.address, Uint8Array.of(register), length);
    await bus.i2cWrite(this.s.address, 1, Buffer.of(register));
    const buffer = Buffer.alloc(length);
    await bus.i2cRead(this.s.address, length, buffer);
    return buffer;
  }

  async #thermistor(): Promise<number> {
    const b = await this.#read(REG_TTHL, 2);
    return thermistorCelsius((b[0] ?? 0) | ((b[1] ?? 0) << 8));
  }

  async init(): Promise<{ settleMs: number }> {
    const { bus } = this.handle;
    const a = this.s.address;
    await bus.writeByte(a, REG_PCTL, PCTL_NORMAL);
    await bus.writeByte(a, REG_RST, RST_FLAG);
    await bus.writeByte(a, REG_INTC, 0x00);
    const fpsc = this.s.rate === 1 ? 0x01 : 0x00;
    await bus.writeByte(a, REG_FPSC, fpsc);
    const readBack = (await bus.readByte(a, REG_FPSC)) & 0x01;
    const tth = await this.#thermistor();
    const [lo, hi] = PLAUSIBLE.thermistor;
    if (readBack !== fpsc || !(tth >= lo && tth <= hi)) {
      throw new DeviceMismatch(
        `the device at ${hexAddress(a)} does not behave like an AMG8833 (FPSC read back ${readBack}, wrote ${fpsc}; thermistor ${tth} °C, expected ${lo}..${hi}); check the address (0x68 or 0x69) and the wiring`,
      );
    }
    // Output is valid from the second frame after a mode change [AMG-REF 4-11-2].
    return { settleMs: 2 * this.periodMs };
  }

  async poll(): Promise<ThermalReading> {
    const thermistor = await this.#thermistor();
    const block = await this.#read(REG_T01L, PIXEL_BYTES);
    const celsius = decodePixels(block);
    const status = await this.handle.bus.readByte(this.s.address, REG_STAT);
    if ((status & STAT_OVERFLOW) !== 0) {
      await this.handle.bus.writeByte(this.s.address, REG_SCLR, STAT_OVERFLOW);
      throw new FrameRejected('AMG8833 reports a temperature output overflow (OVF_IRS)');
    }
    const [tlo, thi] = PLAUSIBLE.thermistor;
    if (!(thermistor >= tlo && thermistor <= thi)) {
      throw new FrameRejected(`AMG8833 thermistor at ${thermistor} °C is implausible (bit error?)`);
    }
    const [lo, hi] = PLAUSIBLE.pixel;
    const bad = celsius.findIndex((v) => !(v >= lo && v <= hi));
    if (bad >= 0)
      throw new FrameRejected(`AMG8833 pixel ${bad} at ${celsius[bad]} °C is implausible (bit error?)`);
    return { celsius, meta: { thermistor } };
  }
}
