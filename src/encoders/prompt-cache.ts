/**
 * The prompt cache: text embeddings kept on disk so that a restart with hundreds of prompts
 * does not run the text encoder again (ImageBind's text encoder is 354 M parameters,
 * imagebind-contract.md §2.1).
 *
 * One JSON file per pack name, `text-embeddings-<name>.json`, holding the pack hash it was
 * made with and, per prompt, the exact float32 embedding (base64, little-endian). An entry is
 * keyed by the token ids the tokenizer gives the prompt, so a prompt that tokenises the same
 * (case, spacing) shares it and a changed tokenizer misses. A different pack hash discards the
 * file's entries: a changed pack.json, text model or vocabulary invalidates the cache.
 * A cache that cannot be read is ignored, one that cannot be written is switched off for the
 * run; both are logged once and neither stops the agent.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';

export const PROMPT_CACHE_FORMAT = 1;

/**
 * Where the cache lives when models.cacheDir is not set: systemd's CacheDirectory= or
 * StateDirectory= (read-only packs and ProtectHome= leave nothing else writable), else
 * $XDG_CACHE_HOME/bindsight, else ~/.cache/bindsight.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const first = (v: string | undefined) => v?.split(':')[0] || undefined;
  const cache = first(env.CACHE_DIRECTORY);
  if (cache) return cache;
  const state = first(env.STATE_DIRECTORY);
  if (state) return join(state, 'cache');
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'bindsight');
  return join(homedir(), '.cache', 'bindsight');
}

interface Entry {
  prompt: string;
  embedding: string;
}

interface CacheFile {
  format: number;
  pack: string;
  packHash: string;
  dim: number;
  entries: Record<string, Entry>;
}

export interface PromptCacheStats {
  readonly file: string;
  readonly entries: number;
  readonly hits: number;
  readonly misses: number;
  /** Why the file on disk was not used ("" when it was, or there was none). */
  readonly discarded: string;
  readonly writable: boolean;
}

export interface PromptCacheOptions {
  dir: string;
  /** The pack name: one file per pack. */
  pack: string;
  /** The pack hash (pack.ts packHash): entries made with another hash are discarded. */
  packHash: string;
  dim: number;
  logger?: Logger;
}

/** The key of a token-id row. */
export function idsKey(ids: ArrayLike<bigint | number>): string {
  return createHash('sha256').update(Array.from(ids, String).join(',')).digest('hex').slice(0, 32);
}

function toBase64(v: Float32Array): string {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.from(bytes).toString('base64');
}

function fromBase64(s: string, dim: number): Float32Array | null {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== dim * 4) return null;
  const out = new Float32Array(dim);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export class PromptCache {
  readonly file: string;
  private readonly opts: PromptCacheOptions;
  private readonly entries = new Map<string, Entry>();
  private dirty = false;
  private writable = true;
  private hits = 0;
  private misses = 0;
  private discarded = '';

  private constructor(opts: PromptCacheOptions) {
    this.opts = opts;
    const safe = opts.pack.replace(/[^A-Za-z0-9._-]/g, '_');
    this.file = join(opts.dir, `text-embeddings-${safe}.json`);
  }

  /** Opens the cache, reading its file if there is a usable one. */
  static async open(opts: PromptCacheOptions): Promise<PromptCache> {
    const cache = new PromptCache(opts);
    await cache.load();
    return cache;
  }

  private async load(): Promise<void> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch {
      return; // no file yet
    }
    let data: CacheFile;
    try {
      data = JSON.parse(raw) as CacheFile;
    } catch (err) {
      this.discard(`not JSON (${errorMessage(err)})`);
      return;
    }
    if (data.format !== PROMPT_CACHE_FORMAT || data.dim !== this.opts.dim) {
      this.discard(
        `format ${data.format}, dim ${data.dim}; this bindsight writes format ${PROMPT_CACHE_FORMAT}, dim ${this.opts.dim}`,
      );
      return;
    }
    if (data.packHash !== this.opts.packHash) {
      this.discard(
        `made with pack hash ${String(data.packHash).slice(0, 12)}…, the pack is now ${this.opts.packHash.slice(0, 12)}…`,
      );
      return;
    }
    for (const [key, entry] of Object.entries(data.entries ?? {})) {
      if (typeof entry?.embedding === 'string' && fromBase64(entry.embedding, this.opts.dim))
        this.entries.set(key, entry);
    }
  }

  private discard(why: string): void {
    this.discarded = why;
    this.dirty = true;
    this.opts.logger?.info({ file: this.file, why }, 'prompt cache discarded');
  }

  /** The cached embedding for a token-id key, or undefined (counted as a miss). */
  get(key: string): Float32Array | undefined {
    const entry = this.entries.get(key);
    const v = entry ? fromBase64(entry.embedding, this.opts.dim) : null;
    if (v) this.hits++;
    else this.misses++;
    return v ?? undefined;
  }

  set(key: string, prompt: string, embedding: Float32Array): void {
    this.entries.set(key, { prompt, embedding: toBase64(embedding) });
    this.dirty = true;
  }

  /** Writes the file if anything changed (atomically: a temp file, then rename). */
  async flush(): Promise<void> {
    if (!this.dirty || !this.writable) return;
    const data: CacheFile = {
      format: PROMPT_CACHE_FORMAT,
      pack: this.opts.pack,
      packHash: this.opts.packHash,
      dim: this.opts.dim,
      entries: Object.fromEntries(this.entries),
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(this.opts.dir, { recursive: true });
      await writeFile(tmp, `${JSON.stringify(data)}\n`);
      await rename(tmp, this.file);
      this.dirty = false;
    } catch (err) {
      this.writable = false;
      this.opts.logger?.warn(
        { file: this.file, error: errorMessage(err) },
        'prompt cache not writable; text embeddings will be recomputed on every start (set models.cacheDir)',
      );
    }
  }

  stats(): PromptCacheStats {
    return {
      file: this.file,
      entries: this.entries.size,
      hits: this.hits,
      misses: this.misses,
      discarded: this.discarded,
      writable: this.writable,
    };
  }
}
