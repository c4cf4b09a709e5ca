/**
 * The prompt embedder the agent and `bindsight calibrate` use: texts through the pack's
 * tokenizer and text encoder, example files through src/preprocess's file loading and the pack's
 * encoder for that modality.
 *
 * preprocessFile applies ImageBind's standard preprocessing (models/manifest.ts
 * IMAGEBIND_PREPROCESS), which the demo pack and ImageBind packs use; a pack whose encoder input
 * differs in shape is refused for example files, naming both shapes.
 */
import type { SensorModality } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import type { LoadedPack } from '../encoders/pack.js';
import { BindsightError } from '../errors.js';
import { preprocessFile } from '../preprocess/files.js';
import { preprocessedShape } from '../preprocess/index.js';
import type { PromptEmbedder } from './compile.js';

export function packPromptEmbedder(pack: LoadedPack): PromptEmbedder {
  const tokenizer = pack.tokenizer;
  return {
    packName: pack.manifest.name,
    embedTexts: (texts) => pack.embedTexts(texts),
    unknownWords: (text) => tokenizer?.unknownWords(text) ?? [],
    knownWords: () => tokenizer?.knownWords() ?? null,
    embedFile: async (modality, path) => {
      const spec = pack.manifest.modalities[modality];
      if (!spec) {
        const has = Object.keys(pack.manifest.modalities).join(', ');
        throw new BindsightError(
          'PROMPT_INVALID',
          `model pack "${pack.manifest.name}" has no ${modality} encoder (it has ${has})`,
          { modality },
        );
      }
      checkShape(pack.manifest.name, modality, preprocessedShape(spec.preprocess));
      // The agent loads the encoders its sensors need; an example of another modality opens its own.
      const encoder = await pack.encoder(modality);
      const [embedding] = await encoder.embed([await preprocessFile(modality, path)]);
      return embedding;
    },
  };
}

function checkShape(pack: string, modality: SensorModality, shape: number[]): void {
  const standard = preprocessedShape(IMAGEBIND_PREPROCESS[modality]);
  if (shape.join('×') !== standard.join('×')) {
    throw new BindsightError(
      'PROMPT_INVALID',
      `example files are preprocessed to ImageBind's ${modality} shape ${standard.join('×')}, but model pack "${pack}" expects ${shape.join('×')}`,
      { modality, shape, standard },
    );
  }
}
