/**
 * One modality's encoder: batches per-sample tensors into one session run and returns one
 * unit-norm embedding per sample. ImageBind's outputs carry a per-modality scale (audio ×20,
 * text × logit scale, …; imagebind-contract.md §0, §3), so rows are re-normalised here and
 * every consumer can use plain cosine similarity.
 */
import type { Modality } from '../../drivers/types.js';
import type { ModalitySpec } from '../../models/manifest.js';
import { BindsightError } from '../errors.js';
import { fromHalf, toHalf } from './half.js';
import { EmbeddingHealth, type EmbeddingHealthSnapshot } from './health.js';
import type { HostTensor, SessionHandle, TensorArray, TensorDType } from './session.js';

/** A preprocessed sample: float32 for sensors, int64 ids for text (int32 for packs that declare it). */
export type EncoderInput = Float32Array | BigInt64Array | Int32Array;

/** pack.json input dtype → the array a caller passes, and how it becomes the feed. */
const INPUT_DTYPES: Readonly<
  Record<
    TensorDType,
    {
      accepts: string;
      check: (x: EncoderInput) => boolean;
      toFeed: (xs: readonly EncoderInput[]) => TensorArray;
    }
  >
> = {
  float32: {
    accepts: 'Float32Array',
    check: (x) => x instanceof Float32Array,
    toFeed: (xs) => concatAs(Float32Array, xs),
  },
  float16: {
    accepts: 'Float32Array',
    check: (x) => x instanceof Float32Array,
    toFeed: (xs) => toHalf(concatAs(Float32Array, xs)),
  },
  int64: {
    accepts: 'BigInt64Array',
    check: (x) => x instanceof BigInt64Array,
    toFeed: (xs) => concatAs(BigInt64Array, xs),
  },
  int32: {
    accepts: 'Int32Array',
    check: (x) => x instanceof Int32Array,
    toFeed: (xs) => concatAs(Int32Array, xs),
  },
};

function total(xs: readonly EncoderInput[]): number {
  return xs.reduce((n, x) => n + x.length, 0);
}
/** What concatAs needs of Float32Array, BigInt64Array and Int32Array. */
interface Settable<T> {
  set(array: T, offset: number): void;
}
/**
 * The samples laid end to end in one new `Typed` array. Arrays of another type are skipped (their
 * span is left zero); embed() has already refused those.
 */
function concatAs<T extends Settable<T>>(Typed: new (length: number) => T, xs: readonly EncoderInput[]): T {
  const out = new Typed(total(xs));
  let offset = 0;
  for (const x of xs) {
    if (x instanceof Typed) out.set(x, offset);
    offset += x.length;
  }
  return out;
}

function outputAsFloat32(t: HostTensor): Float32Array | null {
  if (t.data instanceof Float32Array) return t.data;
  if (t.dtype === 'float16' && t.data instanceof Uint16Array) return fromHalf(t.data);
  return null;
}

/** Each row of `flat` ([rows, dim]) divided by max(‖row‖, 1e-12), as F.normalize does. */
export function normalizeRows(flat: Float32Array, rows: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const row = flat.slice(r * dim, (r + 1) * dim);
    let sum = 0;
    for (const v of row) sum += v * v;
    const scale = 1 / Math.max(Math.sqrt(sum), 1e-12);
    for (let i = 0; i < dim; i++) row[i] *= scale;
    out.push(row);
  }
  return out;
}

export interface EncoderDeps {
  modality: Modality;
  spec: ModalitySpec;
  session: SessionHandle;
  embeddingDim: number;
  /** Watches every output row (default: one built from spec.health and spec.outputScale, no logger). */
  health?: EmbeddingHealth;
  /** How long opening the session took, in ms (shown by `models verify`). */
  loadMs?: number;
}

export class Encoder {
  readonly modality: Modality;
  readonly spec: ModalitySpec;
  readonly embeddingDim: number;
  /** Per-sample dims: the pack.json input shape without its leading batch dim. */
  readonly sampleShape: readonly number[];
  /** Values per sample: the product of sampleShape. */
  readonly sampleSize: number;
  /** Samples per run: null when the batch dim is symbolic (any number in one run). */
  readonly fixedBatch: number | null;
  /** Milliseconds it took to open the session (0 when not measured). */
  readonly loadMs: number;
  private readonly session: SessionHandle;
  private readonly monitor: EmbeddingHealth;
  private closed = false;

