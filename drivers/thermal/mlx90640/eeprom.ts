/**
 * MLX90640 calibration: the parameters extracted from the 832-word EEPROM.
 * Algorithm: MLX90640 driver document Rev 1 §11.1 and mlx90640-library MLX90640_API.c
 * (`Extract*Parameters`, @ f6be7ca; the 2018 revision b1a2ce4 kept alpha/kta/kv as floats,
 * as here — the example vector's expected values come from that revision). Own code: word
 * offsets below are EEPROM addresses minus 0x2400. Everything is kept in float64 physical units.
 */
import { HEIGHT, PIXELS, WIDTH } from './registers.js';

export interface Mlx90640Params {
  kVdd: number;
  vdd25: number;
  KvPTAT: number;
  KtPTAT: number;
  vPTAT25: number;
  alphaPTAT: number;
  gainEE: number;
  tgc: number;
  cpKv: number;
  cpKta: number;
  resolutionEE: number;
  /** 128 = calibrated in chess mode, 0 = interleaved (same encoding as control bit 12 >> 5). */
  calibrationModeEE: number;
  KsTa: number;
  ksTo: [number, number, number, number];
  ct: [number, number, number, number];
  cpAlpha: [number, number];
  cpOffset: [number, number];
  ilChessC: [number, number, number];
  alpha: Float64Array;
  offset: Float64Array;
  kta: Float64Array;
  kv: Float64Array;
  /** Pixel indices whose EEPROM word is 0 (broken) [MLX-API ExtractDeviatingPixels]. */
  brokenPixels: number[];
  /** Pixel indices with the outlier flag (bit 0) set. */
  outlierPixels: number[];
}

/** n-bit two's complement. */
export function signed(value: number, bits: number): number {
  const v = value & ((1 << bits) - 1);
  return v >= 1 << (bits - 1) ? v - (1 << bits) : v;
}

const nibble = (w: number, n: 1 | 2 | 3 | 4): number => (w >> (4 * (n - 1))) & 0xf;
const msb = (w: number): number => (w >> 8) & 0xff;
const lsb = (w: number): number => w & 0xff;

/** 4 signed nibbles per word, lowest first, from `count` words at `start` (row/column tables). */
function nibbleTable(ee: ArrayLike<number>, start: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const w = ee[start + i] ?? 0;
    for (let n = 0; n < 4; n++) out.push(signed(w >> (4 * n), 4));
  }
  return out;
}

function scalars(ee: ArrayLike<number>) {
  const w = (i: number): number => ee[i] ?? 0;
  const ksToScale = 2 ** (nibble(w(0x3f), 1) + 8);
  const step = ((w(0x3f) & 0x3000) >> 12) * 10;
  const ct2 = nibble(w(0x3f), 2) * step;
  const alphaScaleCP = 2 ** (nibble(w(0x20), 4) + 27);
  const kvScale = 2 ** nibble(w(0x38), 3);
  const ktaScale1 = 2 ** (nibble(w(0x38), 2) + 8);
  const alphaCP0 = signed(w(0x39), 10) / alphaScaleCP;
  const cpOffset0 = signed(w(0x3a), 10);
  return {
    kVdd: 32 * signed(msb(w(0x33)), 8),
    vdd25: ((lsb(w(0x33)) - 256) << 5) - 8192,
    KvPTAT: signed(w(0x32) >> 10, 6) / 4096,
    KtPTAT: signed(w(0x32), 10) / 8,
    vPTAT25: signed(w(0x31), 16),
    alphaPTAT: nibble(w(0x10), 4) / 4 + 8,
    gainEE: signed(w(0x30), 16),
    tgc: signed(lsb(w(0x3c)), 8) / 32,
    KsTa: signed(msb(w(0x3c)), 8) / 8192,
    resolutionEE: (w(0x38) & 0x3000) >> 12,
    calibrationModeEE: ((w(0x0a) & 0x0800) >> 4) ^ 0x80,
    ksTo: [lsb(w(0x3d)), msb(w(0x3d)), lsb(w(0x3e)), msb(w(0x3e))].map(
      (b) => signed(b, 8) / ksToScale,
    ) as Mlx90640Params['ksTo'],
    ct: [-40, 0, ct2, ct2 + nibble(w(0x3f), 3) * step] as Mlx90640Params['ct'],
    cpAlpha: [alphaCP0, alphaCP0 * (1 + signed(w(0x39) >> 10, 6) / 128)] as Mlx90640Params['cpAlpha'],
    cpOffset: [cpOffset0, cpOffset0 + signed(w(0x3a) >> 10, 6)] as Mlx90640Params['cpOffset'],
    cpKta: signed(lsb(w(0x3b)), 8) / ktaScale1,
    cpKv: signed(msb(w(0x3b)), 8) / kvScale,
    ilChessC: [
      signed(w(0x35), 6) / 16,
      signed(w(0x35) >> 6, 5) / 2,
      signed(w(0x35) >> 11, 5) / 8,
    ] as Mlx90640Params['ilChessC'],
  };
}

