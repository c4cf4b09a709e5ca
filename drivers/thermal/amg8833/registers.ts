/**
 * Panasonic AMG8833 (Grid-EYE) register map and number formats.
 * Source (DATASHEETS.md): Panasonic "Infrared array sensor Grid-EYE (AMG88**) Reference
 * Specifications" §4-10/4-11 [AMG-REF]; numbers checked in ../../shared/test-vectors/amg88xx.
 */

export const WIDTH = 8;
export const HEIGHT = 8;
export const PIXELS = WIDTH * HEIGHT;
/** AD_SELECT to GND → 0x68, to VDD → 0x69 [AMG-REF 4-8-2]. */
export const ADDRESSES = [0x68, 0x69] as const;

/** Power control [AMG-REF 4-11-1]: 0x00 normal, 0x10 sleep, 0x20/0x21 stand-by 60 s/10 s. */
export const REG_PCTL = 0x00;
export const PCTL_NORMAL = 0x00;
/** Reset [AMG-REF 4-11-2]: 0x30 flag reset, 0x3F initial reset. */
export const REG_RST = 0x01;
export const RST_FLAG = 0x30;
export const RST_INITIAL = 0x3f;
/** Frame rate [AMG-REF 4-11-3]: bit0 1 = 1 fps, 0 = 10 fps. */
export const REG_FPSC = 0x02;
/** Interrupt control [AMG-REF 4-11-4]: bit0 INTEN, bit1 INTMOD. */
export const REG_INTC = 0x03;
/** Status [AMG-REF 4-11-5]: bit1 INTF, bit2 OVF_IRS (temperature output overflow). */
export const REG_STAT = 0x04;
export const STAT_OVERFLOW = 0x04;
/** Status clear [AMG-REF 4-11-6]: bit1 INTCLR, bit2 OVS_CLR. */
export const REG_SCLR = 0x05;
/** Thermistor TTHL/TTHH [AMG-REF 4-11-9]: 12-bit sign-magnitude, 0.0625 °C/LSB. */
export const REG_TTHL = 0x0e;
/** Pixel 1..64 T01L..T64H at 0x80..0xFF, low byte first [AMG-REF 4-11-11]. */
export const REG_T01L = 0x80;
export const PIXEL_BYTES = 2 * PIXELS;

/** Thermistor scale [AMG-REF 4-11-9]. */
export const THERMISTOR_LSB_C = 0.0625;
/** Pixel scale [AMG-REF 4-11-11]. */
export const PIXEL_LSB_C = 0.25;

/** Pixel code → °C: 12-bit two's complement (11 bits + sign), 0.25 °C/LSB [AMG-REF 4-11-11]. */
export function pixelCelsius(raw: number): number {
  const v = raw & 0x0fff;
  return (v & 0x800 ? v - 0x1000 : v) * PIXEL_LSB_C;
}

/**
 * Thermistor code → °C: 12-bit sign-magnitude (bit 11 sign, bits 10..0 magnitude), 0.0625 °C/LSB
 * [AMG-REF 4-11-9]; Linux video-i2c.c amg88xx_read does the same.
 */
export function thermistorCelsius(raw: number): number {
  const magnitude = raw & 0x07ff;
  return (raw & 0x800 ? -magnitude : magnitude) * THERMISTOR_LSB_C;
}

/** °C → pixel code (for the emulator), rounded to the 0.25 °C step and clamped to 12 bits. */
export function pixelCode(celsius: number): number {
  const n = Math.max(-2048, Math.min(2047, Math.round(celsius / PIXEL_LSB_C)));
  return n & 0x0fff;
}

/** °C → thermistor code (for the emulator). */
export function thermistorCode(celsius: number): number {
  const n = Math.min(0x7ff, Math.round(Math.abs(celsius) / THERMISTOR_LSB_C));
  return celsius < 0 ? 0x800 | n : n;
}

/** The 64 pixel temperatures of a T01L..T64H block (128 bytes, little-endian words). */
export function decodePixels(block: Uint8Array): Float32Array {
  const out = new Float32Array(PIXELS);
  for (let i = 0; i < PIXELS; i++)
    out[i] = pixelCelsius((block[2 * i] ?? 0) | ((block[2 * i + 1] ?? 0) << 8));
  return out;
}
