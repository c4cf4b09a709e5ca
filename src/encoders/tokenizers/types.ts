/**
 * What the pack loader needs from a text tokenizer. One implementation per pack.json
 * `preprocess.tokenizer` kind: 'words' (the demo pack, words.ts) and 'clip-bpe'
 * (ImageBind/OpenAI CLIP/OpenCLIP, clip-bpe.ts, imagebind-contract.md §1.3).
 */
import type { TextParams } from '../../../models/manifest.js';

export interface Tokenizer {
  readonly kind: TextParams['tokenizer'];
  /** Length of every encoded sequence (77 for ImageBind). */
  readonly contextLength: number;
  /** Token ids [contextLength]: sot, ids…, eot, then pad; long texts are cut keeping eot. */
  encode(text: string): BigInt64Array;
  /** Content tokens encode() emits for `text` before truncation (0: nothing would reach the model). */
  tokenCount(text: string): number;
  /** Words of `text` the tokenizer cannot represent, in order of first appearance, without repeats. */
  unknownWords(text: string): string[];
  /**
   * The closed vocabulary a prompt must draw from (for "known words are: …" messages), or
   * null when every text is representable (byte-level BPE).
   */
  knownWords(): readonly string[] | null;
}
