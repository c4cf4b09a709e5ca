/** The live page's memory: bounded score history that never hides a spike, rates, events. */
import t from 'tap';
import type { Frame } from '../../drivers/types.js';
import { LiveState } from '../../src/observe/live.js';
import type { BindsightEvent } from '../../src/publish/event.js';

const frame = (sensor: string): Frame => ({
  kind: 'frame',
  sensor,
  modality: 'thermal',
  t: 0n,
  width: 1,
  height: 1,
  format: 'celsius_f32',
  data: new Float32Array(1),
});

t.test('score history: one point per bucket (its highest), trimmed to the window', async (t) => {
  let now = 1_000_000;
  const live = new LiveState({ historyMs: 10_000, bucketMs: 250, now: () => now });
  live.tap.onScore?.('r', 0.2, 0.2, 0n);
  now += 100;
  live.tap.onScore?.('r', 0.9, 0.9, 0n);
  now += 100;
  live.tap.onScore?.('r', 0.1, 0.1, 0n);
  t.same(live.scoreHistory('r'), [[1_000_000, 0.9, 0.9]], 'the spike survives thinning');
  now += 300;
  live.tap.onScore?.('r', 0.5, 0.5, 0n);
  t.same(live.scoreHistory('r', 1_000_000), [[1_000_500, 0.5, 0.5]], 'since: only newer points');
  now += 20_000;
  live.tap.onScore?.('r', 0.3, 0.3, 0n);
  t.same(live.scoreHistory('r'), [[1_020_500, 0.3, 0.3]], 'older than the window: gone');
});

t.test('sample rates, latest samples and embeddings, bounded events and their counts', async (t) => {
  let now = 0;
  const live = new LiveState({ maxEvents: 2, rateWindowMs: 10_000, now: () => now });
  t.equal(live.sampleRate('cam0'), 0);
  for (let i = 0; i < 11; i++) {
    live.onSample(frame('cam0'));
    now += 500;
  }
  t.equal(live.sampleRate('cam0'), 2, '2 samples per second');
  t.equal(live.latestSample('cam0')?.sensor, 'cam0');
  live.tap.onEmbedding?.('cam0', 'vision', 5n, new Float32Array([1, 0]));
  t.match(live.latestEmbedding('cam0'), { modality: 'vision', t: 5n, at: now });
  for (const [rule, type] of [
    ['a', 'start'],
    ['a', 'end'],
    ['b', 'start'],
  ] as const)
    live.onEvent({ rule, type, id: `${rule}-${type}` } as BindsightEvent);
  t.same(
    live.recentEvents().map((e) => e.id),
    ['a-end', 'b-start'],
    'the most recent 2',
  );
  t.same(Object.fromEntries([...live.eventCounts()].map(([r, m]) => [r, Object.fromEntries(m)])), {
    a: { start: 1, end: 1 },
    b: { start: 1 },
  });
});
