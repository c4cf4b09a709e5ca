/**
 * The MLX90640 on an I2C handle: init (EEPROM → calibration, control register → rate,
 * resolution, pattern) and the per-subpage read, following the sequence of the Melexis library
 * (`MLX90640_GetFrameData`): wait for status bit 3, clear it by writing 0x0030, read the RAM,
 * read the control register. Reads need a repeated start (MLX90640 driver doc §2.1.3, Melexis
 * on mlx90640-library issue #45), so they go through `handle.combined`; writes are plain.
 */
import type { I2CHandle } from '../../i2c/types.js';
import {
  DeviceMismatch,
  FrameRejected,
  hexAddress,
  SetupError,
  type ThermalChip,
  type ThermalReading,
} from '../chip.js';
import { correctBadPixels } from './badPixels.js';
import { calculateTo, inSubpage, type ToOptions } from './calculate.js';
import { extractParameters, type Mlx90640Params } from './eeprom.js';
import {
  controlWord,
  EEPROM_START,
  EEPROM_WORDS,
  FRAME_WORDS,
  HEIGHT,
  PATTERN_CHESS,
  type Pattern,
  PIXELS,
  RAM_START,
  RAM_WORDS,
  REG_CONTROL,
  REG_STATUS,
  type RefreshRate,
  type Resolution,
  STATUS_CLEAR,
  STATUS_NEW_DATA,
  STATUS_SUBPAGE,
  WIDTH,
  wordsFromBytes,
} from './registers.js';
import { checkEeprom, checkInvalidWords, checkPlausible } from './validate.js';

export interface Mlx90640Settings {
  address: number;
  rate: RefreshRate;
  resolution: Resolution;
  pattern: Pattern;
  emissivity: number;
  /** Reflected temperature, °C; undefined = ambient − 8 °C. */
  reflected?: number;
}

export class Mlx90640Chip implements ThermalChip {
  readonly width = WIDTH;
  readonly height = HEIGHT;
  readonly hasDataReady = true;
  readonly periodMs: number;
  #params: Mlx90640Params | undefined;
  #control = 0;
  #checkControl = false;
  /** The image being built, one subpage at a time (NaN until that subpage was seen). */
  #image = new Float64Array(PIXELS).fill(Number.NaN);
  readonly #seen = new Set<number>();

  constructor(
    private readonly handle: I2CHandle,
    private readonly s: Mlx90640Settings,
  ) {
    this.periodMs = 1000 / s.rate;
  }

  get parameters(): Mlx90640Params | undefined {
    return this.#params;
  }

  /** Reads `count` words from a 16-bit address in one combined transfer. */
  async readWords(register: number, count: number): Promise<Uint16Array> {
    const combined = this.handle.combined;
    if (!combined) {
      throw new SetupError(
        `MLX90640 at ${hexAddress(this.s.address)} needs repeated-start reads, but the I2C transport has none; set transport.combined: i2ctransfer (and install i2c-tools)`,
      );
    }
    const bytes = await combined.writeRead(
      this.s.address,
      Uint8Array.of(register >> 8, register & 0xff),
      count * 2,
    );
    return wordsFromBytes(bytes);
  }

  async writeWord(register: number, value: number): Promise<void> {
    const data = Buffer.from([register >> 8, register & 0xff, value >> 8, value & 0xff]);
    await this.handle.bus.i2cWrite(this.s.address, data.length, data);
  }

  async init(): Promise<{ settleMs: number }> {
    const where = `the device at ${hexAddress(this.s.address)}`;
    const ee = await this.readWords(EEPROM_START, EEPROM_WORDS);
    const params = extractParameters(ee);
    checkEeprom(ee, params, where);
    this.#params = params;
    await this.#configure(where);
    await this.writeWord(REG_STATUS, STATUS_CLEAR);
    this.#image = new Float64Array(PIXELS).fill(Number.NaN);
    this.#seen.clear();
    return { settleMs: 0 };
  }

  /** Writes rate/resolution/pattern into the control register and reads it back. */
  async #configure(where: string): Promise<void> {
    const [current = 0] = await this.readWords(REG_CONTROL, 1);
    const wanted = controlWord(current, this.s.rate, this.s.resolution, this.s.pattern);
    if (wanted !== current) await this.writeWord(REG_CONTROL, wanted);
    const [readBack = 0] = await this.readWords(REG_CONTROL, 1);
    if (readBack !== wanted) {
      throw new DeviceMismatch(
        `${where} did not keep control register 0x800D (wrote 0x${wanted.toString(16)}, read 0x${readBack.toString(16)}); is it an MLX90640?`,
      );
    }
    this.#control = wanted;
    this.#checkControl = false;
  }

  async poll(): Promise<ThermalReading | undefined> {
    const params = this.#params;
    if (!params) throw new SetupError('MLX90640 poll() before init()');
    if (this.#checkControl) await this.#configure(`the device at ${hexAddress(this.s.address)}`);
    const [status = 0] = await this.readWords(REG_STATUS, 1);
    if ((status & STATUS_NEW_DATA) === 0) return undefined;
    await this.writeWord(REG_STATUS, STATUS_CLEAR);
    const ram = await this.readWords(RAM_START, RAM_WORDS);
    const [control = 0] = await this.readWords(REG_CONTROL, 1);
    const frame = new Uint16Array(FRAME_WORDS);
    frame.set(ram);
    frame[RAM_WORDS] = control;
    frame[RAM_WORDS + 1] = status & STATUS_SUBPAGE;
    if (control !== this.#control) {
      this.#checkControl = true; // a reset or a flipped bit: re-read and rewrite before the next poll
      throw new FrameRejected(
        `MLX90640 control register reads 0x${control.toString(16)}, expected 0x${this.#control.toString(16)}`,
      );
    }
    return this.#process(frame, params);
  }

  #process(frame: Uint16Array, params: Mlx90640Params): ThermalReading | undefined {
    checkInvalidWords(frame);
    const next = Float64Array.from(this.#image);
    const options: ToOptions = { emissivity: this.s.emissivity, reflected: this.s.reflected };
    const r = calculateTo(frame, params, options, next);
    const chess = (this.#control & PATTERN_CHESS) !== 0;
    const pixels: number[] = [];
    for (let i = 0; i < PIXELS; i++) if (inSubpage(i, r.subpage, chess)) pixels.push(i);
    checkPlausible(r.vdd, r.ta, next, pixels);
    this.#image = next;
    this.#seen.add(r.subpage);
    if (this.#seen.size < 2) return undefined; // half an image: wait for the other subpage
    const celsius = Float32Array.from(this.#image);
    correctBadPixels(celsius, [...params.brokenPixels, ...params.outlierPixels], chess);
    return {
      celsius,
      meta: { subpage: r.subpage, ta: r.ta, vdd: r.vdd, tr: r.tr, emissivity: this.s.emissivity },
    };
  }
}
