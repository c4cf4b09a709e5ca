/** bench/keys.ts: benches' JSON → the stable keys of bench/results.json. */
import t from 'tap';
import { asStat, STABLE_KEYS, stableKeys } from '../../bench/keys.js';

const s = (median: number, min = median, max = median, runs = 3) => ({ median, min, max, runs });

t.test('asStat accepts Stats and finite numbers only', async (t) => {
  t.same(asStat(s(2, 1, 3)), s(2, 1, 3));
  t.same(asStat(0.85), { median: 0.85, min: 0.85, max: 0.85, runs: 1 });
  t.equal(asStat(Number.NaN), null);
  t.equal(asStat({ median: 1, min: 1 }), null);
  t.equal(asStat('1'), null);
  t.equal(asStat(null), null);
});

t.test('every key the issue lists is there', async (t) => {
  for (const k of [
    'pipeline_vs_raw_throughput',
    'pipeline_vs_transformersjs_throughput',
    'int8_vs_fp32_speed',
    'int8_vs_fp32_cosine',
    'batched_vs_unbatched_throughput',
    'gating_encoder_calls_saved',
    'latency_non_inference_p99_ms',
    'rss_demo_mb',
    'event_loop_delay_p99_ms',
  ])
    t.ok(k in STABLE_KEYS, k);
});

t.test('the first source that has a figure wins; the others are fallbacks', async (t) => {
  const both = stableKeys({
    pipeline: { pipelineOverRaw: s(0.9, 0.8, 0.95) },
    scheduler: { throughput: { pipelineOverRaw: s(0.97) }, gating: { saved: 0.85 } },
  });
  t.same(both.pipeline_vs_raw_throughput, { ...s(0.9, 0.8, 0.95), source: 'pipeline.pipelineOverRaw' });
  t.same(both.gating_encoder_calls_saved, { ...s(0.85, 0.85, 0.85, 1), source: 'scheduler.gating.saved' });
  const fallback = stableKeys({ scheduler: { throughput: { pipelineOverRaw: s(0.97) } } });
  t.equal(fallback.pipeline_vs_raw_throughput?.source, 'scheduler.throughput.pipelineOverRaw');
});

t.test('a missing bench or a changed JSON leaves the key null', async (t) => {
  const keys = stableKeys({ pipeline: { pipelineOverRaw: 'fast' } });
  t.equal(keys.pipeline_vs_raw_throughput, null);
  t.equal(keys.rss_demo_mb, null);
  t.same(Object.keys(keys).sort(), Object.keys(STABLE_KEYS).sort());
});
