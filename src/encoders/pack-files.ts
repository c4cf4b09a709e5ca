/**
 * The file-level checks of a model pack, before any session opens: every path stays inside the
 * pack folder, every listed file exists, and its sha256 matches pack.json (models/README.md
 * "What loadPack refuses"). Each refusal names the file and what is wrong with it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Modality } from '../../drivers/types.js';
import type { ModalitySpec } from '../../models/manifest.js';
import { BindsightError } from '../errors.js';

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A path inside the pack folder; PACK_INVALID for absolute paths or ones that climb out. */
export function packPath(dir: string, file: string, what: string): string {
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

interface ListedFile {
  /** What pack.json calls it, for messages ("vision model", "text vocabulary"). */
  what: string;
  /** The pack.json key that names it. */
  key: string;
  file: string;
  sha256?: string;
}

/** Every file one modality needs: the model, its external data, the text vocabulary. */
export function listedFiles(modality: Modality, spec: ModalitySpec): ListedFile[] {
  const files: ListedFile[] = [
    { what: `${modality} model`, key: `${modality}.file`, file: spec.file, sha256: spec.sha256 },
    ...spec.externalData.map((d, i) => ({
      what: `${modality} model data`,
      key: `${modality}.externalData[${i}].file`,
      file: d.file,
      sha256: d.sha256,
    })),
  ];
  if (spec.preprocess.kind === 'text') {
    files.push({
      what: 'text tokenizer vocabulary',
      key: 'text.preprocess.vocab',
      file: spec.preprocess.vocab,
      sha256: spec.preprocess.vocabSha256,
    });
  }
  return files;
}

async function checkOne(
  dir: string,
  modality: Modality,
  f: ListedFile,
  verifyHashes: boolean,
): Promise<string> {
  const path = packPath(dir, f.file, f.key);
  if (!(await isFile(path))) {
    throw new BindsightError(
      'PACK_FILE_MISSING',
      `pack.json lists ${f.what} ${f.file} (${f.key}), but ${path} does not exist`,
      { modality, file: path },
    );
  }
  if (verifyHashes && f.sha256 !== undefined) {
    const actual = await sha256File(path);
    if (actual !== f.sha256) {
      throw new BindsightError(
        'PACK_HASH_MISMATCH',
        `${path}: sha256 is ${actual} but pack.json says ${f.sha256} (file changed or corrupt; rebuild or re-download the pack)`,
        { modality, file: path, expected: f.sha256, actual },
      );
    }
  }
  return path;
}

/**
 * Checks presence and hashes of a modality's files; returns the model's absolute path.
 * PACK_INVALID (path outside the pack), PACK_FILE_MISSING, PACK_HASH_MISMATCH.
 */
export async function checkFiles(
  dir: string,
  modality: Modality,
  spec: ModalitySpec,
  verifyHashes: boolean,
): Promise<string> {
  const [model, ...rest] = listedFiles(modality, spec);
  const path = await checkOne(dir, modality, model, verifyHashes);
  for (const f of rest) await checkOne(dir, modality, f, verifyHashes);
  return path;
}

/** Total size in bytes of a modality's model and external data (what `models verify` shows). */
export async function modelBytes(dir: string, spec: ModalitySpec): Promise<number> {
  let total = 0;
  for (const file of [spec.file, ...spec.externalData.map((d) => d.file)]) {
    total += (await stat(resolve(dir, file))).size;
  }
  return total;
}
