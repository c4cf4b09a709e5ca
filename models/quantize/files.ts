/**
 * `bindsight models quantize`: one ONNX file, or a whole pack folder (every modality's model
 * quantized, the vocabulary copied, pack.json rewritten with the new hashes and precision).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import onnxProto from 'onnx-proto';
import type { z } from 'zod';
import { MODALITIES } from '../../drivers/types.js';
import { readManifestFile } from '../../src/encoders/manifest-file.js';
import { listedFiles, packPath } from '../../src/encoders/pack-files.js';
import { BindsightError, errorMessage } from '../../src/errors.js';
import type { packManifestSchema } from '../manifest.js';
import { type QuantizeOptions, type QuantizeReport, quantizeModel } from './quantize.js';

export interface FileResult {
  readonly input: string;
  readonly output: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly report: QuantizeReport;
}

/** Size of a model plus the external data files its tensors name. */
async function sizeWithData(file: string, external: readonly string[]): Promise<number> {
  let total = (await stat(file)).size;
  for (const f of external) total += (await stat(join(dirname(file), f))).size;
  return total;
}

/** Quantizes IN.onnx into OUT.onnx (external data of IN is read from IN's folder; OUT is one file). */
export async function quantizeFile(
  input: string,
  output: string,
  options: QuantizeOptions = {},
): Promise<FileResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(input);
  } catch (err) {
    throw new BindsightError(
      'PACK_FILE_MISSING',
      `cannot read ${input}: ${errorMessage(err)}`,
      { file: input },
      { cause: err },
    );
  }
  if (resolve(input) === resolve(output)) {
    throw new BindsightError('USAGE', `output ${output} is the input file; write the int8 model elsewhere`, {
      file: input,
    });
  }
  let result: Awaited<ReturnType<typeof quantizeModel>>;
  try {
    result = await quantizeModel(bytes, { baseDir: dirname(input), ...options });
  } catch (err) {
    if (err instanceof BindsightError) {
      throw new BindsightError(
        err.code,
        `${input}: ${err.message}`,
        { ...err.context, file: input },
        { cause: err },
      );
    }
    throw err;
  }
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, result.bytes);
  const external = result.report.externalTensors > 0 ? externalFiles(bytes) : [];
  return {
    input,
    output,
    bytesIn: await sizeWithData(input, external),
    bytesOut: result.bytes.length,
    report: result.report,
  };
}

/** Distinct external-data locations named in a model (for its size). */
function externalFiles(bytes: Uint8Array): string[] {
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  const files = new Set<string>();
  for (const t of model.graph?.initializer ?? []) {
    const loc = t.externalData?.find((e) => e.key === 'location')?.value;
    if (loc) files.add(loc);
  }
  return [...files];
}

type ManifestInput = z.input<typeof packManifestSchema>;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Quantizes every modality of the pack in `inDir` into `outDir`: models as `<modality>.onnx`
 * (one file each), other files (the vocabulary) copied, pack.json with the new sha256s,
 * `precision: "int8"` and the version suffixed `+int8`. The input pack is checked first.
 */
export async function quantizePack(
  inDir: string,
  outDir: string,
  options: QuantizeOptions = {},
): Promise<FileResult[]> {
  if (resolve(inDir) === resolve(outDir)) {
    throw new BindsightError(
      'USAGE',
      `output folder ${outDir} is the input pack; write the int8 pack elsewhere`,
      { dir: inDir },
    );
  }
  const { manifest } = await readManifestFile(inDir);
  const raw = JSON.parse(await readFile(join(inDir, 'pack.json'), 'utf8')) as ManifestInput;
  const results: FileResult[] = [];
  await mkdir(outDir, { recursive: true });
  for (const modality of MODALITIES) {
    const spec = manifest.modalities[modality];
    const entry = raw.modalities[modality];
    if (!spec || !entry) continue;
    const [model, ...rest] = listedFiles(modality, spec);
    const out = join(outDir, `${modality}.onnx`);
    const result = await quantizeFile(packPath(inDir, model.file, model.key), out, options);
    results.push(result);
    entry.file = `${modality}.onnx`;
    entry.sha256 = sha256(await readFile(out));
    entry.externalData = [];
    entry.precision = result.report.quantized.length > 0 ? 'int8' : spec.precision;
    for (const f of rest.filter((x) => x.key.endsWith('vocab'))) {
      await mkdir(dirname(join(outDir, f.file)), { recursive: true });
      await copyFile(packPath(inDir, f.file, f.key), join(outDir, f.file));
    }
  }
  raw.version = `${manifest.version}+int8`;
  await writeFile(join(outDir, 'pack.json'), `${JSON.stringify(raw, null, 2)}\n`);
  return results;
}
