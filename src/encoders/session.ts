/**
 * The one ONNX seam (style.md §12): the only file in bindsight that imports
 * onnxruntime-node. Everything else sees HostTensor (plain typed arrays + dims) and the
 * session's real input/output names, types and shapes.
 *
 * Providers are tried in the configured order. onnxruntime-node rejects the whole session when
 * any listed provider fails to load (e.g. ['cuda', 'cpu'] on a CPU-only build fails with
 * "OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library"), so passing
 * the list to ORT once would not fall back. Attempt k therefore hands ORT the list from
 * provider k on: ['tensorrt', 'cuda', 'cpu'] first (TensorRT runs what it can, CUDA the
 * rest), then ['cuda', 'cpu'], then ['cpu']; the first attempt that opens names the provider.
 * The prebuilt Linux arm64 binary is CPU-only (imagebind-contract.md §5.3): on a Jetson,
 * 'tensorrt'/'cuda' need an ORT built for it, and without one the session falls back to
 * 'cpu' and says why (README "Model packs").
 */
import ort from 'onnxruntime-node';
import { BindsightError, errorMessage } from '../errors.js';

export type ProviderName = 'tensorrt' | 'cuda' | 'cpu';
export const PROVIDER_NAMES: readonly ProviderName[] = ['tensorrt', 'cuda', 'cpu'];

/** bindsight provider names → onnxruntime-node executionProviders names. */
const ORT_PROVIDER: Readonly<Record<ProviderName, string>> = {
  tensorrt: 'tensorrt',
  cuda: 'cuda',
  cpu: 'cpu',
};

/** Element types bindsight feeds and reads (pack.json dtypes). float16 data travels as raw bits. */
export type TensorDType = 'float32' | 'float16' | 'int64' | 'int32';
export type TensorArray = Float32Array | Uint16Array | BigInt64Array | Int32Array;

export interface HostTensor {
  readonly dtype: TensorDType;
  readonly data: TensorArray;
  readonly dims: readonly number[];
}

/** What the model itself declares for one input or output; dtype/shape absent when ORT does not say. */
export interface TensorInfo {
  readonly name: string;
  /** ORT's element type name ('float32', 'int64', …). */
  readonly dtype?: string;
  /** Fixed dims as numbers, symbolic dims by their name ('batch'); '?' for an unnamed dynamic dim. */
  readonly shape?: readonly (number | string)[];
}

export interface ProviderFailure {
  readonly provider: ProviderName;
  readonly error: string;
}

export interface SessionOptions {
  /** Threads inside one operator (ORT default, 0: one per physical core). */
  intraOpThreads?: number;
  /** Threads running independent operators in parallel (ORT default, 0). */
  interOpThreads?: number;
  /** GPU for 'cuda' and 'tensorrt' (default 0). */
  deviceId?: number;
}

/** ORT's executionProviders entry for one bindsight provider. */
function ortProvider(
  provider: ProviderName,
  deviceId: number | undefined,
): ort.InferenceSession.ExecutionProviderConfig {
  if (deviceId === undefined) return ORT_PROVIDER[provider];
  if (provider === 'cuda') return { name: 'cuda', deviceId };
  if (provider === 'tensorrt') return { name: 'tensorrt', deviceId };
  return ORT_PROVIDER[provider];
}

function ortSessionOptions(
  chain: readonly ProviderName[],
  options: SessionOptions,
): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: chain.map((p) => ortProvider(p, options.deviceId)),
    ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
    ...(options.interOpThreads ? { interOpNumThreads: options.interOpThreads } : {}),
    // ORT's pool threads otherwise spin-wait between runs (onnxruntime_session_options_config_keys.h
    // "session.intra_op.allow_spinning"), burning the cores preprocessing and the agent need.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/** "input float32 [2,3,224,224]" for each feed: what a failing run is told it got. */
export function describeFeeds(feeds: Readonly<Record<string, HostTensor>>): string {
  return Object.entries(feeds)
    .map(([name, t]) => `${name} ${t.dtype} [${t.dims.join(',')}]`)
    .join(', ');
}

function tensorInfo(meta: ort.InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name };
  return {
    name: meta.name,
    dtype: meta.type,
    shape: meta.shape.map((d) => (typeof d === 'number' && d < 0 ? '?' : d === '' ? '?' : d)),
  };
}

