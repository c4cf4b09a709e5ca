/** An emulated bus with an MLX90640 playing the Melexis example frames, for chip/driver/command tests. */
import { I2CEmulator } from '../../../../drivers/i2c/emulator.js';
import type { Mlx90640Settings } from '../../../../drivers/thermal/mlx90640/chip.js';
import { Mlx90640Emulator } from '../../../../drivers/thermal/mlx90640/emulator.js';
import { FakeClock } from '../../fakeClock.js';
import { melexisVector } from '../vectors.js';

/** Settings under which the example frames (control 0x1901) decode to the expected temperatures. */
export const EXAMPLE_SETTINGS: Mlx90640Settings = {
  address: 0x33,
  rate: 2,
  resolution: 18,
  pattern: 'chess',
  emissivity: 1,
};

export function mlxBench(mode: 'auto' | 'manual' = 'manual', onMeasurement?: (subpage: number) => void) {
  const clock = new FakeClock({ mode });
  const vector = melexisVector();
  const emu = new I2CEmulator({ clock, random: () => 0.5 });
  const chip = emu.attach(
    0x33,
    new Mlx90640Emulator({ eeprom: vector.eeprom, frames: vector.frames, clock, onMeasurement }),
  );
  return { clock, vector, emu, chip, expected: vector.expected[1] ?? [] };
}

/** Largest |a − e| over all pixels; a NaN (pixel never computed) counts as infinite. */
export function maxError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let max = 0;
  for (const [i, e] of expected.entries()) {
    const d = Math.abs((actual[i] ?? Number.NaN) - e);
    max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(max, d);
  }
  return max;
}
