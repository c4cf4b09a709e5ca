/**
 * `bindsight models verify PACK`: loads the pack the way the agent does (hashes, sessions, real
 * I/O against pack.json), then runs one batch of distinct probe inputs per modality and
 * reports, per modality, the file size, precision, input, load time, one-batch latency, the
 * execution provider and the embedding health of the batch (health.ts), plus a collapse check
 * on the probes themselves: different probes must not give near-identical embeddings.
 */
import type { Modality } from '../../drivers/types.js';
import type { PackManifest } from '../../models/manifest.js';
import { errorMessage } from '../errors.js';
import type { Encoder, EncoderInput } from './encoder.js';
import { type LoadPackOptions, loadPack } from './pack.js';
import { modelBytes } from './pack-files.js';
import type { Tokenizer } from './tokenizers/types.js';

export interface VerifyRow {
  readonly modality: Modality;
  readonly file: string;
  readonly bytes: number;
  readonly precision: string;
  /** "float32 [batch,3,224,224]" */
  readonly input: string;
  readonly loadMs: number;
  readonly batch: number;
  readonly batchMs: number;
  readonly provider: string;
  /** 'ok' or what was wrong. */
  readonly health: string;
}

export interface VerifyResult {
  readonly manifest: PackManifest;
  readonly hash: string;
  readonly rows: readonly VerifyRow[];
  /** One line per unhealthy modality; empty when the pack is healthy. */
  readonly problems: readonly string[];
}

/** Prompts the demo pack knows too, so its probes are not the zero vector. */
const PROBE_TEXTS = [
  'a person',
  'an empty room',
  'someone walking',
  'a siren',
  'a bright day',
  'a dark night',
];

/** A small deterministic generator for probe values. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

/** `n` distinct probes: probe i is noise around level (i − (n−1)/2), so they differ in mean and texture. */
export function probeInputs(encoder: Encoder, n: number, tokenizer: Tokenizer | null): EncoderInput[] {
  if (encoder.spec.input.dtype === 'int64' || encoder.spec.input.dtype === 'int32') {
    const rows = Array.from(
      { length: n },
      (_, i) =>
        tokenizer?.encode(PROBE_TEXTS[i % PROBE_TEXTS.length]) ?? new BigInt64Array(encoder.sampleSize),
    );
    return encoder.spec.input.dtype === 'int32' ? rows.map((r) => Int32Array.from(r, Number)) : rows;
  }
  return Array.from({ length: n }, (_, i) => {
    const next = lcg(i + 1);
    const level = i - (n - 1) / 2;
    return Float32Array.from({ length: encoder.sampleSize }, () => level + next());
  });
}

function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return d; // both unit rows
}

/** Runs one probe batch; returns its latency and what was wrong with it ('ok' if nothing). */
async function probe(
  encoder: Encoder,
  batch: number,
  tokenizer: Tokenizer | null,
): Promise<{ ms: number; health: string }> {
  const inputs = probeInputs(encoder, batch, tokenizer);
  const started = performance.now();
  let rows: Float32Array[];
  try {
    rows = await encoder.embed(inputs);
  } catch (err) {
    return { ms: performance.now() - started, health: errorMessage(err) };
  }
  const ms = performance.now() - started;
  const snapshot = encoder.health();
  if (snapshot.state !== 'ok') return { ms, health: snapshot.reason };
  if (encoder.spec.health.collapse) {
    for (let i = 1; i < rows.length; i++) {
      const c = cosine(rows[0], rows[i]);
      if (c >= 0.9999) {
        return {
          ms,
          health: `probes 1 and ${i + 1} differ but their embeddings have cosine ${c.toFixed(6)}: the encoder looks collapsed`,
        };
      }
    }
  }
  return { ms, health: 'ok' };
}

/** Loads and exercises every modality of the pack in `dir`. Load refusals are thrown as loadPack throws them. */
export async function verifyPack(
  dir: string,
  options: LoadPackOptions & { batch?: number } = {},
): Promise<VerifyResult> {
  const batch = Math.max(2, options.batch ?? 2);
  const pack = await loadPack(dir, options);
  try {
    const rows: VerifyRow[] = [];
    for (const [modality, encoder] of pack.encoders) {
      const { spec } = encoder;
      const { ms, health } = await probe(encoder, batch, pack.tokenizer);
      rows.push({
        modality,
        file: spec.file,
        bytes: await modelBytes(dir, spec),
        precision: spec.precision,
        input: `${spec.input.dtype} [${spec.input.shape.join(',')}]`,
        loadMs: encoder.loadMs,
        batch,
        batchMs: ms,
        provider: encoder.provider,
        health,
      });
    }
    const problems = rows.filter((r) => r.health !== 'ok').map((r) => `${r.modality}: ${r.health}`);
    return { manifest: pack.manifest, hash: pack.hash, rows, problems };
  } finally {
    await pack.close();
  }
}

function humanBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/** The result as a plain-text table with a header naming the pack and its licence. */
export function formatVerify(r: VerifyResult, dir: string): string {
  const m = r.manifest;
  const lines = [
    `pack ${m.name}@${m.version} (${m.family}) at ${dir}`,
    `sha256(pack.json) ${r.hash}`,
    `licence: ${m.license}${m.licenseUrl ? ` (${m.licenseUrl})` : ''}`,
  ];
  if (m.nonCommercial)
    lines.push('WARNING: non-commercial licence: do not use these weights in a commercial product');
  const header = ['modality', 'file', 'size', 'precision', 'input', 'load', 'batch', 'provider', 'health'];
  const cells = r.rows.map((row) => [
    row.modality,
    row.file,
    humanBytes(row.bytes),
    row.precision,
    row.input,
    `${row.loadMs.toFixed(0)} ms`,
    `${row.batchMs.toFixed(1)} ms ×${row.batch}`,
    row.provider,
    row.health === 'ok' ? 'ok' : 'DEGRADED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const fmt = (c: readonly string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  lines.push('', fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt));
  for (const p of r.problems) lines.push(`  ${p}`);
  return `${lines.join('\n')}\n`;
}
