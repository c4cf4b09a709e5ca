/**
 * Every IMU driver passes the shared driver contract (test/drivers/driverContract.ts), built from
 * its config through drivers/imu/index.ts with emulated devices, including reconnect after an
 * emulated unplug (each emulator's fault hook).
 */
import t from 'tap';
import { I2CEmulator } from '../../../drivers/i2c/emulator.js';
import { Bno055Emulator } from '../../../drivers/imu/bno055/emulator.js';
import {
  bno055SensorSchema,
  type ImuSensorConfig,
  invensenseSensorSchema,
  witmotionSensorSchema,
} from '../../../drivers/imu/config.js';
import { IcmEmulator } from '../../../drivers/imu/icm20948/emulator.js';
import { createImuSensor } from '../../../drivers/imu/index.js';
import { MpuEmulator } from '../../../drivers/imu/mpu6050/emulator.js';
import { MPU_VARIANTS } from '../../../drivers/imu/mpu6050/registers.js';
import { WitmotionEmulator } from '../../../drivers/imu/witmotion/emulator.js';
import { SerialEmulator } from '../../../drivers/serial/emulator.js';
import type { Driver } from '../../../drivers/types.js';
import { driverContract } from '../driverContract.js';
import { DeviceClock } from './helpers.js';

interface Rig {
  driver: Driver;
  unplug(): void;
  replug(now: number): void;
  clock: DeviceClock;
}

let n = 0;
const backoff = { initialMs: 50, maxMs: 400, random: () => 0 };

function i2cRig(cfg: ImuSensorConfig, address: number, device: (clock: DeviceClock) => object): Rig {
  const clock = new DeviceClock();
  const bus = new I2CEmulator({ bus: 1, clock });
  bus.attach(address, device(clock) as MpuEmulator);
  const driver = createImuSensor(cfg, { clock, i2c: bus.opener(), backoff });
  return {
    driver,
    clock,
    unplug: () => bus.faults.unplug(address),
    replug: () => bus.faults.replug(address),
  };
}

const common = { window: 0.2, hop: 0.1 };
const rigs: Record<string, () => Rig> = {
  mpu6050: () =>
    i2cRig(
      invensenseSensorSchema.parse({ id: 'imu0', driver: 'mpu6050', rate: 500, ...common }),
      0x68,
      (clock) => new MpuEmulator({ variant: MPU_VARIANTS.mpu6050, clock }),
    ),
  mpu9250: () =>
    i2cRig(
      invensenseSensorSchema.parse({ id: 'imu0', driver: 'mpu9250', ...common }),
      0x68,
      (clock) => new MpuEmulator({ variant: MPU_VARIANTS.mpu9250, clock }),
    ),
  icm20948: () =>
    i2cRig(
      invensenseSensorSchema.parse({ id: 'imu0', driver: 'icm20948', address: 0x69, ...common }),
      0x69,
      (clock) => new IcmEmulator({ clock }),
    ),
  'bno055 i2c': () =>
    i2cRig(
      bno055SensorSchema.parse({ id: 'imu0', driver: 'bno055', ...common }),
      0x28,
      (clock) => new Bno055Emulator({ clock }),
    ),
  'bno055 uart': () => {
    const clock = new DeviceClock();
    const serial = new SerialEmulator();
    const port = `/dev/ttyCB${n++}`;
    serial.createPort(port, new Bno055Emulator({ clock }).uartDevice());
    const cfg = bno055SensorSchema.parse({ id: 'imu0', driver: 'bno055', port, ...common });
    const driver = createImuSensor(cfg, { clock, serial: serial.binding, backoff });
    return { driver, clock, unplug: () => serial.unplug(port), replug: () => serial.replug(port) };
  },
  witmotion: () => {
    const clock = new DeviceClock();
    const serial = new SerialEmulator();
    const port = `/dev/ttyCW${n++}`;
    const board = new WitmotionEmulator(serial, {
      path: port,
      rate: 100,
      format: 'classic',
      startMs: clock.now(),
    });
    clock.onAdvance((now) => board.advanceTo(now));
    const cfg = witmotionSensorSchema.parse({ id: 'imu0', driver: 'witmotion', port, rate: 100, ...common });
    const driver = createImuSensor(cfg, { clock, serial: serial.binding, backoff });
    return { driver, clock, unplug: () => board.unplug(), replug: (now) => board.replug(now) };
  },
};

for (const [name, rig] of Object.entries(rigs)) {
  driverContract(t, name, () => rig().driver, {
    unpluggable: () => {
      const r = rig();
      return { driver: r.driver, unplug: r.unplug, replug: () => r.replug(r.clock.now()) };
    },
  });
}
