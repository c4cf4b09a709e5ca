/**
 * The texts the benchmarks score against, in one place so a test can check that the bench pack's
 * vocabulary (models/bench/benchPack.ts BENCH_WORDS) knows every word of them.
 */

/** Camera rules of bench/pipeline.ts and bench/resources.ts. */
export const CAMERA_PROMPTS = ['a bright room'];
export const CAMERA_CONTRAST = ['a dark room', 'a photo of a kitchen'];

/** The depth camera's rule that bench/resources.ts adds to the demo config. */
export const DEPTH_PROMPTS = ['an object close'];
export const DEPTH_CONTRAST = ['an empty room'];

/** bench/transformersjs.ts: the labels and transformers.js's default hypothesis template. */
export const LABELS = ['a dog', 'a cat', 'a bright room', 'a dark room'];
export const TEMPLATE = 'This is a photo of {}';
export const LABEL_TEXTS = LABELS.map((l) => TEMPLATE.replace('{}', l));

/** bench/int8.ts: text inputs of the int8 ↔ fp32 comparison. */
export const INT8_PROMPTS = [
  'a person',
  'an empty room',
  'someone fell',
  'a siren',
  'a bright room',
  'a dark room',
  'glass breaking',
  'a dog near the door',
];

export const ALL_PROMPTS = [
  ...CAMERA_PROMPTS,
  ...CAMERA_CONTRAST,
  ...DEPTH_PROMPTS,
  ...DEPTH_CONTRAST,
  ...LABEL_TEXTS,
  ...INT8_PROMPTS,
];
