/**
 * Messages between InferenceWorker (remote.ts) and the inference worker thread (worker.ts).
 * Feeds and outputs are transferred, not copied: each side hands over buffers it owns.
 * Errors travel as WireError (src/preprocess/workerProtocol.ts), so a BindsightError keeps its
 * code, message and context across the thread.
 */
import type { WireError } from '../preprocess/workerProtocol.js';
import type {
  HostTensor,
  ProviderFailure,
  ProviderName,
  SessionOptions,
  TensorArray,
  TensorInfo,
} from './session.js';

export type InferenceRequest =
  | {
      kind: 'open';
      id: number;
      key: number;
      file: string;
      providers: readonly ProviderName[];
      options: SessionOptions;
    }
  | { kind: 'run'; id: number; key: number; feeds: Record<string, HostTensor> }
  | { kind: 'close'; id: number; key: number };

export interface OpenedSession {
  provider: ProviderName;
  failures: readonly ProviderFailure[];
  inputs: readonly TensorInfo[];
  outputs: readonly TensorInfo[];
}

export type InferenceReply =
  | { id: number; ok: true; opened?: OpenedSession; outputs?: Record<string, HostTensor> }
  | { id: number; ok: false; error: WireError };

/** A copy of `data` when it shares or does not own its buffer, so transferring moves exactly it. */
export function owned(data: TensorArray): TensorArray {
  const buf = data.buffer;
  if (buf instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buf.byteLength) return data;
  return data.slice();
}

/** The tensors with owned data, and the buffers to transfer. */
export function forTransfer(tensors: Readonly<Record<string, HostTensor>>): {
  tensors: Record<string, HostTensor>;
  buffers: ArrayBuffer[];
} {
  const out: Record<string, HostTensor> = {};
  const buffers: ArrayBuffer[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const data = owned(t.data);
    if (data.buffer instanceof ArrayBuffer && !buffers.includes(data.buffer)) buffers.push(data.buffer);
    out[name] = { dtype: t.dtype, data, dims: t.dims };
  }
  return { tensors: out, buffers };
}
