/**
 * pack.json: the model-pack manifest (DESIGN.md "Model packs", models/README.md).
 * One schema, used by the pack builders to write and by src/encoders to read and check.
 */
import { z } from 'zod';

export const PACK_FORMAT_VERSION = 1;

const dim = z.union([z.number().int().positive(), z.string().min(1)]);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256 (64 characters)');

export const tensorSpecSchema = z.strictObject({
  name: z.string().min(1),
  /** Symbolic dims (e.g. "batch") are dynamic; numbers must match the ONNX file exactly. */
  shape: z.array(dim),
  dtype: z.enum(['float32', 'int64', 'int32', 'float16']),
});

export const visionPreprocessSchema = z.strictObject({
  kind: z.literal('vision'),
  size: z.number().int().positive(),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number(), z.number(), z.number()]),
});
export const audioPreprocessSchema = z.strictObject({
  kind: z.literal('audio'),
  sampleRate: z.number().int().positive(),
  clips: z.number().int().positive(),
  clipSeconds: z.number().positive(),
  melBins: z.number().int().positive(),
  targetFrames: z.number().int().positive(),
  mean: z.number(),
  std: z.number(),
});
export const thermalPreprocessSchema = z.strictObject({
  kind: z.literal('thermal'),
  size: z.number().int().positive(),
});
export const depthPreprocessSchema = z.strictObject({
  kind: z.literal('depth'),
  size: z.number().int().positive(),
  baselineM: z.number().positive(),
  focalPx640: z.number().positive().describe('focal length in px for a 640-wide image; scaled by W/640'),
  minDepthM: z.number().positive(),
  maxDepthM: z.number().positive(),
  maxDisparity: z.number().positive(),
  mean: z.number(),
  std: z.number(),
});
export const imuPreprocessSchema = z.strictObject({
  kind: z.literal('imu'),
  rate: z.number().positive(),
  samples: z.number().int().positive(),
});
export const textPreprocessSchema = z.strictObject({
  kind: z.literal('text'),
  tokenizer: z.enum(['words', 'clip-bpe']),
  /** Vocabulary file inside the pack (words: JSON {word: id}; clip-bpe: merges .txt.gz). */
  vocab: z.string().min(1),
  /** sha256 of the vocabulary file, checked at load with the model hashes when present. */
  vocabSha256: sha256.optional(),
  contextLength: z.number().int().positive(),
  sot: z.number().int().nonnegative(),
  eot: z.number().int().nonnegative(),
  pad: z.number().int().nonnegative(),
});

export const preprocessSchema = z.discriminatedUnion('kind', [
  visionPreprocessSchema,
  audioPreprocessSchema,
  thermalPreprocessSchema,
  depthPreprocessSchema,
  imuPreprocessSchema,
  textPreprocessSchema,
]);

/** A file the model needs besides its .onnx (ONNX external tensor data, for models over 2 GiB). */
export const fileRefSchema = z.strictObject({
  file: z.string().min(1),
  sha256,
});

/**
 * Embedding-health limits for one modality (src/encoders/health.ts). Raw output rows (before
 * bindsight re-normalises them) must have a norm within `normRange`, by default
 * [0.05, 1.05] × outputScale (ImageBind's postprocessors give exactly outputScale, multi-clip
 * means a little less). `collapse` watches for near-identical embeddings of clearly different
 * inputs; a pack whose encoders are meant to map many inputs to one vector (the demo pack's
 * few hand-wired concepts) turns it off.
 */
export const healthSpecSchema = z.strictObject({
  normRange: z.tuple([z.number().nonnegative(), z.number().positive()]).optional(),
  collapse: z.boolean().default(true),
});

export const modalitySpecSchema = z.strictObject({
  file: z.string().min(1),
  sha256,
  /** External tensor-data files the ONNX file refers to (same folder), each hash-checked. */
  externalData: z.array(fileRefSchema).default([]),
  /** Weight precision, shown by `bindsight models verify` (informative). */
  precision: z.enum(['fp32', 'fp16', 'int8', 'mixed']).default('fp32'),
  input: tensorSpecSchema,
  output: tensorSpecSchema,
  /** The model's own output scale (ImageBind postprocessor), informative: outputs are re-normalised. */
  outputScale: z.number().positive().default(1),
  preprocess: preprocessSchema,
  health: healthSpecSchema.prefault({}),
});

