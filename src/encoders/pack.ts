/**
 * Loads a model pack (DESIGN.md "Model packs", models/README.md): reads and validates
 * pack.json with the one zod schema (models/manifest.ts), checks every file's presence and
 * sha256 (pack-files.ts), opens one session per modality and checks its real I/O against
 * pack.json. Every refusal is a BindsightError naming the file and the mismatch; sessions
 * opened before a refusal are closed. The loaded pack embeds prompts through the prompt cache
 * (prompt-cache.ts) and reports each modality's embedding health (health.ts).
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { MODALITIES, type Modality } from '../../drivers/types.js';
import type { ModalitySpec, PackManifest } from '../../models/manifest.js';
import { BindsightError } from '../errors.js';
import { Encoder } from './encoder.js';
import { EmbeddingHealth, type EmbeddingHealthSnapshot } from './health.js';
import { checkModelIO, checkSpecConsistency } from './io-check.js';
import { readManifestFile } from './manifest-file.js';
import { checkFiles, listedFiles, packPath } from './pack-files.js';
import { idsKey, PromptCache, type PromptCacheStats } from './prompt-cache.js';
import { InferenceWorker } from './remote.js';
import { OnnxSession, type ProviderName, type SessionHandle, type SessionOptions } from './session.js';
import { loadTokenizer } from './tokenizers/load.js';
import type { Tokenizer } from './tokenizers/types.js';

export { readManifest } from './manifest-file.js';

export interface LoadPackOptions extends SessionOptions {
  /** Execution providers, tried in order per model (default ['cpu']). */
  providers?: readonly ProviderName[];
  /** Check every file's sha256 against pack.json (default true). */
  verifyHashes?: boolean;
  /** Where to say which provider each encoder runs on, the licence, and health changes. */
  logger?: Logger;
  /** Folder of the prompt cache (prompt-cache.ts); no cache when omitted. */
  promptCacheDir?: string;
  /** Load only these of the pack's modalities (default: all); the others are neither checked nor opened. */
  modalities?: readonly Modality[];
  /**
   * Run the sensor encoders on a worker thread (remote.ts) so inference does not block the
   * event loop; the text encoder stays in this thread for prompts (default false).
   */
  inferenceWorker?: boolean;
  /** With inferenceWorker: a run not answered within this many ms restarts the worker (0 = never). */
  runTimeoutMs?: number;
}

export interface LoadedPack {
  readonly dir: string;
  readonly manifest: PackManifest;
  /** sha256 of pack.json (manifest-file.ts). */
  readonly hash: string;
  /** The encoders loaded so far: those asked for at start, and any opened since by encoder(). */
  readonly encoders: ReadonlyMap<Modality, Encoder>;
  /**
   * The encoder of `modality`, opened now with the same file, hash and I/O checks if the pack has
   * it but it was not loaded at start (LoadPackOptions.modalities): an example-file prompt of a
   * modality no sensor has. PACK_INVALID when the pack has no such encoder.
   */
  encoder(modality: Modality): Promise<Encoder>;
  /** The text tokenizer, when the pack has a text encoder. */
  readonly tokenizer: Tokenizer | null;
  /**
   * Unit-norm text embeddings, in order, from the prompt cache where possible; PACK_INVALID
   * when the pack has no text encoder. A text the pack can make nothing of (no known word, or
   * only neutral ones such as "a" in the demo pack) embeds to the zero vector: callers refuse
   * it, naming the unknown words (tokenizer.unknownWords) and the known ones (knownWords).
   */
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
  /** Each modality's embedding health (health.ts). */
  health(): Partial<Record<Modality, EmbeddingHealthSnapshot>>;
  /** Called on every modality's ok ⇄ degraded change; returns the unsubscribe function. */
  onHealthChange(listener: (snapshot: EmbeddingHealthSnapshot) => void): () => void;
  /** Hits, misses and file of the prompt cache, or null without one. */
  promptCacheStats(): PromptCacheStats | null;
  /** Restarts and run timeouts of the inference worker thread, or null without one. */
  inferenceWorkerStats(): { restarts: number; timeouts: number } | null;
  close(): Promise<void>;
}

class Pack implements LoadedPack {
  cache: PromptCache | null = null;
  readonly #opening = new Map<Modality, Promise<Encoder>>();
  #closed = false;

