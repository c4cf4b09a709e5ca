/** Tokenizer kind (pack.json text preprocess.tokenizer) → loader: a table, not an if-chain (style.md §12). */
import type { TextParams } from '../../../models/manifest.js';
import { BindsightError } from '../../errors.js';
import type { Tokenizer } from './types.js';
import { WordsTokenizer } from './words.js';

type TokenizerLoader = (vocabFile: string, params: TextParams) => Promise<Tokenizer>;

const LOADERS: Readonly<Record<TextParams['tokenizer'], TokenizerLoader | null>> = {
  words: (file, params) => WordsTokenizer.load(file, params),
  /** ImageBind's CLIP BPE (imagebind-contract.md §1.3) arrives with the real packs. */
  'clip-bpe': null,
};

export async function loadTokenizer(vocabFile: string, params: TextParams): Promise<Tokenizer> {
  const loader = LOADERS[params.tokenizer];
  if (loader === null) {
    const ready = Object.entries(LOADERS)
      .filter(([, l]) => l !== null)
      .map(([k]) => k);
    throw new BindsightError(
      'PACK_INVALID',
      `tokenizer '${params.tokenizer}' (for ${vocabFile}) is not implemented in this bindsight; available: ${ready.join(', ')}`,
      { tokenizer: params.tokenizer },
    );
  }
  return loader(vocabFile, params);
}
