/**
 * Load-time check of a model's real inputs/outputs against pack.json (style.md §12,
 * transformers.js `validateInputs`): a mismatch is refused with PACK_IO_MISMATCH naming the
 * file, the tensor, what pack.json says and what the ONNX file has.
 *
 * Dim rules: a fixed dim in pack.json must equal the model's; a symbolic one ("batch") needs
 * a dynamic dim in the model (a model exported with batch 1 could not take a batch of 4).
 * A model dim that is dynamic where pack.json fixes a size is accepted: the model is more
 * general than the pack promises.
 */
import type { Modality } from '../../drivers/types.js';
import type { ModalitySpec, TensorSpec } from '../../models/manifest.js';
import { BindsightError } from '../errors.js';
import type { TensorInfo } from './session.js';

export interface ModelIO {
  readonly file: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
}

function describeSpec(t: TensorSpec): string {
  return `'${t.name}' is ${t.dtype} [${t.shape.join(',')}]`;
}

function describeInfo(t: TensorInfo): string {
  return `'${t.name}' ${t.dtype ?? '(type unknown)'} [${t.shape?.join(',') ?? '?'}]`;
}

/** Why `actual` does not satisfy `expected`, or null when it does (name is checked by the caller). */
function tensorMismatch(expected: TensorSpec, actual: TensorInfo): string | null {
  if (actual.dtype !== undefined && actual.dtype !== expected.dtype) return 'dtype differs';
  if (actual.shape === undefined) return null;
  if (actual.shape.length !== expected.shape.length) return 'rank differs';
  for (let i = 0; i < expected.shape.length; i++) {
    const want = expected.shape[i];
    const got = actual.shape[i];
    if (typeof want === 'number' && typeof got === 'number' && want !== got) return `dim ${i} differs`;
    if (typeof want === 'string' && typeof got === 'number')
      return `dim ${i} is fixed in the model but dynamic in pack.json`;
  }
  return null;
}

function refuse(
  modality: Modality,
  role: 'input' | 'output',
  spec: TensorSpec,
  io: ModelIO,
  has: string,
  reason: string,
): never {
  const file = io.file.split('/').pop() ?? io.file;
  throw new BindsightError(
    'PACK_IO_MISMATCH',
    `pack.json says ${modality} ${role} ${describeSpec(spec)} but ${file} has ${has} (${reason})`,
    { modality, role, file: io.file, expected: spec, actual: has },
  );
}

/** Throws PACK_IO_MISMATCH unless the model's single input and the named output match `spec`. */
export function checkModelIO(modality: Modality, spec: ModalitySpec, io: ModelIO): void {
  const listInputs = io.inputs.map(describeInfo).join(', ');
  if (io.inputs.length !== 1) {
    refuse(
      modality,
      'input',
      spec.input,
      io,
      `${io.inputs.length} inputs: ${listInputs}`,
      'bindsight feeds exactly one input',
    );
  }
  const input = io.inputs[0];
  if (input.name !== spec.input.name)
    refuse(modality, 'input', spec.input, io, describeInfo(input), 'name differs');
  const inputWhy = tensorMismatch(spec.input, input);
  if (inputWhy) refuse(modality, 'input', spec.input, io, describeInfo(input), inputWhy);

  const output = io.outputs.find((o) => o.name === spec.output.name);
  if (output === undefined) {
    const list = io.outputs.map(describeInfo).join(', ') || 'no outputs';
    refuse(modality, 'output', spec.output, io, list, `no output is named '${spec.output.name}'`);
  }
  const outputWhy = tensorMismatch(spec.output, output);
  if (outputWhy) refuse(modality, 'output', spec.output, io, describeInfo(output), outputWhy);
}

/** pack.json consistency that needs no model: every output row holds exactly embeddingDim values. */
export function checkSpecConsistency(modality: Modality, spec: ModalitySpec, embeddingDim: number): void {
  const [, ...rest] = spec.output.shape;
  const fixed = rest.every((d) => typeof d === 'number');
  const size = rest.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
  if (!fixed || size !== embeddingDim) {
    throw new BindsightError(
      'PACK_INVALID',
      `pack.json ${modality} output '${spec.output.name}' has shape [${spec.output.shape.join(',')}]; expected [batch, ${embeddingDim}] (embeddingDim ${embeddingDim})`,
      { modality, shape: spec.output.shape, embeddingDim },
    );
  }
  if (spec.preprocess.kind !== modality) {
    throw new BindsightError(
      'PACK_INVALID',
      `pack.json ${modality} has preprocess.kind '${spec.preprocess.kind}'; expected '${modality}'`,
      { modality, kind: spec.preprocess.kind },
    );
  }
  if (spec.preprocess.kind === 'text') {
    const last = spec.input.shape.at(-1);
    if (last !== spec.preprocess.contextLength || spec.preprocess.contextLength < 2) {
      throw new BindsightError(
        'PACK_INVALID',
        `pack.json text input shape [${spec.input.shape.join(',')}] does not end in contextLength ${spec.preprocess.contextLength} (≥ 2)`,
        { shape: spec.input.shape, contextLength: spec.preprocess.contextLength },
      );
    }
  }
}
