/**
 * Reference maths for tests, independent of the code under test.
 * erf: Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).
 */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const k = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * k - 1.453152027) * k + 1.421413741) * k - 0.284496736) * k + 0.254829592) *
      k *
      Math.exp(-a * a);
  return s * y;
}
