/**
 * Reads a pack's pack.json with the one zod schema (models/manifest.ts) and hashes its bytes:
 * the pack hash names the exact pack (`models verify`) and keys the prompt cache.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type PackManifest, packManifestSchema } from '../../models/manifest.js';
import { BindsightError, errorMessage } from '../errors.js';

export interface ManifestFile {
  readonly manifest: PackManifest;
  /** sha256 of pack.json's bytes; pack.json holds every file's sha256, so this names the whole pack. */
  readonly hash: string;
}

/** Reads pack.json: PACK_NOT_FOUND, or PACK_INVALID with every schema issue as `path: message`. */
export async function readManifestFile(dir: string): Promise<ManifestFile> {
  const file = join(dir, 'pack.json');
  let bytes: Buffer;
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    bytes = await readFile(file);
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
    raw = JSON.parse(bytes.toString('utf8'));
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
      { file, issues },
    );
  }
  return { manifest: parsed.data, hash: createHash('sha256').update(bytes).digest('hex') };
}

/** Reads and validates pack.json (see readManifestFile). */
export async function readManifest(dir: string): Promise<PackManifest> {
  return (await readManifestFile(dir)).manifest;
}
