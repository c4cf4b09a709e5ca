/**
 * A bus-level AMG8833 for tests and dry runs: 8-bit registers with auto-increment [AMG-REF 4-10].
 * Modelled: power-on values (normal mode, 10 fps), RST 0x30/0x3F clearing the status flags,
 * SCLR clearing them bit by bit, FPSC selecting 1 or 10 fps, the thermistor, and the 64 pixels
 * refreshed "in a lump" once per frame period of `clock` time from `scene(frameNumber)`.
 */
import { type EmulatedDevice, type I2CMessage, RegisterMap } from '../../i2c/registerMap.js';
import {
  PIXELS,
  pixelCode,
  REG_FPSC,
  REG_RST,
  REG_SCLR,
  REG_STAT,
  REG_T01L,
  REG_TTHL,
  thermistorCode,
} from './registers.js';

export interface Amg8833EmulatorOptions {
  /** Time source, ms. */
  clock: { now(): number };
  /** The 64 pixel temperatures (°C, row-major) of frame n. Default: 22 °C with a 30 °C 2×2 blob. */
  scene?: (frame: number) => ArrayLike<number>;
  /** Thermistor temperature, °C (default 24). */
  thermistor?: number;
}

function defaultScene(frame: number): number[] {
  const blob = new Set([27, 28, 35, 36].map((p) => (p + frame) % PIXELS));
  return Array.from({ length: PIXELS }, (_, i) => (blob.has(i) ? 30 : 22));
}

export class Amg8833Emulator implements EmulatedDevice {
  readonly map: RegisterMap;
  frames = 0;
  readonly #o: Amg8833EmulatorOptions;
  #nextAt = 0;

  constructor(options: Amg8833EmulatorOptions) {
    this.#o = options;
    this.map = new RegisterMap({ addressBytes: 1, powerOn: (m) => this.#powerOn(m) });
    this.map.hook(REG_RST, {
      write: (v) => {
        if (v === 0x30 || v === 0x3f) this.map.set(REG_STAT, 0);
      },
    });
    this.map.hook(REG_SCLR, { write: (v) => this.map.set(REG_STAT, this.map.get(REG_STAT) & ~v) });
    this.map.hook(REG_STAT, { write: () => undefined }); // read-only
    this.map.hook(REG_FPSC, {
      write: (v) => {
        this.map.set(REG_FPSC, v & 0x01);
        this.#nextAt = this.#o.clock.now() + this.periodMs;
      },
    });
  }

  get periodMs(): number {
    return (this.map.get(REG_FPSC) & 0x01) === 1 ? 1000 : 100;
  }

  /** Sets the thermistor reading (°C). */
  setThermistor(celsius: number): void {
    const code = thermistorCode(celsius);
    this.map.set(REG_TTHL, code & 0xff);
    this.map.set(REG_TTHL + 1, code >> 8);
  }

  #powerOn(m: RegisterMap): void {
    m.set(REG_FPSC, 0);
    this.frames = 0;
    const code = thermistorCode(this.#o.thermistor ?? 24);
    m.set(REG_TTHL, code & 0xff);
    m.set(REG_TTHL + 1, code >> 8);
    this.#load(m);
    this.#nextAt = this.#o.clock.now() + 100;
  }

  #load(m: RegisterMap): void {
    const scene = (this.#o.scene ?? defaultScene)(this.frames);
    for (let i = 0; i < PIXELS; i++) {
      const code = pixelCode(scene[i] ?? 0);
      m.set(REG_T01L + 2 * i, code & 0xff);
      m.set(REG_T01L + 2 * i + 1, code >> 8);
    }
  }

  reset(): void {
    this.map.reset();
  }

  transfer(messages: readonly I2CMessage[]): Uint8Array[] {
    const now = this.#o.clock.now();
    if (now >= this.#nextAt) {
      this.frames++;
      this.#load(this.map);
      this.#nextAt += this.periodMs;
      if (this.#nextAt <= now) this.#nextAt = now + this.periodMs;
    }
    return this.map.transfer(messages);
  }
}
