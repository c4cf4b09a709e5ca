import t from 'tap';
import { I2CEmulator } from '../../../drivers/i2c/emulator.js';
import { Amg8833Emulator } from '../../../drivers/thermal/amg8833/emulator.js';
import { amg8833SensorSchema, mlx90640SensorSchema } from '../../../drivers/thermal/config.js';
import { createThermalDriver } from '../../../drivers/thermal/factory.js';
import { driverContract } from '../driverContract.js';
import { FakeClock } from '../fakeClock.js';
import { mlxBench } from './mlx90640/fixtures.js';

function mlx() {
  const b = mlxBench('auto');
  const cfg = mlx90640SensorSchema.parse({ id: 'thermal0', driver: 'mlx90640', rate: 8 });
  const driver = createThermalDriver(cfg, { i2c: b.emu.opener(), clock: b.clock });
  return { driver, unplug: () => b.emu.faults.unplug(0x33), replug: () => b.emu.faults.replug(0x33) };
}

function amg() {
  const clock = new FakeClock();
  const emu = new I2CEmulator({ clock });
  emu.attach(0x68, new Amg8833Emulator({ clock }));
  const cfg = amg8833SensorSchema.parse({ id: 'grid0', driver: 'amg8833', address: 0x68 });
  const driver = createThermalDriver(cfg, { i2c: emu.opener(), clock });
  return { driver, unplug: () => emu.faults.unplug(0x68), replug: () => emu.faults.replug(0x68) };
}

driverContract(t, 'mlx90640 over the I2C emulator', () => mlx().driver, { unpluggable: mlx });
driverContract(t, 'amg8833 over the I2C emulator', () => amg().driver, { unpluggable: amg });