function isTensorArray(x: unknown): x is TensorArray {
  return (
    x instanceof Float32Array ||
    x instanceof Uint16Array ||
    x instanceof BigInt64Array ||
    x instanceof Int32Array
  );
}

/**
 * What an Encoder needs of a session: an OnnxSession in this thread, or a RemoteSession
 * (remote.ts) whose model runs on the inference worker thread.
 */
export interface SessionHandle {
  readonly file: string;
  readonly provider: ProviderName;
  readonly failures: readonly ProviderFailure[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  run(feeds: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>>;
  close(): Promise<void>;
}

export class OnnxSession implements SessionHandle {
  /** The provider the session runs on. */
  readonly provider: ProviderName;
  /** Providers tried before it, and why each failed. */
  readonly failures: readonly ProviderFailure[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];

  private constructor(
    readonly file: string,
    private readonly session: ort.InferenceSession,
    provider: ProviderName,
    failures: readonly ProviderFailure[],
  ) {
    this.provider = provider;
    this.failures = failures;
    this.inputs = session.inputMetadata.map(tensorInfo);
    this.outputs = session.outputMetadata.map(tensorInfo);
  }

  /**
   * Opens `file` on the first provider that accepts it. Throws PACK_INVALID when 'cpu' was
   * tried and also failed (the model itself is unreadable), else CONFIG_INVALID (no listed
   * provider is available here); both list every provider's error.
   */
  static async open(
    file: string,
    providers: readonly ProviderName[],
    options: SessionOptions = {},
  ): Promise<OnnxSession> {
    if (providers.length === 0) {
      throw new BindsightError(
        'CONFIG_INVALID',
        `cannot open ${file}: the provider list is empty; use some of ${PROVIDER_NAMES.join(', ')}`,
        {
          file,
        },
      );
    }
    const failures: ProviderFailure[] = [];
    const known = providers.filter((p) => ORT_PROVIDER[p] !== undefined);
    for (const provider of providers) {
      if (ORT_PROVIDER[provider] === undefined) {
        failures.push({ provider, error: `unknown provider; valid: ${PROVIDER_NAMES.join(', ')}` });
        continue;
      }
      const chain = known.slice(known.indexOf(provider));
      try {
        const session = await ort.InferenceSession.create(file, ortSessionOptions(chain, options));
        return new OnnxSession(file, session, provider, failures);
      } catch (err) {
        failures.push({ provider, error: errorMessage(err) });
      }
    }
    const tried = failures.map((f) => `${f.provider}: ${f.error}`).join('; ');
    const modelBroken = failures.some((f) => f.provider === 'cpu');
    throw new BindsightError(
      modelBroken ? 'PACK_INVALID' : 'CONFIG_INVALID',
      modelBroken
        ? `cannot load ${file} (corrupt, truncated or not an ONNX model?): ${tried}`
        : `cannot load ${file}: no provider of [${providers.join(', ')}] is available here (${tried}); add 'cpu' to models.providers`,
      { file, failures },
    );
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs the model. A failure (INFERENCE_FAILED) names the file, provider, and every feed's dtype and dims. */
  async run(feeds: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    let results: ort.InferenceSession.ReturnType;
    try {
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.dtype, t.data, t.dims);
      results = await this.session.run(ortFeeds);
    } catch (err) {
      throw new BindsightError(
        'INFERENCE_FAILED',
        `${this.file} failed to run on ${this.provider} with feeds ${describeFeeds(feeds)}: ${errorMessage(err)}`,
        { file: this.file, provider: this.provider, feeds: describeFeeds(feeds) },
        { cause: err },
      );
    } finally {
      for (const t of Object.values(ortFeeds)) t.dispose();
    }
    const out: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(results)) {
      const { type, data } = t;
      if (type !== 'float32' && type !== 'float16' && type !== 'int64' && type !== 'int32') {
        throw new BindsightError(
          'INFERENCE_FAILED',
          `${this.file}: output '${name}' has type ${type}; bindsight reads float32, float16, int64, int32`,
          {
            file: this.file,
            output: name,
            type,
          },
        );
      }
      if (!isTensorArray(data)) {
        throw new BindsightError(
          'INFERENCE_FAILED',
          `${this.file}: output '${name}' (${type}) did not come back as a typed array`,
          {
            file: this.file,
            output: name,
          },
        );
      }
      out[name] = { dtype: type, data, dims: [...t.dims] };
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
