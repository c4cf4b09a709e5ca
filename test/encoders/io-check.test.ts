import t from 'tap';
import type { ModalitySpec } from '../../models/manifest.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { checkModelIO, checkSpecConsistency, type ModelIO } from '../../src/encoders/io-check.js';

const spec: ModalitySpec = {
  file: 'vision.onnx',
  sha256: '0'.repeat(64),
  externalData: [],
  precision: 'fp32',
  health: { collapse: true },
  input: { name: 'input', shape: ['batch', 3, 224, 224], dtype: 'float32' },
  output: { name: 'embedding', shape: ['batch', 1024], dtype: 'float32' },
  outputScale: 1,
  preprocess: {
    ...IMAGEBIND_PREPROCESS.vision,
    mean: [...IMAGEBIND_PREPROCESS.vision.mean],
    std: [...IMAGEBIND_PREPROCESS.vision.std],
  },
};

function io(input: Partial<ModelIO['inputs'][number]>, extra: Partial<ModelIO> = {}): ModelIO {
  return {
    file: '/packs/x/vision.onnx',
    inputs: [{ name: 'input', dtype: 'float32', shape: ['batch', 3, 224, 224], ...input }],
    outputs: [{ name: 'embedding', dtype: 'float32', shape: ['batch', 1024] }],
    ...extra,
  };
}

t.test('a matching model passes, including one more dynamic than pack.json', async (t) => {
  t.doesNotThrow(() => checkModelIO('vision', spec, io({})));
  t.doesNotThrow(() => checkModelIO('vision', spec, io({ shape: ['N', 3, 'h', 'w'] })));
  t.doesNotThrow(
    () => checkModelIO('vision', spec, io({ dtype: undefined, shape: undefined })),
    'ORT gave no metadata',
  );
  const extraOutputs = io(
    {},
    { outputs: [{ name: 'tokens', dtype: 'float32', shape: ['batch', 257, 1280] }, io({}).outputs[0]] },
  );
  t.doesNotThrow(() => checkModelIO('vision', spec, extraOutputs));
});

t.test('mismatches are PACK_IO_MISMATCH with both sides spelled out', async (t) => {
  t.throws(() => checkModelIO('vision', spec, io({ name: 'pixel_values', shape: ['batch', 3, 256, 256] })), {
    code: 'PACK_IO_MISMATCH',
    message:
      "pack.json says vision input 'input' is float32 [batch,3,224,224] but vision.onnx has 'pixel_values' float32 [batch,3,256,256] (name differs)",
  });
  t.throws(() => checkModelIO('vision', spec, io({ shape: ['batch', 3, 256, 256] })), {
    message: /\(dim 2 differs\)/,
  });
  t.throws(() => checkModelIO('vision', spec, io({ shape: [1, 3, 224, 224] })), {
    message: /\[1,3,224,224\] \(dim 0 is fixed in the model but dynamic in pack.json\)/,
  });
  t.throws(() => checkModelIO('vision', spec, io({ shape: ['batch', 224, 224] })), {
    message: /rank differs/,
  });
  t.throws(() => checkModelIO('vision', spec, io({ dtype: 'float16' })), {
    message: /'input' float16 .*dtype differs/,
  });
  const two = io({}, { inputs: [io({}).inputs[0], { name: 'mask', dtype: 'int64', shape: ['batch', 77] }] });
  t.throws(() => checkModelIO('vision', spec, two), {
    message: /has 2 inputs: 'input' .*, 'mask' int64 \[batch,77\]/,
  });
  const noOutput = io({}, { outputs: [{ name: 'pooled', dtype: 'float32', shape: ['batch', 1024] }] });
  t.throws(() => checkModelIO('vision', spec, noOutput), {
    code: 'PACK_IO_MISMATCH',
    message:
      /vision output 'embedding' .* has 'pooled' float32 \[batch,1024\] \(no output is named 'embedding'\)/,
  });
  const wideOutput = io({}, { outputs: [{ name: 'embedding', dtype: 'float32', shape: ['batch', 768] }] });
  t.throws(() => checkModelIO('vision', spec, wideOutput), { message: /dim 1 differs/ });
});

t.test(
  'pack.json consistency: output width = embeddingDim, kind = modality, text length = contextLength',
  async (t) => {
    t.doesNotThrow(() => checkSpecConsistency('vision', spec, 1024));
    t.throws(() => checkSpecConsistency('vision', spec, 768), {
      code: 'PACK_INVALID',
      message: /expected \[batch, 768\]/,
    });
    t.throws(() => checkSpecConsistency('thermal', spec, 1024), {
      code: 'PACK_INVALID',
      message: /preprocess.kind 'vision'; expected 'thermal'/,
    });
    const text: ModalitySpec = {
      ...spec,
      input: { name: 'input', shape: ['batch', 76], dtype: 'int64' },
      preprocess: {
        kind: 'text',
        tokenizer: 'words',
        vocab: 'vocab.json',
        contextLength: 77,
        sot: 1,
        eot: 2,
        pad: 0,
      },
    };
    t.throws(() => checkSpecConsistency('text', text, 1024), {
      code: 'PACK_INVALID',
      message: /contextLength 77/,
    });
  },
);
