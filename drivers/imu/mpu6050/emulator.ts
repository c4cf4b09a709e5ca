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
import { type EmulatedChip, hookFifoPorts, hookPowerReset, hookUpdating } from '../invensenseEmulator.js';
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
    const chip: EmulatedChip = { reset: () => this.reset(), update: () => this.#update() };
    hookPowerReset(m, REG.PWR_MGMT_1, BIT.DEVICE_RESET, chip);
    m.hook(REG.USER_CTRL, {
      write: (v) => {
        if (v & BIT.USER_FIFO_RESET && !(v & BIT.USER_FIFO_EN)) this.fifo.clear();
        m.set(REG.USER_CTRL, v & ~BIT.USER_FIFO_RESET); // FIFO_RESET clears itself
        this.#update();
      },
    });
    hookUpdating(m, [REG.SMPLRT_DIV, REG.CONFIG, REG.FIFO_EN], chip);
    hookFifoPorts(m, this.fifo, {
      status: REG.INT_STATUS,
      overflowMask: BIT.FIFO_OFLOW,
      countHigh: REG.FIFO_COUNTH,
      data: REG.FIFO_R_W,
    });
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
