/** Embedding health: NaN/Inf, norms, collapse, recovery; one log line per state change. */
import t from 'tap';
import { EmbeddingHealth, type EmbeddingHealthOptions, inputDistance } from '../../src/encoders/health.js';
import { captureLogs } from '../helpers/logs.js';

const DIM = 8;

function monitor(extra: Partial<EmbeddingHealthOptions> = {}) {
  const { lines, logger } = captureLogs();
  const h = new EmbeddingHealth({
    modality: 'vision',
    file: 'vision.onnx',
    outputScale: 1,
    spec: { collapse: true },
    logger,
    ...extra,
  });
  return { h, lines };
}

/** A raw row: unit vector along axis `k`, times `scale`. */
function row(k: number, scale = 1): Float32Array {
  const r = new Float32Array(DIM);
  r[k % DIM] = scale;
  return r;
}

function batch(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * DIM);
  rows.forEach((r, i) => {
    out.set(r, i * DIM);
  });
  return out;
}

/** A float input: one-hot at k mod 16; consecutive k are clearly different (distance √2). */
function input(k: number): Float32Array {
  const x = new Float32Array(16);
  x[k % 16] = 1;
  return x;
}

t.test('healthy rows keep ok and count', async (t) => {
  const { h, lines } = monitor();
  const r = h.observe([input(1), input(2)], batch([row(0), row(1)]), DIM);
  t.equal(r.nonFinite, 0);
  const s = h.snapshot();
  t.equal(s.state, 'ok');
  t.equal(s.counters.rows, 2);
  t.equal(s.counters.batches, 1);
  t.equal(s.counters.distinct_pairs, 1);
  t.equal(s.lastNorm, 1);
  t.same(s.normRange, [0.05, 1.05]);
  t.equal(lines.length, 0, 'nothing logged while healthy');
});

t.test('NaN/Inf rows are counted, reported and degrade the modality once', async (t) => {
  const { h, lines } = monitor();
  const bad = row(0);
  bad[3] = Number.NaN;
  const r = h.observe(
    [input(1), input(2), input(3)],
    batch([row(0), bad, row(2, Number.POSITIVE_INFINITY)]),
    DIM,
  );
  t.equal(r.nonFinite, 2);
  const s = h.snapshot();
  t.equal(s.state, 'degraded');
  t.match(s.reason, /vision \(vision\.onnx\): output row 3 of 3 holds NaN or Inf/);
  t.equal(s.counters.non_finite_rows, 2);
  t.equal(
    lines.filter((l) => l.msg === 'embedding health degraded').length,
    1,
    'one warning per state change',
  );
  t.equal(lines[0].level, 40);
});

t.test('a norm far from outputScale degrades, naming the norm, the range and the fix', async (t) => {
  const { h } = monitor({ outputScale: 20 });
  h.observe([input(1)], batch([row(0, 19)]), DIM);
  t.equal(h.snapshot().state, 'ok', 'a multi-clip mean a little under the scale is fine');
  h.observe([input(2)], batch([row(1, 0)]), DIM);
  const s = h.snapshot();
  t.equal(s.state, 'degraded');
  t.match(
    s.reason,
    /output norm 0\.000e\+0 is outside \[1\.0000, 21\.0000\] \(pack\.json outputScale 20; set health\.normRange/,
  );
  t.equal(s.counters.norm_out_of_range_rows, 1);
  const custom = monitor({ spec: { collapse: true, normRange: [10, 40] } }).h;
  custom.observe([input(1)], batch([row(0, 30)]), DIM);
  t.equal(custom.snapshot().state, 'ok', 'health.normRange overrides the default');
});

t.test(
  '16 near-identical embeddings of clearly different inputs in a row mean a collapsed encoder',
  async (t) => {
    const { h } = monitor();
    const inputs = Array.from({ length: 16 }, (_, i) => input(i + 1));
    h.observe(inputs, batch(inputs.map(() => row(0))), DIM);
    t.equal(h.snapshot().state, 'ok', '15 pairs are not yet a collapse');
    h.observe([input(40)], batch([row(0)]), DIM);
    const s = h.snapshot();
    t.equal(s.state, 'degraded');
    t.match(
      s.reason,
      /16 consecutive pairs of clearly different inputs .* near-identical embeddings .*collapsed/,
    );
    t.equal(s.counters.collapsed_pairs, 16);
  },
);

t.test('the same input twice, or a pack that turns the watch off, is not a collapse', async (t) => {
  const same = monitor().h;
  const inputs = Array.from({ length: 40 }, () => input(1));
  same.observe(inputs, batch(inputs.map(() => row(0))), DIM);
  t.equal(same.snapshot().state, 'ok');
  t.equal(same.snapshot().counters.distinct_pairs, 0);
  const off = monitor({ spec: { collapse: false } }).h;
  const distinct = Array.from({ length: 40 }, (_, i) => input(i));
  off.observe(distinct, batch(distinct.map(() => row(0))), DIM);
  t.equal(off.snapshot().state, 'ok');
});

t.test('recovers after 64 healthy rows in a row, logging once; onChange sees both changes', async (t) => {
  const { h, lines } = monitor();
  const seen: string[] = [];
  const off = h.onChange((s) => seen.push(s.state));
  h.observe([input(1)], batch([row(0, 0)]), DIM);
  const good = Array.from({ length: 63 }, (_, i) => input(i + 2));
  h.observe(good, batch(good.map((_, i) => row(i))), DIM);
  t.equal(h.snapshot().state, 'degraded', '63 healthy rows are not enough');
  h.observe([input(100)], batch([row(5)]), DIM);
  t.equal(h.snapshot().state, 'ok');
  t.match(h.snapshot().reason, /64 healthy rows in a row/);
  t.same(seen, ['degraded', 'ok']);
  t.same(
    lines.map((l) => l.msg),
    ['embedding health degraded', 'embedding health recovered'],
  );
  off();
});

t.test('inputDistance: relative L2 for floats, any difference for token ids', async (t) => {
  t.equal(inputDistance(Float32Array.of(1, 0), Float32Array.of(1, 0)), 0);
  t.equal(inputDistance(Float32Array.of(1, 0), Float32Array.of(0, 1)), Math.SQRT2);
  t.equal(inputDistance(BigInt64Array.of(1n, 2n), BigInt64Array.of(1n, 3n)), 1);
  t.equal(inputDistance(BigInt64Array.of(1n, 2n), BigInt64Array.of(1n, 2n)), 0);
  t.equal(inputDistance(Float32Array.of(1), Float32Array.of(1, 2)), 1);
});
