/**
 * The MLX90640 / AMG88xx vectors in ../shared/test-vectors, read in place (never copied into the
 * repo): the Melexis example (EEPROM, two subpage frames, expected temperatures), the datasheet
 * worked example, the Signaloid real capture.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const VECTORS = join(REPO, '..', 'shared', 'test-vectors');
export const MLX_DIR = join(VECTORS, 'mlx90640');
export const AMG_DIR = join(VECTORS, 'amg88xx');

const hexWords = (list: readonly string[]): number[] => list.map((h) => Number.parseInt(h, 16));

interface MelexisJson {
  emissivity: number;
  eeprom_words_hex: string[];
  frames: { words_hex: string[]; subpage: number; expected_To_row_major: number[] }[];
}

export interface MelexisVector {
  eeprom: number[];
  /** 834-word frames (RAM, control, subpage). */
  frames: number[][];
  /** Expected To after each frame (row-major; 0 = not yet computed). */
  expected: number[][];
  emissivity: number;
}

export function melexisVector(): MelexisVector {
  const v = JSON.parse(readFileSync(join(MLX_DIR, 'melexis_example_vector.json'), 'utf8')) as MelexisJson;
  return {
    eeprom: hexWords(v.eeprom_words_hex),
    frames: v.frames.map((f) => hexWords(f.words_hex)),
    expected: v.frames.map((f) => f.expected_To_row_major),
    emissivity: v.emissivity,
  };
}

/** A CSV of numbers (the expected_To_*.csv files): rows of values. */
export function readCsvNumbers(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.split(',').map(Number));
}

export function expectedParams(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(MLX_DIR, 'expected_params.json'), 'utf8')) as Record<string, unknown>;
}

/** The Signaloid capture: EEPROM words and two frames (first line is subpage 1). */
export function signaloidCapture(): { eeprom: number[]; frames: number[][] } {
  const dir = join(MLX_DIR, 'signaloid-capture');
  const nums = (text: string): number[] => text.split(',').map((s) => Number(s.trim()));
  const eeprom = nums(readFileSync(join(dir, 'EEPROM-calibration-data.csv'), 'utf8'));
  const frames = readFileSync(join(dir, 'raw-frame-data.csv'), 'utf8').trim().split('\n').map(nums);
  return { eeprom, frames };
}

/** Rows of an AMG88xx table CSV (comment lines skipped) as records keyed by the header. */
export function amgTable(name: string): Record<string, string>[] {
  const lines = readFileSync(join(AMG_DIR, name), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('#'));
  const [header = '', ...rows] = lines;
  const keys = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [keys[i] ?? String(i), v])));
}
