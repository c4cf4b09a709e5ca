/**
 * An emulated MPU-6050 / MPU-9250 for the I2C emulator (drivers/i2c/emulator.ts): the register map
 * with the behaviour the driver relies on — power-on asleep (PWR_MGMT_1 = 0x40), DEVICE_RESET, the
 * FIFO filled at the rate set by SMPLRT_DIV and CONFIG, FIFO_COUNT latched on its high byte,
 * FIFO_RESET, INT_STATUS cleared by reading — and knobs for faults: a different WHO_AM_I, a
 * frozen FIFO. Bus faults (NACK, EIO, stuck bus, unplug) come from the I2C emulator itself.
 */
import type { EmulatedDevice, I2CMessage } from '../../i2c/registerMap.js';
import { RegisterMap } from '../../i2c/registerMap.js';
import { type EmulatorClock, FifoModel, patternSample } from '../fifoModel.js';
import { ACCEL_RANGES } from '../invensense.js';
import { BIT, type MpuVariant, REG } from './registers.js';

export interface MpuEmulatorOptions {
  variant: MpuVariant;
  clock: EmulatorClock;
  /** Answer this WHO_AM_I instead of the variant's (a wrong chip). */
  whoAmI?: number;
}

export class MpuEmulator implements EmulatedDevice {
  readonly map: RegisterMap;
  readonly fifo: FifoModel;
  #whoAmI: number;
  #latchedLow = 0;

  constructor(o: MpuEmulatorOptions) {
    this.#whoAmI = o.whoAmI ?? o.variant.whoAmI;
    this.map = new RegisterMap({
      addressBytes: 1,
      powerOn: (m) => {
        m.set(REG.PWR_MGMT_1, BIT.SLEEP); // [MPU6050-RM §3: reset value 0x40]
        m.set(REG.WHO_AM_I, this.#whoAmI);
      },
    });
    this.fifo = new FifoModel(o.variant.fifoBytes, o.clock, (k) => patternSample(k, this.#lsbPerG()));
    this.#hook();
  }

  /** Changes the identity (a different chip after a replug). */
  set whoAmI(value: number) {
    this.#whoAmI = value;
    this.map.set(REG.WHO_AM_I, value);
  }

  #lsbPerG(): number {
    return ACCEL_RANGES[(this.map.get(REG.ACCEL_CONFIG) >> 3) & 3].lsbPerG;
  }

  #hook(): void {
    const m = this.map;
    m.hook(REG.PWR_MGMT_1, {
      write: (v) => {
        if (v & BIT.DEVICE_RESET) this.reset();
        else m.set(REG.PWR_MGMT_1, v);
        this.#update();
      },
    });
    m.hook(REG.USER_CTRL, {
      write: (v) => {
        if (v & BIT.USER_FIFO_RESET && !(v & BIT.USER_FIFO_EN)) this.fifo.clear();
        m.set(REG.USER_CTRL, v & ~BIT.USER_FIFO_RESET); // FIFO_RESET clears itself
        this.#update();
      },
    });
    for (const r of [REG.SMPLRT_DIV, REG.CONFIG, REG.FIFO_EN]) {
      m.hook(r, {
        write: (v) => {
          m.set(r, v);
          this.#update();
        },
      });
    }
    m.hook(REG.INT_STATUS, {
      read: () => {
        const v = this.fifo.overflowed ? BIT.FIFO_OFLOW : 0;
        this.fifo.overflowed = false;
        return v;
      },
    });
    m.hook(REG.FIFO_COUNTH, {
      read: () => {
        const c = this.fifo.count;
        this.#latchedLow = c & 0xff;
        return c >> 8;
      },
    });
    m.hook(REG.FIFO_COUNTL, { read: () => this.#latchedLow });
    m.hook(REG.FIFO_R_W, { read: () => this.fifo.readByte(), increment: false });
  }

  /** Samples flow while awake, FIFO enabled, accel + gyro selected. */
  #update(): void {
    const m = this.map;
    const awake = (m.get(REG.PWR_MGMT_1) & BIT.SLEEP) === 0;
    const enabled = (m.get(REG.USER_CTRL) & BIT.USER_FIFO_EN) !== 0;
    const selected = m.get(REG.FIFO_EN) === BIT.FIFO_EN_GYRO_ACCEL;
    if (!(awake && enabled && selected)) {
      this.fifo.stop();
      return;
    }
    const dlpf = m.get(REG.CONFIG) & 0x07;
    const internal = dlpf === 0 || dlpf === 7 ? 8000 : 1000; // [MPU6050-RM §4.2]
    this.fifo.start(internal / (1 + m.get(REG.SMPLRT_DIV)));
  }

  transfer(messages: readonly I2CMessage[]): Uint8Array[] {
    this.fifo.advance();
    return this.map.transfer(messages);
  }

  /** Power-on reset (also what a replug does). */
  reset(): void {
    this.map.reset();
    this.fifo.stop();
    this.fifo.clear();
    this.fifo.overflowed = false;
  }
}
