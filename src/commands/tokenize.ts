/**
 * `bindsight tokenize --vocab FILE "text"…`: the token ids a CLIP BPE text encoder would get,
 * as JSON (one array per text, one line each): the model row (`[sot] + ids`, cut to
 * contextLength − 1, `eot`, then padding), or with --raw the bare BPE ids. --pack DIR uses the
 * pack's own tokenizer and settings instead.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { IMAGEBIND_TEXT, type TextParams } from '../../models/manifest.js';
import { readManifest } from '../encoders/manifest-file.js';
import { packPath } from '../encoders/pack-files.js';
import { ClipBpeTokenizer } from '../encoders/tokenizers/clip-bpe.js';
import { loadTokenizer } from '../encoders/tokenizers/load.js';
import type { Tokenizer } from '../encoders/tokenizers/types.js';
import { BindsightError } from '../errors.js';
import { nonNegativeInt } from './models.js';

interface TokenizeOptions {
  vocab?: string;
  pack?: string;
  contextLength: number;
  sot: number;
  eot: number;
  pad: number;
  raw?: boolean;
}

async function tokenizerFor(opts: TokenizeOptions): Promise<Tokenizer> {
  if ((opts.vocab === undefined) === (opts.pack === undefined)) {
    throw new BindsightError(
      'USAGE',
      'give exactly one of --vocab FILE (a CLIP merges file) or --pack DIR',
      {},
    );
  }
  if (opts.vocab !== undefined) {
    const params: TextParams = {
      ...IMAGEBIND_TEXT,
      vocab: opts.vocab,
      contextLength: opts.contextLength,
      sot: opts.sot,
      eot: opts.eot,
      pad: opts.pad,
    };
    return ClipBpeTokenizer.load(resolve(opts.vocab), params);
  }
  const dir = resolve(opts.pack ?? '.');
  const spec = (await readManifest(dir)).modalities.text;
  if (spec === undefined || spec.preprocess.kind !== 'text') {
    throw new BindsightError('PACK_INVALID', `pack at ${dir} has no text encoder, so it has no tokenizer`, {
      dir,
    });
  }
  return loadTokenizer(packPath(dir, spec.preprocess.vocab, 'text.preprocess.vocab'), spec.preprocess);
}

export function tokenizeCommand(program: Command): void {
  program
    .command('tokenize')
    .description('print the token ids of texts as JSON, as the CLIP BPE tokenizer of ImageBind gives them')
    .argument('<text...>', 'one or more texts (quote each)')
    .option(
      '--vocab <file>',
      "CLIP BPE merges file (bpe_simple_vocab_16e6.txt.gz, from the pack or ImageBind's package)",
    )
    .option('--pack <dir>', "use this pack's tokenizer and settings")
    .option(
      '--context-length <n>',
      'row length',
      nonNegativeInt('--context-length'),
      IMAGEBIND_TEXT.contextLength,
    )
    .option('--sot <id>', 'start marker id', nonNegativeInt('--sot'), IMAGEBIND_TEXT.sot)
    .option('--eot <id>', 'end marker id', nonNegativeInt('--eot'), IMAGEBIND_TEXT.eot)
    .option('--pad <id>', 'padding id', nonNegativeInt('--pad'), IMAGEBIND_TEXT.pad)
    .option('--raw', 'print the bare BPE ids (no markers, no padding, no truncation; --vocab only)')
    .addHelpText(
      'after',
      ['', 'Example:', '  bindsight tokenize --vocab bpe_simple_vocab_16e6.txt.gz "a photo of a cat"'].join(
        '\n',
      ),
    )
    .action(async (texts: string[], opts: TokenizeOptions) => {
      const tokenizer = await tokenizerFor(opts);
      const lines = texts.map((text) => {
        if (opts.raw) {
          if (!(tokenizer instanceof ClipBpeTokenizer))
            throw new BindsightError('USAGE', '--raw needs a CLIP BPE tokenizer', {});
          return JSON.stringify(tokenizer.encodeIds(text));
        }
        return JSON.stringify(Array.from(tokenizer.encode(text), Number));
      });
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
