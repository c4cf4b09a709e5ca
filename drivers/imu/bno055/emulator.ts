/**
 * An emulated BNO055: one register model reachable over the I2C emulator (it is an EmulatedDevice)
 * and over the serial emulator (`uartDevice()`, speaking the `AA`/`BB`/`EE` protocol of uart.ts).
 *
 * Behaviour the driver relies on: identity registers, power-on in CONFIG mode with UNIT_SEL 0x80,
 * UNIT_SEL writable only in CONFIG mode, data registers that read zero in CONFIG mode [BNO-DS
 * §3.3.1] and otherwise follow the chosen units, a mode log for tests. Sample k (one per 10 ms of
 * emulated time): ax = (k mod 1000)/100 m/s², az = 9.81 m/s², gx = −(k mod 1000)/900 rad/s.
 * Faults: `chipId` (a different chip), `overrunNext` (UART status 07), `silent` (UART no reply).
 */
import type { EmulatedDevice, I2CMessage } from '../../i2c/registerMap.js';
import { RegisterMap } from '../../i2c/registerMap.js';
import type { EmulatedPortHandle, EmulatedSerialDevice } from '../../serial/emulator.js';
import type { EmulatorClock } from '../fifoModel.js';
import {
  ACCEL_LSB_PER_MG,
  ACCEL_LSB_PER_MS2,
  GYRO_LSB_PER_DPS,
  GYRO_LSB_PER_RPS,
  IDS,
  MODES,
  REG,
} from './registers.js';
import { READ_RESPONSE, START, STATUS_RESPONSE } from './uart.js';

const SAMPLE_MS = 10;

export class Bno055Emulator implements EmulatedDevice {
  readonly map: RegisterMap;
  /** Every OPR_MODE written, in order. */
  readonly modeLog: number[] = [];
  /** UART fault: answer the next request with status 07 (bus over-run). */
  overrunNext = 0;
  /** UART fault: do not answer at all. */
  silent = false;
  readonly #clock: EmulatorClock;
  readonly #startMs: number;
  #chipId: number;

  constructor(o: { clock: EmulatorClock; chipId?: number }) {
    this.#clock = o.clock;
    this.#startMs = o.clock.now();
    this.#chipId = o.chipId ?? IDS.chip;
    this.map = new RegisterMap({ addressBytes: 1, powerOn: (m) => this.#powerOn(m) });
    this.#hook();
  }

  set chipId(value: number) {
    this.#chipId = value;
    this.map.set(REG.CHIP_ID, value);
  }

  #powerOn(m: RegisterMap): void {
    m.load(REG.CHIP_ID, [this.#chipId, IDS.acc, IDS.mag, IDS.gyr]);
    m.set(REG.OPR_MODE, MODES.CONFIG);
    m.set(REG.UNIT_SEL, 0x80); // reset value [BNO-DS Table 4-2]
  }

  #hook(): void {
    const m = this.map;
    m.hook(REG.OPR_MODE, {
      write: (v) => {
        this.modeLog.push(v & 0x0f);
        m.set(REG.OPR_MODE, v & 0x0f);
      },
    });
    m.hook(REG.UNIT_SEL, {
      write: (v) => {
        if (m.get(REG.OPR_MODE) === MODES.CONFIG) m.set(REG.UNIT_SEL, v);
      },
    });
    m.hook(REG.ACC_DATA_X_LSB, { read: (r) => this.#data(r) }, REG.GYR_DATA_X_LSB + 5);
  }

  /** Sample k at the current emulated time, in the units UNIT_SEL selects. */
  #data(register: number): number {
    if (this.map.get(REG.OPR_MODE) === MODES.CONFIG) return 0;
    const k = Math.floor((this.#clock.now() - this.#startMs) / SAMPLE_MS);
    const p = k % 1000;
    const units = this.map.get(REG.UNIT_SEL);
    const accelScale = units & 0x01 ? ACCEL_LSB_PER_MG / (9.80665 / 1000) : ACCEL_LSB_PER_MS2;
    const gyroScale = units & 0x02 ? GYRO_LSB_PER_RPS : GYRO_LSB_PER_DPS * (180 / Math.PI);
    const values: Record<number, number> = {
      [REG.ACC_DATA_X_LSB]: (p / 100) * accelScale,
      [REG.ACC_DATA_X_LSB + 4]: 9.81 * accelScale,
      [REG.GYR_DATA_X_LSB]: (-p / 900) * gyroScale,
    };
    const word = register & ~1;
    const raw = Math.round(values[word] ?? 0) & 0xffff;
    return register & 1 ? raw >> 8 : raw & 0xff;
  }

  transfer(messages: readonly I2CMessage[]): Uint8Array[] {
    return this.map.transfer(messages);
  }

  reset(): void {
    this.map.reset();
  }

  /** The same chip behind a serial port (PS1 high): plug it into SerialEmulator.createPort. */
  uartDevice(): EmulatedSerialDevice {
    let pending: number[] = [];
    return {
      onOpen: () => {
        pending = [];
      },
      onWrite: (bytes, port) => {
        pending.push(...bytes);
        pending = this.#serve(pending, port);
      },
    };
  }

  /** Answers every complete request in `bytes`; returns the unconsumed rest. */
  #serve(bytes: number[], port: EmulatedPortHandle): number[] {
    let rest = bytes;
    while (rest.length > 0) {
      if (rest[0] !== START) {
        port.send(Uint8Array.of(STATUS_RESPONSE, 0x06)); // WRONG_START_BYTE
        rest = rest.slice(1);
        continue;
      }
      if (rest.length < 4) return rest;
      const [, op, , length] = rest;
      const size = op === 0x00 ? 4 + length : 4;
      if (rest.length < size) return rest;
      const frame = rest.slice(0, size);
      rest = rest.slice(size);
      this.#answer(frame, port);
    }
    return rest;
  }

  #answer(frame: number[], port: EmulatedPortHandle): void {
    const [, op, register, length] = frame;
    if (this.silent) return;
    if (this.overrunNext > 0) {
      this.overrunNext--;
      port.send(Uint8Array.of(STATUS_RESPONSE, 0x07));
      return;
    }
    if (length === 0 || length > 128) {
      port.send(Uint8Array.of(STATUS_RESPONSE, length === 0 ? 0x09 : 0x08));
      return;
    }
    if (op === 0x00) {
      this.map.transfer([{ kind: 'write', data: Uint8Array.from([register, ...frame.slice(4)]) }]);
      port.send(Uint8Array.of(STATUS_RESPONSE, 0x01));
      return;
    }
    const [data] = this.map.transfer([
      { kind: 'write', data: Uint8Array.of(register) },
      { kind: 'read', length },
    ]);
    port.send(Uint8Array.of(READ_RESPONSE, length, ...(data ?? [])));
  }
}
