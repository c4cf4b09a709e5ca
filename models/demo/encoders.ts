/**
 * The demo pack's six ONNX graphs: hand-wired feature detectors with ImageBind's exact
 * per-modality I/O (imagebind-contract.md §0). Each sensor graph computes a few scalar
 * features from the preprocessed tensor, turns them into concept weights s_k, and returns
 * L2-normalise(Σ s_k·c_k) × outputScale. The text graph sums word directions.
 * Feature definitions and constants: features.ts.
 */
import type { Modality, SensorModality } from '../../drivers/types.js';
import type { TensorSpec } from '../manifest.js';
import type { Dim, DType, Value } from '../onnx/graph.js';
import { GraphBuilder } from '../onnx/graph.js';
import { complement, gate, l2Normalize } from '../onnx/nn.js';
import { Ops } from '../onnx/ops.js';
import { type Concept, conceptRows, EMBEDDING_DIM } from './concepts.js';
import { DEMO_FEATURES, DEMO_OUTPUT_SCALE } from './features.js';

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'embedding';

/** ImageBind's per-modality input tensors (imagebind-contract.md §0). */
export const DEMO_INPUTS: Readonly<
  Record<Modality, { dtype: TensorSpec['dtype'] & DType; shape: readonly Dim[] }>
> = {
  vision: { dtype: 'float32', shape: ['batch', 3, 224, 224] },
  text: { dtype: 'int64', shape: ['batch', 77] },
  audio: { dtype: 'float32', shape: ['batch', 3, 1, 128, 204] },
  depth: { dtype: 'float32', shape: ['batch', 1, 224, 224] },
  thermal: { dtype: 'float32', shape: ['batch', 1, 224, 224] },
  imu: { dtype: 'float32', shape: ['batch', 6, 2000] },
};
export const DEMO_OUTPUT_SHAPE: readonly Dim[] = ['batch', EMBEDDING_DIM];

/** What a sensor graph's feature stage returns: concept weights [batch, concepts.length]. */
interface Features {
  concepts: readonly Concept[];
  weights: Value;
}

type FeatureFn = (op: Ops, x: Value) => Features;

/** Mean over every non-batch axis, as [batch, 1]. */
function meanAll(op: Ops, x: Value, rank: number): Value {
  const axes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
  return op.flatten(op.reduceMean(x, axes, true), 1);
}

const vision: FeatureFn = (op, x) => {
  const { k, t } = DEMO_FEATURES.vision;
  const bright = gate(op, meanAll(op, x, 4), k, t);
  return { concepts: ['bright', 'dark'], weights: op.concat([bright, complement(op, bright)], 1) };
};

/** Sample skewness over every non-batch axis of a rank-4 x, as [batch, 1]; 0 for a constant frame. */
function skewness(op: Ops, x: Value): Value {
  const centred = op.sub(x, op.reduceMean(x, [1, 2, 3], true));
  const square = op.mul(centred, centred);
  const m2 = meanAll(op, square, 4);
  const m3 = meanAll(op, op.mul(square, centred), 4);
  return op.div(m3, op.add(op.mul(m2, op.sqrt(m2)), 1e-12));
}

const thermal: FeatureFn = (op, x) => {
  const { k, t, pixelThreshold, skew } = DEMO_FEATURES.thermal;
  const hot = op.cast(op.greater(x, pixelThreshold), 'float32');
  const fewHot = gate(op, meanAll(op, hot, 4), -k, t);
  const warmBlob = gate(op, skewness(op, x), skew.k, skew.t);
  const person = op.mul(fewHot, warmBlob);
  return { concepts: ['person', 'empty'], weights: op.concat([person, complement(op, person)], 1) };
};

const depth: FeatureFn = (op, x) => {
  const { k, t } = DEMO_FEATURES.depth;
  const near = gate(op, meanAll(op, x, 4), k, t);
  return { concepts: ['near', 'empty'], weights: op.concat([near, complement(op, near)], 1) };
};

