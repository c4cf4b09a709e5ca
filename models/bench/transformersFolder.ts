/**
 * Lays out a bench pack's vision and text encoders as a local transformers.js model folder for a
 * CLIP-style zero-shot-image-classification pipeline (bench/transformersjs.ts, issue #12), what
 * @huggingface/transformers 4 loads offline (env.allowRemoteModels = false):
 *
 *   config.json               model_type "clip" → CLIPModel (AutoModel) and CLIPTokenizer
 *   preprocessor_config.json  CLIPImageProcessor: shortest edge 224 (bicubic), centre crop 224,
 *                             ×1/255, the pack's mean/std — ImageBind's vision transform
 *   tokenizer.json            the pack's words vocabulary as a WordPiece model (whole words only:
 *                             tokenizers 0.2 has no WordLevel model), lower-cased, split on
 *                             non-letters as bindsight's words tokenizer, <sot> … <eot> around it
 *   tokenizer_config.json     pad token = the pack's pad id, model_max_length = the context
 *   onnx/model.onnx, onnx/vision_model.onnx, onnx/text_model.onnx (fp32) and
 *   onnx/*_quantized.onnx (the int8 pack's, loaded with dtype 'q8'): clipGraphs.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest } from '../../src/encoders/manifest-file.js';
import { BindsightError } from '../../src/errors.js';
import type { PackManifest, TextParams } from '../manifest.js';
import { encodeModel, mergeClip, padTextInput, renameIO } from './clipGraphs.js';

export const SOT_TOKEN = '<|startoftext|>';
export const EOT_TOKEN = '<|endoftext|>';
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';

function textParams(m: PackManifest): TextParams {
  const p = m.modalities.text?.preprocess;
  if (!m.modalities.vision || p?.kind !== 'text' || p.tokenizer !== 'words') {
    throw new BindsightError(
      'PACK_INVALID',
      `pack '${m.name}' needs a vision encoder and a words-tokenizer text encoder for a transformers.js CLIP folder`,
      { pack: m.name },
    );
  }
  return p;
}

/** tokenizer.json (Hugging Face tokenizers format) equivalent to bindsight's words tokenizer. */
export function tokenizerJson(vocab: Record<string, number>, p: TextParams): object {
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const unk = Math.max(p.eot, ...Object.values(vocab)) + 1;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      special(p.pad, PAD_TOKEN),
      special(p.sot, SOT_TOKEN),
      special(p.eot, EOT_TOKEN),
      special(unk, UNK_TOKEN),
    ],
    normalizer: { type: 'Lowercase' },
    // bindsight words.ts: split on /[^\p{L}]+/u, drop the separators.
    pre_tokenizer: { type: 'Split', pattern: { Regex: '[^\\p{L}]+' }, behavior: 'Removed', invert: false },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: SOT_TOKEN, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: EOT_TOKEN, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: SOT_TOKEN, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: EOT_TOKEN, type_id: 0 } },
      ],
      special_tokens: {
        [SOT_TOKEN]: { id: SOT_TOKEN, ids: [p.sot], tokens: [SOT_TOKEN] },
        [EOT_TOKEN]: { id: EOT_TOKEN, ids: [p.eot], tokens: [EOT_TOKEN] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: UNK_TOKEN,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: { ...vocab, [PAD_TOKEN]: p.pad, [SOT_TOKEN]: p.sot, [EOT_TOKEN]: p.eot, [UNK_TOKEN]: unk },
    },
  };
}

function configs(m: PackManifest, p: TextParams) {
  const v = m.modalities.vision?.preprocess;
  if (v?.kind !== 'vision')
    throw new BindsightError('PACK_INVALID', `pack '${m.name}' has no vision preprocess`, {});
  return {
    'config.json': {
      model_type: 'clip',
      architectures: ['CLIPModel'],
      projection_dim: m.embeddingDim,
      logit_scale_init_value: Math.log(m.logitScale),
      text_config: { model_type: 'clip_text_model', max_position_embeddings: p.contextLength },
      vision_config: { model_type: 'clip_vision_model', image_size: v.size },
    },
    'preprocessor_config.json': {
      image_processor_type: 'CLIPImageProcessor',
      do_convert_rgb: true,
      do_resize: true,
      size: { shortest_edge: v.size },
      resample: 3, // PIL bicubic, ImageBind's Resize(224, BICUBIC)
      do_center_crop: true,
      crop_size: { height: v.size, width: v.size },
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: v.mean,
      image_std: v.std,
    },
    'tokenizer_config.json': {
      tokenizer_class: 'CLIPTokenizer',
      model_max_length: p.contextLength,
      bos_token: SOT_TOKEN,
      eos_token: EOT_TOKEN,
      pad_token: PAD_TOKEN,
      unk_token: UNK_TOKEN,
      do_lower_case: true,
      clean_up_tokenization_spaces: false,
    },
  };
}

/** The three ONNX files of one precision, from the pack in `packDir`. */
async function onnxFiles(
  packDir: string,
  m: PackManifest,
  p: TextParams,
): Promise<Record<string, Uint8Array>> {
  const visionBytes = await readFile(join(packDir, m.modalities.vision!.file));
  const textSpec = m.modalities.text!;
  const textBytes = await readFile(join(packDir, textSpec.file));
  const make = () => {
    const vision = renameIO(visionBytes, 'vision/', 'pixel_values', 'image_embeds');
    const text = renameIO(textBytes, 'text/', 'text/ids', 'text_embeds');
    padTextInput(text, 'text/ids', 'input_ids', p.contextLength, p.pad);
    return { vision, text };
  };
  const a = make();
  const b = make();
  return {
    vision_model: encodeModel(a.vision),
    text_model: encodeModel(a.text),
    model: encodeModel(mergeClip(b.vision, b.text, m.logitScale)),
  };
}

export interface ClipFolder {
  dir: string;
  /** Bytes of each ONNX file written, by file name under onnx/. */
  files: Record<string, number>;
}

/**
 * Writes the transformers.js folder `outDir` from the fp32 pack `fp32Dir` and, when given, its
 * int8 twin `int8Dir` (as the `_quantized` files that dtype 'q8' selects).
 */
export async function writeClipFolder(
  fp32Dir: string,
  outDir: string,
  int8Dir?: string,
): Promise<ClipFolder> {
  const m = await readManifest(fp32Dir);
  const p = textParams(m);
  await mkdir(join(outDir, 'onnx'), { recursive: true });
  for (const [name, json] of Object.entries(configs(m, p)))
    await writeFile(join(outDir, name), `${JSON.stringify(json, null, 2)}\n`);
  const vocab = JSON.parse(await readFile(join(fp32Dir, p.vocab), 'utf8')) as Record<string, number>;
  await writeFile(join(outDir, 'tokenizer.json'), `${JSON.stringify(tokenizerJson(vocab, p))}\n`);
  const files: Record<string, number> = {};
  const sets: Array<[string, string]> = [[fp32Dir, '']];
  if (int8Dir) sets.push([int8Dir, '_quantized']);
  for (const [dir, suffix] of sets) {
    const manifest = dir === fp32Dir ? m : await readManifest(dir);
    for (const [name, bytes] of Object.entries(await onnxFiles(dir, manifest, p))) {
      const file = `${name}${suffix}.onnx`;
      await writeFile(join(outDir, 'onnx', file), bytes);
      files[file] = bytes.length;
    }
  }
  return { dir: outDir, files };
}
