/**
 * ONNX external data (onnx/onnx docs/ExternalData.md): a tensor whose data_location is EXTERNAL
 * keeps its bytes in another file, named by the `location` entry (relative to the model's
 * folder) at `offset` for `length` bytes. Models over protobuf's 2 GiB limit (ImageBind's fp32
 * vision encoder) are stored this way. The quantizer reads such tensors back inline: the int8
 * result is small enough to be one file.
 */
import { open } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import onnxProto from 'onnx-proto';
import { BindsightError, errorMessage } from '../../src/errors.js';

const { onnx } = onnxProto;
type TensorProto = onnxProto.onnx.ITensorProto;

function entry(t: TensorProto, key: string): string | undefined {
  return t.externalData?.find((e) => e.key === key)?.value ?? undefined;
}

/** Reads one external tensor's bytes. */
async function readExternal(t: TensorProto, baseDir: string): Promise<Uint8Array> {
  const location = entry(t, 'location');
  if (location === undefined || isAbsolute(location) || normalize(location).startsWith('..')) {
    throw new BindsightError(
      'FILE_INVALID',
      `initializer '${t.name}' is external with location '${location}'; it must name a file beside the model`,
      { tensor: t.name, location },
    );
  }
  const file = join(baseDir, location);
  const offset = Number(entry(t, 'offset') ?? 0);
  const length = entry(t, 'length');
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const size = length === undefined ? (await handle.stat()).size - offset : Number(length);
    const bytes = new Uint8Array(size);
    const { bytesRead } = await handle.read(bytes, 0, size, offset);
    if (bytesRead !== size) throw new Error(`read ${bytesRead} of ${size} bytes at offset ${offset}`);
    return bytes;
  } catch (err) {
    throw new BindsightError(
      'FILE_INVALID',
      `cannot read external data of '${t.name}' from ${file}: ${errorMessage(err)}`,
      { tensor: t.name, file },
      { cause: err },
    );
  } finally {
    await handle?.close();
  }
}

/** Makes every external initializer of the main graph inline; returns how many there were. */
export async function inlineExternalData(
  model: onnxProto.onnx.IModelProto,
  baseDir: string,
): Promise<number> {
  let count = 0;
  for (const t of model.graph?.initializer ?? []) {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    t.rawData = await readExternal(t, baseDir);
    t.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    t.externalData = [];
    count++;
  }
  return count;
}

/**
 * The reverse, as `onnx.save_model(..., save_as_external_data=True, all_tensors_to_one_file=True)`
 * does it: initializers of at least `minBytes` raw bytes move to one data file `location`,
 * 16-byte aligned. Returns that file's bytes; the model is changed in place.
 */
export function moveToExternalData(
  model: onnxProto.onnx.IModelProto,
  location: string,
  minBytes = 1024,
): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of model.graph?.initializer ?? []) {
    const raw = t.rawData;
    if (!raw || raw.length < minBytes) continue;
    const pad = (16 - (offset % 16)) % 16;
    if (pad > 0) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(raw);
    t.externalData = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.length) },
    ];
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.rawData = new Uint8Array(0);
    offset += raw.length;
  }
  const out = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
