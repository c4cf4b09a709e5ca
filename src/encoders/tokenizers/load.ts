/** Tokenizer kind (pack.json text preprocess.tokenizer) → loader: a table, not an if-chain (style.md §12). */
import type { TextParams } from '../../../models/manifest.js';
import { ClipBpeTokenizer } from './clip-bpe.js';
import type { Tokenizer } from './types.js';
import { WordsTokenizer } from './words.js';

type TokenizerLoader = (vocabFile: string, params: TextParams) => Promise<Tokenizer>;

const LOADERS: Readonly<Record<TextParams['tokenizer'], TokenizerLoader>> = {
  /** The demo pack's closed word list (words.ts). */
  words: (file, params) => WordsTokenizer.load(file, params),
  /** ImageBind's / OpenAI CLIP's / OpenCLIP's byte-level BPE (clip-bpe.ts). */
  'clip-bpe': (file, params) => ClipBpeTokenizer.load(file, params),
};

export async function loadTokenizer(vocabFile: string, params: TextParams): Promise<Tokenizer> {
  return LOADERS[params.tokenizer](vocabFile, params);
}
