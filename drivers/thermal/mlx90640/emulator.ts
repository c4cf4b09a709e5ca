/**
 * A bus-level MLX90640 for tests, `bindsight dump` dry runs and demos: 16-bit register
 * addresses, 16-bit big-endian words, a repeated start required for reads (registers.ts,
 * MLX90640 driver doc §2.1.3), EEPROM at 0x2400, RAM at 0x0400, status 0x8000, control 0x800D.
 *
 * Behaviour modelled:
 * - power-on: control register = EEPROM word 0x240C, status 0 (driver doc §3.1.1);
 * - measurement: every 1/refresh-rate seconds of `clock` time the next recorded frame (834-word
 *   GetFrameData layout) is loaded into RAM and status gets bit 3 (new data) and bit 0 (its
 *   subpage); writing the control register restarts the measurement timer;
 * - status writes: bits 3..5 are written (0x0030 clears "new data"), bits 0..2 are read-only;
 * - EEPROM writes are ignored (the real EEPROM needs an erase/write sequence).
 */
import { type EmulatedDevice, type I2CMessage, RegisterMap } from '../../i2c/registerMap.js';
import {
  EE_CONTROL,
  EEPROM_START,
  EEPROM_WORDS,
  FRAME_SUBPAGE,
  RAM_START,
  RAM_WORDS,
  REG_CONTROL,
  REG_STATUS,
  refreshRateOf,
  STATUS_NEW_DATA,
} from './registers.js';

export interface Mlx90640EmulatorOptions {
  /** 832 EEPROM words. */
  eeprom: ArrayLike<number>;
  /** Frames (834 words each: RAM, control, subpage) produced in turn, looping. */
  frames: readonly ArrayLike<number>[];
  /** Time source, ms (a FakeClock in tests). */
  clock: { now(): number };
  /** Called when a measurement completes, with its subpage (tests inject faults "mid-frame" here). */
  onMeasurement?: (subpage: number) => void;
}

export class Mlx90640Emulator implements EmulatedDevice {
  readonly map: RegisterMap;
  /** Measurements completed since power-on. */
  measurements = 0;
  readonly #o: Mlx90640EmulatorOptions;
  #nextAt = 0;
  #frame = 0;

  constructor(options: Mlx90640EmulatorOptions) {
    this.#o = options;
    this.map = new RegisterMap({
      addressBytes: 2,
      wordBytes: 2,
      byteOrder: 'big',
      repeatedStart: 'required',
      powerOn: (m) => this.#powerOn(m),
    });
    this.map.hook(EEPROM_START, { write: () => undefined }, EEPROM_START + EEPROM_WORDS - 1);
    this.map.hook(REG_STATUS, {
      write: (v) => this.map.set(REG_STATUS, (this.map.get(REG_STATUS) & 0x0007) | (v & 0xfff8)),
    });
    this.map.hook(REG_CONTROL, {
      write: (v) => {
        this.map.set(REG_CONTROL, v);
        this.#nextAt = this.#o.clock.now() + this.periodMs;
      },
    });
  }

  /** Measurement period at the current control register setting, ms. */
  get periodMs(): number {
    return 1000 / refreshRateOf(this.map.get(REG_CONTROL));
  }

  #powerOn(m: RegisterMap): void {
    m.load(EEPROM_START, this.#o.eeprom);
    m.set(REG_CONTROL, this.#o.eeprom[EE_CONTROL] ?? 0x1901);
    m.set(REG_STATUS, 0);
    this.measurements = 0;
    this.#frame = 0;
    // `this.map` is not assigned yet during construction; the period comes from the EEPROM value.
    this.#nextAt = this.#o.clock.now() + 1000 / refreshRateOf(m.get(REG_CONTROL));
  }

  reset(): void {
    this.map.reset();
  }

  transfer(messages: readonly I2CMessage[]): Uint8Array[] {
    this.#measure();
    return this.map.transfer(messages);
  }

  /** Completes the measurements that are due by now (at most one per call, as the chip overwrites). */
  #measure(): void {
    const now = this.#o.clock.now();
    if (now < this.#nextAt || this.#o.frames.length === 0) return;
    const frame = this.#o.frames[this.#frame % this.#o.frames.length] ?? [];
    this.#frame++;
    const ram = Array.from({ length: RAM_WORDS }, (_, i) => frame[i] ?? 0);
    this.map.load(RAM_START, ram);
    const subpage = (frame[FRAME_SUBPAGE] ?? 0) & 1;
    const status = this.map.get(REG_STATUS);
    this.map.set(REG_STATUS, (status & ~0x0001) | STATUS_NEW_DATA | subpage);
    this.measurements++;
    const period = this.periodMs;
    this.#nextAt += period;
    if (this.#nextAt <= now) this.#nextAt = now + period; // nobody read for a while: restart the grid
    this.#o.onMeasurement?.(subpage);
  }
}
