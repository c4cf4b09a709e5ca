/**
 * Hardware in the loop (style.md §3): the real drivers on a real IMU, only when asked.
 * BINDSIGHT_HW_IMU holds one sensor config as JSON, e.g.
 *   BINDSIGHT_HW_IMU='{"driver":"mpu6050","bus":1,"address":104}'
 *   BINDSIGHT_HW_IMU='{"driver":"witmotion","port":"/dev/ttyUSB0","baudRate":9600}'
 * The sensor must lie still: the test reads one Window and checks |a| ≈ 1 g and |ω| ≈ 0.
 */
import t from 'tap';
import {
  bno055SensorSchema,
  invensenseSensorSchema,
  witmotionSensorSchema,
} from '../../../drivers/imu/config.js';
import { createImuSensor } from '../../../drivers/imu/index.js';
import { STANDARD_GRAVITY } from '../../../drivers/imu/units.js';
import type { Window } from '../../../drivers/types.js';
import { channel } from './helpers.js';

const raw = process.env.BINDSIGHT_HW_IMU;

t.test(
  'real hardware: one Window from a resting IMU',
  {
    skip:
      raw === undefined
        ? 'set BINDSIGHT_HW_IMU to a sensor config (JSON) to run against a real IMU (none here: the build VM has no I2C or serial sensor)'
        : false,
  },
  async (t) => {
    const given: Record<string, unknown> = {
      id: 'hw0',
      window: 1,
      hop: 1,
      ...(JSON.parse(raw ?? '{}') as object),
    };
    const schema =
      given.driver === 'bno055'
        ? bno055SensorSchema
        : given.driver === 'witmotion'
          ? witmotionSensorSchema
          : invensenseSensorSchema;
    const driver = createImuSensor(schema.parse(given));
    t.teardown(() => driver.stop());
    await driver.start();
    t.equal(driver.health().state, 'ok', driver.health().lastError ?? 'ok');
    let window: Window | undefined;
    for await (const s of driver.samples()) {
      if (s.kind === 'window') window = s;
      break;
    }
    await driver.stop();
    if (window === undefined) throw new Error('no window');
    const n = window.data.length / 6;
    const mean = (c: number): number => channel(window as Window, c).reduce((a, b) => a + b, 0) / n;
    const a = Math.hypot(mean(0), mean(1), mean(2));
    t.ok(Math.abs(a - STANDARD_GRAVITY) < 1.5, `|a| = ${a.toFixed(2)} m/s² at rest`);
    t.ok(Math.hypot(mean(3), mean(4), mean(5)) < 0.2, 'ω ≈ 0 rad/s at rest');
  },
);