  constructor(
    readonly dir: string,
    readonly manifest: PackManifest,
    readonly hash: string,
    readonly encoders: Map<Modality, Encoder>,
    readonly tokenizer: Tokenizer | null,
    private readonly worker: InferenceWorker | null,
    private readonly options: LoadPackOptions,
  ) {}

  encoder(modality: Modality): Promise<Encoder> {
    const loaded = this.encoders.get(modality);
    if (loaded) return Promise.resolve(loaded);
    let opening = this.#opening.get(modality);
    if (!opening) {
      opening = this.#open(modality).finally(() => this.#opening.delete(modality));
      this.#opening.set(modality, opening);
    }
    return opening;
  }

  async #open(modality: Modality): Promise<Encoder> {
    const spec = this.manifest.modalities[modality];
    if (spec === undefined || this.#closed) {
      const has = Object.keys(this.manifest.modalities).join(', ');
      throw new BindsightError(
        'PACK_INVALID',
        this.#closed
          ? `model pack '${this.manifest.name}' is closed; its ${modality} encoder cannot be opened`
          : `model pack '${this.manifest.name}' at ${this.dir} has no ${modality} encoder (it has ${has})`,
        { dir: this.dir, modality },
      );
    }
    checkSpecConsistency(modality, spec, this.manifest.embeddingDim);
    const path = await checkFiles(this.dir, modality, spec, this.options.verifyHashes ?? true);
    const encoder = await openEncoder(modality, spec, path, this.manifest, this.options, this.worker);
    if (this.#closed) {
      await encoder.close();
      throw new BindsightError(
        'PACK_INVALID',
        `model pack '${this.manifest.name}' was closed while its ${modality} encoder opened`,
        {
          dir: this.dir,
          modality,
        },
      );
    }
    this.options.logger?.info({ modality }, 'encoder opened on demand (not needed by any sensor at start)');
    this.encoders.set(modality, encoder);
    return encoder;
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const encoder = this.encoders.get('text');
    const tokenizer = this.tokenizer;
    if (encoder === undefined || tokenizer === null) {
      const has = [...this.encoders.keys()].join(', ');
      throw new BindsightError(
        'PACK_INVALID',
        `pack '${this.manifest.name}' at ${this.dir} has no text encoder (it has ${has})`,
        { dir: this.dir },
      );
    }
    const ids = texts.map((text) => tokenizer.encode(text));
    const keys = ids.map(idsKey);
    const out: (Float32Array | undefined)[] = keys.map((k) => this.cache?.get(k));
    const missing = out.flatMap((v, i) => (v === undefined ? [i] : []));
    if (missing.length > 0) {
      const embedded = await encoder.embed(missing.map((i) => ids[i]));
      missing.forEach((i, j) => {
        out[i] = embedded[j];
        this.cache?.set(keys[i], texts[i], embedded[j]);
      });
      await this.cache?.flush();
    }
    return out.map((v) => v ?? new Float32Array(this.manifest.embeddingDim));
  }

  health(): Partial<Record<Modality, EmbeddingHealthSnapshot>> {
    return Object.fromEntries([...this.encoders].map(([m, e]) => [m, e.health()]));
  }

  onHealthChange(listener: (snapshot: EmbeddingHealthSnapshot) => void): () => void {
    const offs = [...this.encoders.values()].map((e) => e.onHealthChange(listener));
    return () => {
      for (const off of offs) off();
    };
  }

  promptCacheStats(): PromptCacheStats | null {
    return this.cache?.stats() ?? null;
  }

  inferenceWorkerStats(): { restarts: number; timeouts: number } | null {
    return this.worker ? { restarts: this.worker.restarts, timeouts: this.worker.timeouts } : null;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#opening.values()]);
    await closeAll([...this.encoders.values()]);
    await this.worker?.close();
  }
}

async function closeAll(encoders: readonly Encoder[]): Promise<void> {
  await Promise.allSettled(encoders.map((e) => e.close()));
}

/** Says whose weights these are and, for non-commercial packs, that they cannot ship in a product. */
function logLicence(manifest: PackManifest, dir: string, logger: Logger | undefined): void {
  const { name, version, license, licenseUrl } = manifest;
  logger?.info({ pack: `${name}@${version}`, dir, license, licenseUrl }, 'model pack');
  if (manifest.nonCommercial) {
    logger?.warn(
      { pack: `${name}@${version}`, license, licenseUrl },
      `model pack "${name}" is licensed ${license}: non-commercial use only; do not use it in a commercial product`,
    );
  }
}