const audio: FeatureFn = (op, x) => {
  const { frames, alarm: a, quiet: q } = DEMO_FEATURES.audio;
  // [B,3,1,128,204] → frames 0..197: the last 6 columns are zero padding (data.py:126-127).
  const real = op.slice(x, [0], [frames], [4]);
  const peak = meanAll(op, op.reduceMax(real, [3], true), 5); // P
  const level = meanAll(op, real, 5); // M
  const alarm = gate(op, op.sub(peak, level), a.k, a.t);
  const notAlarm = complement(op, alarm);
  const soft = gate(op, peak, -q.k, q.t);
  return {
    concepts: ['alarm', 'quiet', 'noise'],
    weights: op.concat([alarm, op.mul(notAlarm, soft), op.mul(notAlarm, complement(op, soft))], 1),
  };
};

const imu: FeatureFn = (op, x) => {
  const { k, smooth, freeFall, impact, motionSd } = DEMO_FEATURES.imu;
  const acc = op.slice(x, [0], [3], [1]); // [B,3,2000] ax, ay, az
  const magnitude = op.sqrt(op.reduceSum(op.mul(acc, acc), [1], true)); // [B,1,2000]
  const smoothed = op.averagePool(magnitude, { kernel: [smooth], strides: [1] }); // [B,1,1981]
  const mn = op.flatten(op.reduceMin(smoothed, [1, 2], true), 1);
  const mx = op.flatten(op.reduceMax(smoothed, [1, 2], true), 1);
  const centred = op.sub(smoothed, op.reduceMean(smoothed, [1, 2], true));
  const sd = op.sqrt(meanAll(op, op.mul(centred, centred), 3));
  const fall = op.mul(gate(op, mn, -k, freeFall), gate(op, mx, k, impact));
  const move = gate(op, sd, k, motionSd);
  const notFall = complement(op, fall);
  return {
    concepts: ['fall', 'walk', 'still'],
    weights: op.concat([fall, op.mul(notFall, move), op.mul(notFall, complement(op, move))], 1),
  };
};

const FEATURES: Readonly<Record<SensorModality, FeatureFn>> = { vision, thermal, depth, audio, imu };

function docString(modality: string): string {
  return `bindsight demo ${modality} encoder: synthetic, hand-wired features (no learned weights); see models/README.md`;
}

/** The ONNX bytes of one demo sensor encoder. `directions`: conceptDirections(). */
export function buildSensorEncoder(modality: SensorModality, directions: Float32Array): Uint8Array {
  const g = new GraphBuilder({ name: `demo_${modality}`, docString: docString(modality) });
  const op = new Ops(g);
  const io = DEMO_INPUTS[modality];
  const x = g.input(INPUT_NAME, io.dtype, io.shape);
  const { concepts, weights } = FEATURES[modality](op, x);
  const rows = g.initializer(conceptRows(directions, concepts), [concepts.length, EMBEDDING_DIM], 'concepts');
  const embedding = op.mul(l2Normalize(op, op.matMul(weights, rows)), DEMO_OUTPUT_SCALE[modality]);
  g.output(embedding, OUTPUT_NAME, 'float32', DEMO_OUTPUT_SHAPE);
  return g.toBytes();
}

/**
 * The ONNX bytes of the demo text encoder: ids [batch, 77] → Gather from a [V, 1024] word
 * table (row = the word's concept direction, zero for specials and stop words) → sum over
 * the 77 positions → L2-normalise → × logit scale.
 */
export function buildTextEncoder(
  directions: Float32Array,
  vocabSize: number,
  conceptOf: ReadonlyMap<number, Concept>,
  concepts: readonly Concept[],
): Uint8Array {
  const table = new Float32Array(vocabSize * EMBEDDING_DIM);
  for (const [id, concept] of conceptOf) {
    const k = concepts.indexOf(concept);
    table.set(directions.subarray(k * EMBEDDING_DIM, (k + 1) * EMBEDDING_DIM), id * EMBEDDING_DIM);
  }
  const g = new GraphBuilder({ name: 'demo_text', docString: docString('text') });
  const op = new Ops(g);
  const io = DEMO_INPUTS.text;
  const ids = g.input(INPUT_NAME, io.dtype, io.shape);
  const words = op.gather(g.initializer(table, [vocabSize, EMBEDDING_DIM], 'word_table'), ids, 0); // [B,77,1024]
  const summed = op.reduceSum(words, [1], false); // [B,1024]
  const embedding = op.mul(l2Normalize(op, summed), DEMO_OUTPUT_SCALE.text);
  g.output(embedding, OUTPUT_NAME, 'float32', DEMO_OUTPUT_SHAPE);
  return g.toBytes();
}
