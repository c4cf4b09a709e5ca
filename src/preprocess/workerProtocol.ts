/**
 * Messages between PreprocessPool (workerPool.ts) and its worker threads (worker.ts). Samples
 * are structured-cloned (a driver may hand the same buffer to several Samples, e.g. a replayed
 * image, so the input is never transferred); the resulting tensor is transferred back.
 */
import type { Sample } from '../../drivers/types.js';
import type { PreprocessParams } from '../../models/manifest.js';
import { BindsightError, type ErrorCode, EXIT_CODES } from '../errors.js';

export interface TaskMessage {
  id: number;
  sample: Sample;
  params: PreprocessParams;
}

/** An error as plain data: BindsightErrors keep their code and context across the thread. */
export interface WireError {
  message: string;
  code?: string;
  context?: Record<string, unknown>;
}

export type ResultMessage =
  | { id: number; ok: true; tensor: Float32Array }
  | { id: number; ok: false; error: WireError };

/** Sent once by a worker when its modules have loaded and it takes tasks. */
export interface ReadyMessage {
  ready: true;
}

export type WorkerMessage = ResultMessage | ReadyMessage;

export function toWire(err: unknown): WireError {
  if (err instanceof BindsightError) {
    // Context values are plain data by convention; anything uncloneable is dropped, not fatal.
    let context: Record<string, unknown> | undefined;
    try {
      context = structuredClone({ ...err.context });
    } catch {
      context = undefined;
    }
    return { message: err.message, code: err.code, context };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(EXIT_CODES, code);
}

export function fromWire(w: WireError): Error {
  if (w.code !== undefined && isErrorCode(w.code))
    return new BindsightError(w.code, w.message, w.context ?? {});
  return new Error(w.message);
}

/** A tensor that owns its whole buffer, so transferring the buffer moves exactly the tensor. */
export function ownedTensor(x: Float32Array): Float32Array<ArrayBuffer> {
  const buf = x.buffer;
  if (buf instanceof ArrayBuffer && x.byteOffset === 0 && x.byteLength === buf.byteLength) {
    return new Float32Array(buf);
  }
  return x.slice();
}
