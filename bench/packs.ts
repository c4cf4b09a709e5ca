/**
 * What several benchmarks share (issue #12): their command-line arguments, the bench pack (built
 * once by bench/run.ts and passed down as --pack-root, or built here when a bench runs alone),
 * pack views holding a subset of modalities, and deterministic camera pictures.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Modality } from '../drivers/types.js';
import { BENCH_TRUNKS, type BenchSize, buildBenchPacks } from '../models/bench/benchPack.js';
import { readManifest } from '../src/encoders/manifest-file.js';
import { listedFiles } from '../src/encoders/pack-files.js';

export interface BenchArgs {
  quick: boolean;
  /** Where the bench writes its JSON (first non-flag argument), or null for stdout. */
  out: string | null;
  /** A folder holding fp32/ and int8/ bench packs (from bench/run.ts), or null to build them. */
  packRoot: string | null;
}

/** `bench/x.ts [out.json] [--quick] [--pack-root DIR]`. */
export function benchArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  let packRoot: string | null = null;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pack-root') packRoot = resolve(argv[++i] ?? '');
    else rest.push(argv[i]);
  }
  return { quick: rest.includes('--quick'), out: rest.find((a) => !a.startsWith('--')) ?? null, packRoot };
}

export function benchSize(quick: boolean): BenchSize {
  return quick ? 'quick' : 'full';
}

export interface BenchPackDirs {
  fp32: string;
  int8: string;
  size: BenchSize;
  /** Removes what was built here (nothing when the packs were given). */
  dispose(): Promise<void>;
}

/** The bench packs from --pack-root, or freshly built into a temporary folder. */
export async function benchPacks(args: BenchArgs): Promise<BenchPackDirs> {
  const size = benchSize(args.quick);
  if (args.packRoot) {
    const root = args.packRoot;
    return { fp32: join(root, 'fp32'), int8: join(root, 'int8'), size, dispose: async () => {} };
  }
  const root = await mkdtemp(join(tmpdir(), 'bindsight-benchpack-'));
  const built = await buildBenchPacks(root, { trunk: BENCH_TRUNKS[size] });
  return {
    fp32: built.fp32,
    int8: built.int8,
    size,
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * Runs one bench with the bench packs and a scratch folder `bindsight-bench-<name>-…` in the
 * temp dir; removes both afterwards, whether the bench finished or threw.
 */
export async function withBenchPacks(
  args: BenchArgs,
  name: string,
  bench: (packs: BenchPackDirs, dir: string) => Promise<void>,
): Promise<void> {
  const packs = await benchPacks(args);
  const dir = await mkdtemp(join(tmpdir(), `bindsight-bench-${name}-`));
  try {
    await bench(packs, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await packs.dispose();
  }
}

/**
 * A pack folder at `dst` holding only `modalities` of the pack at `src` (pack.json rewritten,
 * files symlinked): an agent that needs vision and text does not pay for loading the rest.
 */
export async function packView(src: string, dst: string, modalities: readonly Modality[]): Promise<string> {
  const raw = JSON.parse(await readFile(join(src, 'pack.json'), 'utf8')) as {
    modalities: Record<string, unknown>;
  };
  const manifest = await readManifest(src);
  await mkdir(dst, { recursive: true });
  const kept: Record<string, unknown> = {};
  for (const m of modalities) {
    const spec = manifest.modalities[m];
    if (!spec) throw new RangeError(`pack ${src} has no ${m} encoder`);
    kept[m] = raw.modalities[m];
    for (const f of listedFiles(m, spec)) await symlink(join(src, f.file), join(dst, f.file));
  }
  await writeFile(join(dst, 'pack.json'), `${JSON.stringify({ ...raw, modalities: kept }, null, 2)}\n`);
  return dst;
}

/** A deterministic rgb24 picture: smooth gradients (seeded) plus texture, so JPEG has work to do. */
export function picture(w: number, h: number, seed: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  const phase = (seed * 0.618) % 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const noise = ((i * 2654435761 + seed * 40503) >>> 24) & 0x3f;
      px[i] = (((x / w + phase) % 1) * 192 + noise) & 0xff;
      px[i + 1] = (((y / h + 2 * phase) % 1) * 192 + noise) & 0xff;
      px[i + 2] = ((((x + y) / (w + h) + 3 * phase) % 1) * 192 + noise) & 0xff;
    }
  }
  return px;
}

/** `count` different w×h JPEG files (quality 90) in `dir`, named from `prefix`; their paths. */
export async function writePictures(
  dir: string,
  count: number,
  o: { prefix?: string; width?: number; height?: number; seed?: number } = {},
): Promise<string[]> {
  const w = o.width ?? 640;
  const h = o.height ?? 480;
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `${o.prefix ?? 'frame'}-${i}.jpg`);
    await sharp(picture(w, h, (o.seed ?? 1) * 1000 + i), { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

/** Writes a bench's JSON to its out path, or prints it after its table. */
export async function writeJson(args: BenchArgs, value: unknown): Promise<void> {
  const json = `${JSON.stringify(value, null, 2)}\n`;
  if (args.out) await writeFile(args.out, json);
  else process.stdout.write(`\n${json}`);
}