/** Per-pixel offset, alpha, kta, kv [MLX-API ExtractOffset/Alpha/KtaPixel/KvPixelParameters]. */
function pixelTables(ee: ArrayLike<number>, tgc: number, cpAlpha: readonly [number, number]) {
  const w = (i: number): number => ee[i] ?? 0;
  const occRow = nibbleTable(ee, 0x12, 6);
  const occCol = nibbleTable(ee, 0x18, 8);
  const accRow = nibbleTable(ee, 0x22, 6);
  const accCol = nibbleTable(ee, 0x28, 8);
  const [occRem, occColScale, occRowScale] = [1, 2, 3].map((n) => nibble(w(0x10), n as 1 | 2 | 3));
  const [accRem, accColScale, accRowScale] = [1, 2, 3].map((n) => nibble(w(0x20), n as 1 | 2 | 3));
  const offsetRef = signed(w(0x11), 16);
  const alphaRef = w(0x21);
  const alphaScale = 2 ** (nibble(w(0x20), 4) + 30);
  // KtaRC / Kv selected by (row odd, column odd): index 2·(row%2) + (col%2).
  const ktaRC = [
    signed(msb(w(0x36)), 8),
    signed(msb(w(0x37)), 8),
    signed(lsb(w(0x36)), 8),
    signed(lsb(w(0x37)), 8),
  ];
  const kvRC = [4, 2, 3, 1].map((n) => signed(nibble(w(0x34), n as 1 | 2 | 3 | 4), 4));
  const ktaScale1 = 2 ** (nibble(w(0x38), 2) + 8);
  const ktaScale2 = 2 ** nibble(w(0x38), 1);
  const kvScale = 2 ** nibble(w(0x38), 3);
  const tables = {
    offset: new Float64Array(PIXELS),
    alpha: new Float64Array(PIXELS),
    kta: new Float64Array(PIXELS),
    kv: new Float64Array(PIXELS),
  };
  for (let row = 0; row < HEIGHT; row++) {
    for (let col = 0; col < WIDTH; col++) {
      const p = row * WIDTH + col;
      const word = w(0x40 + p);
      const split = 2 * (row % 2) + (col % 2);
      tables.offset[p] =
        offsetRef +
        (occRow[row] ?? 0) * 2 ** occRowScale +
        (occCol[col] ?? 0) * 2 ** occColScale +
        signed(word >> 10, 6) * 2 ** occRem;
      const alphaRaw =
        alphaRef +
        (accRow[row] ?? 0) * 2 ** accRowScale +
        (accCol[col] ?? 0) * 2 ** accColScale +
        signed(word >> 4, 6) * 2 ** accRem;
      tables.alpha[p] = alphaRaw / alphaScale - (tgc * (cpAlpha[0] + cpAlpha[1])) / 2;
      tables.kta[p] = ((ktaRC[split] ?? 0) + signed(word >> 1, 3) * ktaScale2) / ktaScale1;
      tables.kv[p] = (kvRC[split] ?? 0) / kvScale;
    }
  }
  return tables;
}

/** Extracts every calibration parameter from the 832 EEPROM words (word i = address 0x2400 + i). */
export function extractParameters(ee: ArrayLike<number>): Mlx90640Params {
  const s = scalars(ee);
  const tables = pixelTables(ee, s.tgc, s.cpAlpha);
  const brokenPixels: number[] = [];
  const outlierPixels: number[] = [];
  for (let p = 0; p < PIXELS; p++) {
    const word = ee[0x40 + p] ?? 0;
    if (word === 0) brokenPixels.push(p);
    else if ((word & 1) !== 0) outlierPixels.push(p);
  }
  return { ...s, ...tables, brokenPixels, outlierPixels };
}
