/**
 * An emulated ICM-20948 for the I2C emulator: four register banks behind REG_BANK_SEL, power-on
 * asleep (PWR_MGMT_1 = 0x41), DEVICE_RESET, the FIFO filled at 1125/(1 + GYRO_SMPLRT_DIV) Hz while
 * awake with accel + gyro selected, FIFO_RST, INT_STATUS_2 cleared by reading.
 */
import type { EmulatedDevice, I2CMessage } from '../../i2c/registerMap.js';
import { RegisterMap } from '../../i2c/registerMap.js';
import { type EmulatorClock, FifoModel, patternSample } from '../fifoModel.js';
import { ACCEL_RANGES } from '../invensense.js';
import { type EmulatedChip, hookFifoPorts, hookPowerReset, hookUpdating } from '../invensenseEmulator.js';
import {
  B0,
  B2,
  BIT,
  ICM_FIFO_BYTES,
  ICM_INTERNAL_RATE_HZ,
  ICM_WHO_AM_I,
  REG_BANK_SEL,
} from './registers.js';

export interface IcmEmulatorOptions {
  clock: EmulatorClock;
  /** Answer this WHO_AM_I instead of 0xEA. */
  whoAmI?: number;
}

export class IcmEmulator implements EmulatedDevice {
  readonly banks: RegisterMap[];
  readonly fifo: FifoModel;
  #bank = 0;

  constructor(o: IcmEmulatorOptions) {
    const whoAmI = o.whoAmI ?? ICM_WHO_AM_I;
    this.banks = [0, 1, 2, 3].map(
      (n) =>
        new RegisterMap({
          addressBytes: 1,
          powerOn: (m) => {
            if (n !== 0) return;
            m.set(B0.WHO_AM_I, whoAmI);
            m.set(B0.PWR_MGMT_1, BIT.SLEEP | BIT.CLKSEL_AUTO);
          },
        }),
    );
    this.fifo = new FifoModel(ICM_FIFO_BYTES, o.clock, (k) => patternSample(k, this.#lsbPerG()));
    for (const m of this.banks) {
      m.hook(REG_BANK_SEL, {
        write: (v) => {
          this.#bank = (v >> 4) & 3;
          m.set(REG_BANK_SEL, v);
        },
      });
    }
    const chip: EmulatedChip = { reset: () => this.reset(), update: () => this.#update() };
    this.#hookBank0(this.banks[0], chip);
    hookUpdating(this.banks[2], [B2.GYRO_SMPLRT_DIV, B2.GYRO_CONFIG_1], chip);
  }

  #lsbPerG(): number {
    return ACCEL_RANGES[(this.banks[2].get(B2.ACCEL_CONFIG) >> 1) & 3].lsbPerG;
  }

  #hookBank0(m: RegisterMap, chip: EmulatedChip): void {
    hookPowerReset(m, B0.PWR_MGMT_1, BIT.DEVICE_RESET, chip);
    hookUpdating(m, [B0.USER_CTRL, B0.PWR_MGMT_2, B0.FIFO_EN_2], chip);
    m.hook(B0.FIFO_RST, {
      write: (v) => {
        if (v & BIT.FIFO_RST_ALL) this.fifo.clear();
        m.set(B0.FIFO_RST, v);
      },
    });
    hookFifoPorts(m, this.fifo, {
      status: B0.INT_STATUS_2,
      overflowMask: BIT.FIFO_OVERFLOW,
      countHigh: B0.FIFO_COUNTH,
      data: B0.FIFO_R_W,
    });
  }

  #update(): void {
    const b0 = this.banks[0];
    const awake = (b0.get(B0.PWR_MGMT_1) & BIT.SLEEP) === 0 && b0.get(B0.PWR_MGMT_2) === 0;
    const enabled = (b0.get(B0.USER_CTRL) & BIT.FIFO_EN) !== 0;
    const selected = b0.get(B0.FIFO_EN_2) === BIT.FIFO_EN_GYRO_ACCEL;
    if (!(awake && enabled && selected)) {
      this.fifo.stop();
      return;
    }
    this.fifo.start(ICM_INTERNAL_RATE_HZ / (1 + this.banks[2].get(B2.GYRO_SMPLRT_DIV)));
  }

  transfer(messages: readonly I2CMessage[]): Uint8Array[] {
    this.fifo.advance();
    return this.banks[this.#bank].transfer(messages);
  }

  reset(): void {
    for (const m of this.banks) m.reset();
    this.#bank = 0;
    this.fifo.stop();
    this.fifo.clear();
    this.fifo.overflowed = false;
  }
}