/**
 * The prompt cache's pack hash: pack.json's hash plus the size and mtime of the text files,
 * so a text model or vocabulary replaced without a new pack.json (hashes not verified, or a
 * vocabulary without vocabSha256) still invalidates the cache.
 */
async function promptCacheHash(dir: string, hash: string, spec: ModalitySpec): Promise<string> {
  const h = createHash('sha256').update(hash);
  for (const f of listedFiles('text', spec)) {
    const s = await stat(packPath(dir, f.file, f.key));
    h.update(`\n${f.file}:${s.size}:${s.mtimeMs}`);
  }
  return h.digest('hex');
}

async function openEncoder(
  modality: Modality,
  spec: ModalitySpec,
  path: string,
  manifest: PackManifest,
  options: LoadPackOptions,
  worker: InferenceWorker | null,
): Promise<Encoder> {
  const { providers = ['cpu'], logger } = options;
  const started = performance.now();
  const session: SessionHandle =
    worker !== null && modality !== 'text'
      ? await worker.open(path, providers, options)
      : await OnnxSession.open(path, providers, options);
  const loadMs = performance.now() - started;
  try {
    checkModelIO(modality, spec, session);
  } catch (err) {
    await session.close();
    throw err;
  }
  if (session.failures.length > 0) {
    logger?.warn(
      { modality, file: spec.file, provider: session.provider, failed: session.failures },
      'execution provider fallback',
    );
  }
  logger?.info({ modality, file: spec.file, provider: session.provider }, 'encoder loaded');
  const health = new EmbeddingHealth({
    modality,
    file: spec.file,
    outputScale: spec.outputScale,
    spec: spec.health,
    logger,
  });
  return new Encoder({ modality, spec, session, embeddingDim: manifest.embeddingDim, health, loadMs });
}

/**
 * Loads the pack in `dir`. Refusals: PACK_NOT_FOUND (no folder or pack.json), PACK_INVALID
 * (bad JSON, schema, unreadable model or vocabulary), PACK_FILE_MISSING (model, data or
 * vocabulary file), PACK_HASH_MISMATCH, PACK_IO_MISMATCH (model I/O differs from pack.json).
 */
export async function loadPack(dir: string, options: LoadPackOptions = {}): Promise<LoadedPack> {
  const { verifyHashes = true, logger } = options;
  const { manifest, hash } = await readManifestFile(dir);
  const specs = MODALITIES.flatMap((m) => {
    const spec = manifest.modalities[m];
    return spec && (options.modalities?.includes(m) ?? true) ? [[m, spec] as const] : [];
  });
  if (!verifyHashes) logger?.warn({ dir }, 'model pack sha256 hashes not verified');
  const paths = new Map<Modality, string>();
  for (const [modality, spec] of specs) {
    checkSpecConsistency(modality, spec, manifest.embeddingDim);
    paths.set(modality, await checkFiles(dir, modality, spec, verifyHashes));
  }
  logLicence(manifest, dir, logger);
  const encoders = new Map<Modality, Encoder>();
  const onWarn = (fields: Record<string, unknown>, message: string): void => logger?.warn(fields, message);
  const worker = options.inferenceWorker
    ? new InferenceWorker({ onWarn, runTimeoutMs: options.runTimeoutMs })
    : null;
  try {
    let tokenizer: Tokenizer | null = null;
    for (const [modality, spec] of specs) {
      encoders.set(
        modality,
        await openEncoder(modality, spec, paths.get(modality) ?? spec.file, manifest, options, worker),
      );
      if (spec.preprocess.kind === 'text') {
        tokenizer = await loadTokenizer(
          packPath(dir, spec.preprocess.vocab, 'text.preprocess.vocab'),
          spec.preprocess,
        );
      }
    }
    const pack = new Pack(dir, manifest, hash, encoders, tokenizer, worker, options);
    const text = manifest.modalities.text;
    if (options.promptCacheDir !== undefined && text !== undefined) {
      pack.cache = await PromptCache.open({
        dir: options.promptCacheDir,
        pack: manifest.name,
        packHash: await promptCacheHash(dir, hash, text),
        dim: manifest.embeddingDim,
        logger,
      });
    }
    return pack;
  } catch (err) {
    await closeAll([...encoders.values()]);
    await worker?.close();
    throw err;
  }
}