  constructor(deps: EncoderDeps) {
    const { modality, spec, session, embeddingDim } = deps;
    const [batch, ...rest] = spec.input.shape;
    if (batch === undefined || rest.some((d) => typeof d !== 'number')) {
      throw new BindsightError(
        'PACK_INVALID',
        `pack.json ${modality} input '${spec.input.name}' has shape [${spec.input.shape.join(',')}]; bindsight needs a leading batch dim and fixed other dims`,
        { modality, shape: spec.input.shape },
      );
    }
    this.modality = modality;
    this.spec = spec;
    this.session = session;
    this.embeddingDim = embeddingDim;
    this.sampleShape = rest.filter((d): d is number => typeof d === 'number');
    this.sampleSize = this.sampleShape.reduce((a, b) => a * b, 1);
    this.fixedBatch = typeof batch === 'number' ? batch : null;
    this.loadMs = deps.loadMs ?? 0;
    this.monitor =
      deps.health ??
      new EmbeddingHealth({ modality, file: spec.file, outputScale: spec.outputScale, spec: spec.health });
  }

  /** Embedding health of this modality's outputs so far (health.ts). */
  health(): EmbeddingHealthSnapshot {
    return this.monitor.snapshot();
  }

  /** Subscribes to this modality's ok ⇄ degraded changes; returns the unsubscribe function. */
  onHealthChange(listener: (snapshot: EmbeddingHealthSnapshot) => void): () => void {
    return this.monitor.onChange(listener);
  }

  /** The ONNX Runtime provider this encoder runs on. */
  get provider(): string {
    return this.session.provider;
  }

  /** One unit-norm embedding per input, in order. Inputs of the wrong type or size are refused (PREPROCESS_INVALID). */
  async embed(inputs: readonly EncoderInput[]): Promise<Float32Array[]> {
    const dtype = INPUT_DTYPES[this.spec.input.dtype];
    inputs.forEach((x, i) => {
      if (!dtype.check(x) || x.length !== this.sampleSize) {
        throw new BindsightError(
          'PREPROCESS_INVALID',
          `${this.modality} sample ${i} is a ${x.constructor.name} of ${x.length} values; ${this.spec.file} input '${this.spec.input.name}' needs a ${dtype.accepts} of ${this.sampleSize} (${this.sampleShape.join('×')}, pack.json shape [${this.spec.input.shape.join(',')}])`,
          { modality: this.modality, sample: i, length: x.length, expected: this.sampleSize },
        );
      }
    });
    const out: Float32Array[] = [];
    const step = this.fixedBatch ?? Math.max(inputs.length, 1);
    for (let start = 0; start < inputs.length; start += step) {
      const chunk = inputs.slice(start, start + step);
      out.push(...(await this.run(chunk, step)));
    }
    return out;
  }

  /** Runs one batch; a fixed-batch model gets zero samples appended up to its batch size. */
  private async run(chunk: readonly EncoderInput[], batch: number): Promise<Float32Array[]> {
    const padded = [...chunk];
    while (this.fixedBatch !== null && padded.length < batch)
      padded.push(zerosLike(chunk[0], this.sampleSize));
    const feed: HostTensor = {
      dtype: this.spec.input.dtype,
      data: INPUT_DTYPES[this.spec.input.dtype].toFeed(padded),
      dims: [padded.length, ...this.sampleShape],
    };
    const result = await this.session.run({ [this.spec.input.name]: feed });
    const tensor = result[this.spec.output.name];
    const flat = tensor ? outputAsFloat32(tensor) : null;
    if (tensor === undefined || flat === null || flat.length !== padded.length * this.embeddingDim) {
      const got = tensor ? `${tensor.dtype} [${tensor.dims.join(',')}]` : 'nothing';
      throw new BindsightError(
        'INFERENCE_FAILED',
        `${this.spec.file} output '${this.spec.output.name}' is ${got}; expected float32 [${padded.length},${this.embeddingDim}]`,
        { file: this.spec.file, output: this.spec.output.name, got },
      );
    }
    const real = flat.subarray(0, chunk.length * this.embeddingDim);
    const { nonFinite } = this.monitor.observe(chunk, real, this.embeddingDim);
    if (nonFinite > 0) {
      throw new BindsightError(
        'INFERENCE_FAILED',
        `${this.spec.file} returned NaN or Inf in ${nonFinite} of ${chunk.length} ${this.modality} embeddings; ${this.health().reason}`,
        { file: this.spec.file, modality: this.modality, nonFinite, rows: chunk.length },
      );
    }
    return normalizeRows(real, chunk.length, this.embeddingDim);
  }

  /** Releases the session; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.close();
  }
}

function zerosLike(x: EncoderInput, n: number): EncoderInput {
  if (x instanceof BigInt64Array) return new BigInt64Array(n);
  if (x instanceof Int32Array) return new Int32Array(n);
  return new Float32Array(n);
}
