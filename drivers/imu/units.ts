/**
 * Unit conversions shared by the IMU chips. Drivers emit full-precision SI floats (style.md
 * "lossy maths"): accelerations in m/s² with gravity kept, angular rates in rad/s, which is what
 * the IMU preprocessing expects (shared reference/preprocess-conventions.md §5: "g × 9.80665",
 * "deg/s × π/180").
 */

/** Standard gravity, m/s² (3rd CGPM, 1901; ISO 80000-3). */
export const STANDARD_GRAVITY = 9.80665;

export const DEG_TO_RAD = Math.PI / 180;

/** Acceleration in g to m/s². */
export function gToMs2(g: number): number {
  return g * STANDARD_GRAVITY;
}

/** Angular rate in °/s to rad/s. */
export function dpsToRads(dps: number): number {
  return dps * DEG_TO_RAD;
}

/** A signed 16-bit value from two bytes. */
export function int16(high: number, low: number): number {
  const v = ((high & 0xff) << 8) | (low & 0xff);
  return v >= 0x8000 ? v - 0x10000 : v;
}
