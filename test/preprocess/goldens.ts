/**
 * Helpers for the golden tests: locate ../shared in place (never copied into the repo),
 * read ../shared/test-vectors/imagebind-preprocess/MANIFEST.json and compare tensors.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NpyArray, readNpy } from '../../src/preprocess/npy.js';

/** The repository root (this file is test/preprocess/goldens.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared beside the repository. */
export const SHARED = resolve(REPO_ROOT, '..', 'shared');
export const GOLDEN_DIR = join(SHARED, 'test-vectors', 'imagebind-preprocess');
export const KALDI_DIR = join(SHARED, 'test-vectors', 'kaldi-fbank');

export interface GoldenCase {
  id: string;
  modality: 'vision' | 'audio' | 'thermal' | 'depth' | 'imu';
  input: string;
  expected?: string;
  shape?: number[];
  params: string;
  expected_error?: { python: string; rule: string };
  edge_cases?: string[];
  intermediates?: Record<string, { file: string; shape: number[]; dtype: string }>;
}

interface Manifest {
  acceptance: Record<string, { mean_abs: number }>;
  cases: GoldenCase[];
}

export const MANIFEST: Manifest = JSON.parse(
  readFileSync(join(GOLDEN_DIR, 'MANIFEST.json'), 'utf8'),
) as Manifest;

export function casesOf(modality: GoldenCase['modality']): GoldenCase[] {
  return MANIFEST.cases.filter((c) => c.modality === modality);
}

export function tolerance(modality: GoldenCase['modality']): number {
  return MANIFEST.acceptance[modality].mean_abs;
}

/** A path in the manifest, relative to the manifest's directory. */
export function goldenPath(rel: string): string {
  return join(GOLDEN_DIR, rel);
}

export function readGoldenBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(goldenPath(rel)));
}

export function readParams<T>(c: GoldenCase): T {
  return JSON.parse(readFileSync(goldenPath(c.params), 'utf8')) as T;
}

export function readGoldenNpy(rel: string): NpyArray {
  return readNpy(readGoldenBytes(rel), rel);
}

export interface Diff {
  meanAbs: number;
  maxAbs: number;
}

export function diff(got: ArrayLike<number>, want: ArrayLike<number>): Diff {
  if (got.length !== want.length) throw new Error(`length ${got.length} != ${want.length}`);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    sum += d;
    if (d > max) max = d;
  }
  return { meanAbs: sum / got.length, maxAbs: max };
}
