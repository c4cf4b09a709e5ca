/**
 * The inferno colour map for thermal and depth frames on the live page: perceptually uniform
 * and readable in greyscale. Anchors are rows 0, 16, …, 240 and 255 of matplotlib's 256-entry
 * `_inferno_data` (lib/matplotlib/_cm_listed.py; inferno by Nathaniel J. Smith, Stéfan van der
 * Walt and Eric Firing, CC0), scaled to 0–255; in between they are interpolated linearly, within
 * about 1/255 of the full table.
 */

/** [position 0–1, r, g, b] */
const ANCHORS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0.001462, 0.000466, 0.013866],
  [16, 0.042253, 0.028139, 0.141141],
  [32, 0.129285, 0.047293, 0.290788],
  [48, 0.238273, 0.036621, 0.396353],
  [64, 0.3415, 0.062325, 0.429425],
  [80, 0.441207, 0.099338, 0.431594],
  [96, 0.54092, 0.134729, 0.415123],
  [112, 0.640135, 0.171438, 0.381065],
  [128, 0.735683, 0.215906, 0.330245],
  [144, 0.822386, 0.275197, 0.266085],
  [160, 0.894305, 0.353399, 0.193584],
  [176, 0.946965, 0.449191, 0.115272],
  [192, 0.978422, 0.557937, 0.034931],
  [208, 0.987874, 0.675267, 0.065257],
  [224, 0.974638, 0.797692, 0.206332],
  [240, 0.947594, 0.917399, 0.410665],
  [255, 0.988362, 0.998364, 0.644924],
].map(([i, r, g, b]) => [i / 255, r, g, b] as const);

function buildLut(): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  let k = 0;
  for (let i = 0; i < 256; i++) {
    const x = i / 255;
    while (k < ANCHORS.length - 2 && ANCHORS[k + 1][0] < x) k++;
    const [x0, ...c0] = ANCHORS[k];
    const [x1, ...c1] = ANCHORS[k + 1];
    const f = Math.min(1, Math.max(0, (x - x0) / (x1 - x0)));
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(255 * (c0[c] + f * (c1[c] - c0[c])));
  }
  return lut;
}

/** 256 RGB triples: entry i is inferno(i / 255). */
export const INFERNO: Uint8Array = buildLut();

export interface ColourRange {
  min: number;
  max: number;
}

/** The finite values' range, skipping `invalid` values (e.g. 0 = no depth); undefined when none. */
export function valueRange(
  values: ArrayLike<number>,
  invalid?: (v: number) => boolean,
): ColourRange | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || invalid?.(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : undefined;
}

/**
 * Maps values to RGB24 through inferno, `range.min` → dark, `range.max` → bright (`invert`
 * swaps them: near depth bright). Invalid and non-finite values are black.
 */
export function colourise(
  values: ArrayLike<number>,
  range: ColourRange | undefined,
  opts: { invalid?: (v: number) => boolean; invert?: boolean } = {},
): Buffer {
  const out = Buffer.alloc(values.length * 3);
  if (!range) return out;
  const span = range.max - range.min || 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || opts.invalid?.(v)) continue;
    let u = Math.min(1, Math.max(0, (v - range.min) / span));
    if (opts.invert) u = 1 - u;
    const j = Math.round(u * 255) * 3;
    out[i * 3] = INFERNO[j];
    out[i * 3 + 1] = INFERNO[j + 1];
    out[i * 3 + 2] = INFERNO[j + 2];
  }
  return out;
}
