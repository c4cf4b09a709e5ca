/**
 * Loads a model pack (DESIGN.md "Model packs", models/README.md): reads and validates
 * pack.json with the one zod schema (models/manifest.ts), checks every file's presence and
 * sha256, opens one session per modality and checks its real I/O against pack.json. Every
 * refusal is a BindsightError naming the file and the mismatch; sessions opened before a
 * refusal are closed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import { MODALITIES, type Modality } from '../../drivers/types.js';
import { type ModalitySpec, type PackManifest, packManifestSchema } from '../../models/manifest.js';
import { BindsightError, errorMessage } from '../errors.js';
import { Encoder } from './encoder.js';
import { checkModelIO, checkSpecConsistency } from './io-check.js';
import { OnnxSession, type ProviderName, type SessionOptions } from './session.js';
import { loadTokenizer } from './tokenizers/load.js';
import type { Tokenizer } from './tokenizers/types.js';

export interface LoadPackOptions extends SessionOptions {
  /** Execution providers, tried in order per model (default ['cpu']). */
  providers?: readonly ProviderName[];
  /** Check every model file's sha256 against pack.json (default true). */
  verifyHashes?: boolean;
  /** Where to say which provider each encoder runs on and why earlier providers failed. */
  logger?: Logger;
}

export interface LoadedPack {
  readonly dir: string;
  readonly manifest: PackManifest;
  readonly encoders: ReadonlyMap<Modality, Encoder>;
  /** The text tokenizer, when the pack has a text encoder. */
  readonly tokenizer: Tokenizer | null;
  /**
   * Unit-norm text embeddings, in order; PACK_INVALID when the pack has no text encoder.
   * A text the pack can make nothing of (no known word, or only neutral ones such as "a"
   * in the demo pack) embeds to the zero vector: callers refuse it, naming the unknown
   * words (tokenizer.unknownWords) and the known ones (tokenizer.knownWords).
   */
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A path inside the pack folder; PACK_INVALID for absolute paths or ones that climb out. */
function packPath(dir: string, file: string, what: string): string {
  const full = resolve(dir, file);
  const rel = relative(dir, full);
  if (isAbsolute(file) || rel.startsWith('..') || isAbsolute(rel)) {
    throw new BindsightError(
      'PACK_INVALID',
      `pack.json ${what} '${file}' is outside the pack folder ${dir}`,
      { dir, file },
    );
  }
  return full;
}

/** Reads pack.json: PACK_NOT_FOUND, or PACK_INVALID with every schema issue as `path: message`. */
export async function readManifest(dir: string): Promise<PackManifest> {
  const file = join(dir, 'pack.json');
  let text: string;
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new BindsightError(
      'PACK_NOT_FOUND',
      `no model pack at ${dir}: cannot read ${file} (${errorMessage(err)}); build the demo pack or point models.pack at a pack folder`,
      { dir, file },
      { cause: err },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BindsightError(
      'PACK_INVALID',
      `${file} is not valid JSON: ${errorMessage(err)}`,
      { file },
      { cause: err },
    );
  }
  const parsed = packManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new BindsightError(
      'PACK_INVALID',
      `${file} is not a valid pack manifest:\n  ${issues.join('\n  ')}`,
      {
        file,
        issues,
      },
    );
  }
  return parsed.data;
}

