/**
 * MLX90640 memory map and register fields.
 * Sources (DATASHEETS.md): Melexis "MLX90640 32x24 IR array Driver" Rev 1 (2022-10-31) §2.1.3,
 * §3.1; mlx90640-library headers/MLX90640_API.h @ f6be7ca (register masks).
 */

/** Default 7-bit address [MLX-DRV §2.1.3]. */
export const MLX90640_ADDRESS = 0x33;
export const WIDTH = 32;
export const HEIGHT = 24;
export const PIXELS = WIDTH * HEIGHT;

/** EEPROM 0x2400..0x273F: 832 16-bit words, read at ≤ 400 kHz [MLX-DRV §2.1.3]. */
export const EEPROM_START = 0x2400;
export const EEPROM_WORDS = 832;
/** RAM 0x0400..0x073F: 768 pixel words then 64 aux words [MLX-DRV §2.1.3]. */
export const RAM_START = 0x0400;
export const RAM_WORDS = 832;
/** Frame layout of MLX90640_GetFrameData: RAM, then control, then subpage. */
export const FRAME_WORDS = 834;
export const FRAME_CONTROL = 832;
export const FRAME_SUBPAGE = 833;

/** Status register [MLX-API header]: bit0 last subpage, bit3 new data, bit4 overwrite, bit5 start. */
export const REG_STATUS = 0x8000;
export const STATUS_SUBPAGE = 0x0001;
export const STATUS_NEW_DATA = 0x0008;
/** What the library writes to clear "new data" and keep overwrite enabled (MLX90640_INIT_STATUS_VALUE). */
export const STATUS_CLEAR = 0x0030;
/** Control register 1 [MLX-DRV §3.1.1]. Power-on value comes from EEPROM word 0x240C. */
export const REG_CONTROL = 0x800d;
export const EE_CONTROL = 0x0c;

/** Control bits 9:7: refresh rate code n → 0.5·2^n Hz [MLX-DRV §3.1.3]. */
export const REFRESH_SHIFT = 7;
export const REFRESH_MASK = 0x0380;
export const REFRESH_RATES = [0.5, 1, 2, 4, 8, 16, 32, 64] as const;
export type RefreshRate = (typeof REFRESH_RATES)[number];
/** Control bits 11:10: ADC resolution code n → 16 + n bits. */
export const RESOLUTION_SHIFT = 10;
export const RESOLUTION_MASK = 0x0c00;
export const RESOLUTIONS = [16, 17, 18, 19] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
/** Control bit 12: reading pattern, 1 = chess (default), 0 = interleaved. */
export const PATTERN_CHESS = 0x1000;
export type Pattern = 'chess' | 'interleaved';

/** A pixel or aux word of 0x7FFF marks an invalid read (MLX90640_API.c ValidateAuxData / ValidateFrameData). */
export const INVALID_WORD = 0x7fff;

/** Aux word offsets within the 64 aux words (frame index − 768) [MLX-API CalculateTo/GetVdd/GetTa]. */
export const AUX = {
  taVbe: 0, // 0x0700
  cpSubpage0: 8, // 0x0708
  gain: 10, // 0x070A
  taPtat: 32, // 0x0720
  cpSubpage1: 40, // 0x0728
  vddPix: 42, // 0x072A
} as const;

/** Control register value for the given settings, keeping the other bits of `base`. */
export function controlWord(
  base: number,
  rate: RefreshRate,
  resolution: Resolution,
  pattern: Pattern,
): number {
  const rateCode = REFRESH_RATES.indexOf(rate);
  const resCode = RESOLUTIONS.indexOf(resolution);
  let word = base & ~(REFRESH_MASK | RESOLUTION_MASK | PATTERN_CHESS) & 0xffff;
  word |= rateCode << REFRESH_SHIFT;
  word |= resCode << RESOLUTION_SHIFT;
  if (pattern === 'chess') word |= PATTERN_CHESS;
  return word;
}

/** The refresh rate (Hz) a control word selects. */
export function refreshRateOf(control: number): RefreshRate {
  return REFRESH_RATES[(control & REFRESH_MASK) >> REFRESH_SHIFT] as RefreshRate;
}

/** ADC resolution code (0..3) of a control word. */
export function resolutionCodeOf(control: number): number {
  return (control & RESOLUTION_MASK) >> RESOLUTION_SHIFT;
}

export function patternOf(control: number): Pattern {
  return (control & PATTERN_CHESS) !== 0 ? 'chess' : 'interleaved';
}

/** Big-endian bytes → 16-bit words (the chip sends MSB first) [MLX-DRV §2]. */
export function wordsFromBytes(bytes: Uint8Array): Uint16Array {
  const words = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < words.length; i++) words[i] = ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0);
  return words;
}

export function bytesFromWords(words: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(words.length * 2);
  for (let i = 0; i < words.length; i++) out.writeUInt16BE((words[i] ?? 0) & 0xffff, 2 * i);
  return out;
}