export const packManifestSchema = z.strictObject({
  format: z.literal(PACK_FORMAT_VERSION),
  name: z.string().min(1),
  version: z.string().min(1),
  family: z.string().min(1).describe('encoder family, e.g. "demo", "imagebind", "openclip"'),
  license: z.string().min(1),
  /** Where the licence text is (shown with the licence). */
  licenseUrl: z.string().optional(),
  /**
   * The weights forbid commercial use (ImageBind: CC BY-NC-SA 4.0). The agent and
   * `models verify` print a warning naming the licence whenever such a pack is loaded.
   */
  nonCommercial: z.boolean().default(false),
  /** Where the weights come from (checkpoint, export recipe), informative. */
  source: z.string().optional(),
  description: z.string().default(''),
  embeddingDim: z.number().int().positive(),
  /** Softmax temperature for prompt scoring: probabilities = softmax(logitScale * cos + logitBias). */
  logitScale: z.number().positive(),
  logitBias: z.number().default(0),
  modalities: z
    .strictObject({
      vision: modalitySpecSchema.optional(),
      text: modalitySpecSchema.optional(),
      audio: modalitySpecSchema.optional(),
      depth: modalitySpecSchema.optional(),
      thermal: modalitySpecSchema.optional(),
      imu: modalitySpecSchema.optional(),
    })
    .refine((m) => Object.keys(m).length > 0, 'a pack needs at least one modality'),
});

export type TensorSpec = z.output<typeof tensorSpecSchema>;
export type ModalitySpec = z.output<typeof modalitySpecSchema>;
export type PackManifest = z.output<typeof packManifestSchema>;
export type PreprocessParams = z.output<typeof preprocessSchema>;
export type VisionParams = z.output<typeof visionPreprocessSchema>;
export type AudioParams = z.output<typeof audioPreprocessSchema>;
export type ThermalParams = z.output<typeof thermalPreprocessSchema>;
export type DepthParams = z.output<typeof depthPreprocessSchema>;
export type ImuParams = z.output<typeof imuPreprocessSchema>;
export type TextParams = z.output<typeof textPreprocessSchema>;
export type HealthSpec = z.output<typeof healthSpecSchema>;
export type FileRef = z.output<typeof fileRefSchema>;

/** ImageBind's constants (../shared/reference/imagebind-contract.md §1), shared by every ImageBind-contract pack. */
export const IMAGEBIND_PREPROCESS = {
  vision: {
    kind: 'vision',
    size: 224,
    mean: [0.48145466, 0.4578275, 0.40821073],
    std: [0.26862954, 0.26130258, 0.27577711],
  },
  audio: {
    kind: 'audio',
    sampleRate: 16000,
    clips: 3,
    clipSeconds: 2,
    melBins: 128,
    targetFrames: 204,
    mean: -4.268,
    std: 9.138,
  },
  thermal: { kind: 'thermal', size: 224 },
  depth: {
    kind: 'depth',
    size: 224,
    baselineM: 0.075,
    focalPx640: 518.857901,
    minDepthM: 0.01,
    maxDepthM: 50,
    maxDisparity: 75,
    mean: 0.0418,
    std: 0.0295,
  },
  imu: { kind: 'imu', rate: 400, samples: 2000 },
} as const satisfies Record<string, PreprocessParams>;

/** ImageBind's per-modality model I/O (imagebind-contract.md §0): input name/dtype/shape, output scale. */
export const IMAGEBIND_IO = {
  vision: { dtype: 'float32', shape: ['batch', 3, 224, 224], outputScale: 1 },
  text: { dtype: 'int64', shape: ['batch', 77], outputScale: 100 },
  audio: { dtype: 'float32', shape: ['batch', 3, 1, 128, 204], outputScale: 20 },
  depth: { dtype: 'float32', shape: ['batch', 1, 224, 224], outputScale: 5 },
  thermal: { dtype: 'float32', shape: ['batch', 1, 224, 224], outputScale: 10 },
  imu: { dtype: 'float32', shape: ['batch', 6, 2000], outputScale: 5 },
} as const satisfies Record<
  string,
  { dtype: TensorSpec['dtype']; shape: readonly (number | string)[]; outputScale: number }
>;

/** ImageBind's text tokenizer settings (imagebind-contract.md §1.3) and its vocabulary file name. */
export const IMAGEBIND_TEXT = {
  kind: 'text',
  tokenizer: 'clip-bpe',
  vocab: 'bpe_simple_vocab_16e6.txt.gz',
  contextLength: 77,
  sot: 49406,
  eot: 49407,
  pad: 0,
} as const satisfies TextParams;
