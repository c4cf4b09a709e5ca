/**
 * Symmetric int8 weight quantization, as onnxruntime's dynamic quantizer does it for QInt8
 * weights (onnxruntime/python/tools/quantization: `quantize_dynamic(weight_type=QInt8)`, whose
 * weights are symmetric with zero point 0): scale = max|w| / 127, q = round(w / scale) in
 * [−127, 127]. Per-tensor: one scale; per-channel: one scale per output column of the [K, N]
 * weight, which MatMulInteger accepts as a [N] zero point and a [N] scale.
 */
import onnxProto from 'onnx-proto';
import { BindsightError } from '../../src/errors.js';

const { onnx } = onnxProto;
type TensorProto = onnxProto.onnx.ITensorProto;

export interface QuantizedWeight {
  /** int8 [K, N], row-major. */
  readonly q: Int8Array;
  /** One scale (per-tensor) or N scales (per-channel). */
  readonly scale: Float32Array;
  readonly k: number;
  readonly n: number;
}

/** int64 dims as numbers (protobufjs decodes them as numbers or Long). */
export function dimsOf(t: TensorProto): number[] {
  return (t.dims ?? []).map((d) => (typeof d === 'number' ? d : Number(d.toString())));
}

/** A FLOAT initializer's values, from raw_data (little-endian) or float_data. */
export function floatValues(t: TensorProto): Float32Array {
  const count = dimsOf(t).reduce((a, b) => a * b, 1);
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== count * 4) {
      throw new BindsightError(
        'FILE_INVALID',
        `initializer '${t.name}' holds ${t.rawData.length} bytes for ${count} float32 values`,
        { tensor: t.name },
      );
    }
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
  }
  return Float32Array.from(t.floatData ?? []);
}

/** w [K, N] → int8 with per-tensor or per-column scales. */
export function quantizeWeight(w: Float32Array, k: number, n: number, perChannel: boolean): QuantizedWeight {
  const scale = new Float32Array(perChannel ? n : 1);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < n; j++) {
      const s = perChannel ? j : 0;
      scale[s] = Math.max(scale[s], Math.abs(w[i * n + j]));
    }
  }
  for (let s = 0; s < scale.length; s++) scale[s] = scale[s] > 0 ? scale[s] / 127 : 1;
  const q = new Int8Array(k * n);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < n; j++) {
      const v = Math.round(w[i * n + j] / scale[perChannel ? j : 0]);
      q[i * n + j] = Math.max(-127, Math.min(127, v));
    }
  }
  return { q, scale, k, n };
}

/** [rows, cols] → [cols, rows] (Gemm with transB = 1 stores B as [N, K]). */
export function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

function littleEndian(data: Float32Array | Int8Array): Uint8Array {
  if (data instanceof Int8Array) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => {
    view.setFloat32(i * 4, v, true);
  });
  return out;
}

/** A TensorProto initializer from typed data. */
export function initializer(
  name: string,
  data: Float32Array | Int8Array,
  dims: readonly number[],
): TensorProto {
  const dataType =
    data instanceof Int8Array ? onnx.TensorProto.DataType.INT8 : onnx.TensorProto.DataType.FLOAT;
  return { name, dims: [...dims], dataType, rawData: littleEndian(data) };
}