/** File checks for one modality (before any session opens): presence, sha256, vocab. */
async function checkFiles(
  dir: string,
  modality: Modality,
  spec: ModalitySpec,
  verifyHashes: boolean,
): Promise<string> {
  const path = packPath(dir, spec.file, `${modality}.file`);
  if (!(await isFile(path))) {
    throw new BindsightError(
      'PACK_FILE_MISSING',
      `pack.json lists ${modality} model ${spec.file}, but ${path} does not exist`,
      {
        modality,
        file: path,
      },
    );
  }
  if (verifyHashes) {
    const actual = await sha256File(path);
    if (actual !== spec.sha256) {
      throw new BindsightError(
        'PACK_HASH_MISMATCH',
        `${path}: sha256 is ${actual} but pack.json says ${spec.sha256} (file changed or corrupt; rebuild or re-download the pack)`,
        { modality, file: path, expected: spec.sha256, actual },
      );
    }
  }
  if (spec.preprocess.kind === 'text') {
    const vocab = packPath(dir, spec.preprocess.vocab, 'text.preprocess.vocab');
    if (!(await isFile(vocab))) {
      throw new BindsightError(
        'PACK_FILE_MISSING',
        `pack.json text tokenizer needs ${spec.preprocess.vocab}, but ${vocab} does not exist`,
        {
          modality,
          file: vocab,
        },
      );
    }
  }
  return path;
}

class Pack implements LoadedPack {
  constructor(
    readonly dir: string,
    readonly manifest: PackManifest,
    readonly encoders: ReadonlyMap<Modality, Encoder>,
    readonly tokenizer: Tokenizer | null,
  ) {}

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const encoder = this.encoders.get('text');
    if (encoder === undefined || this.tokenizer === null) {
      const has = [...this.encoders.keys()].join(', ');
      throw new BindsightError(
        'PACK_INVALID',
        `pack '${this.manifest.name}' at ${this.dir} has no text encoder (it has ${has})`,
        {
          dir: this.dir,
        },
      );
    }
    const tokenizer = this.tokenizer;
    return encoder.embed(texts.map((text) => tokenizer.encode(text)));
  }

  async close(): Promise<void> {
    await closeAll([...this.encoders.values()]);
  }
}

async function closeAll(encoders: readonly Encoder[]): Promise<void> {
  await Promise.allSettled(encoders.map((e) => e.close()));
}

/**
 * Loads the pack in `dir`. Refusals: PACK_NOT_FOUND (no folder or pack.json), PACK_INVALID
 * (bad JSON, schema, unreadable model), PACK_FILE_MISSING (model or vocab file),
 * PACK_HASH_MISMATCH, PACK_IO_MISMATCH (model I/O differs from pack.json).
 */
export async function loadPack(dir: string, options: LoadPackOptions = {}): Promise<LoadedPack> {
  const { providers = ['cpu'], verifyHashes = true, logger, ...sessionOptions } = options;
  const manifest = await readManifest(dir);
  const specs = MODALITIES.flatMap((m) => {
    const spec = manifest.modalities[m];
    return spec ? [[m, spec] as const] : [];
  });
  if (!verifyHashes) logger?.warn({ dir }, 'model pack sha256 hashes not verified');
  const paths = new Map<Modality, string>();
  for (const [modality, spec] of specs) {
    checkSpecConsistency(modality, spec, manifest.embeddingDim);
    paths.set(modality, await checkFiles(dir, modality, spec, verifyHashes));
  }
  const encoders = new Map<Modality, Encoder>();
  try {
    let tokenizer: Tokenizer | null = null;
    for (const [modality, spec] of specs) {
      const session = await OnnxSession.open(paths.get(modality) ?? spec.file, providers, sessionOptions);
      try {
        checkModelIO(modality, spec, session);
        if (session.failures.length > 0) {
          logger?.warn(
            { modality, file: spec.file, provider: session.provider, failed: session.failures },
            'execution provider fallback',
          );
        }
        logger?.info({ modality, file: spec.file, provider: session.provider }, 'encoder loaded');
        encoders.set(modality, new Encoder({ modality, spec, session, embeddingDim: manifest.embeddingDim }));
      } catch (err) {
        await session.close();
        throw err;
      }
      if (spec.preprocess.kind === 'text') {
        tokenizer = await loadTokenizer(
          packPath(dir, spec.preprocess.vocab, 'text.preprocess.vocab'),
          spec.preprocess,
        );
      }
    }
    return new Pack(dir, manifest, encoders, tokenizer);
  } catch (err) {
    await closeAll([...encoders.values()]);
    throw err;
  }
}
