/**
 * Gating and ordering through the scheduler (decisions in src/scheduler/batch.ts), with the fake
 * encoder of fakeEncoder.ts.
 */
import t from 'tap';
import type { Sample } from '../../drivers/types.js';
import { drain, setup, tick, ticks, win } from './fakeEncoder.js';

t.test('gating: a sample that barely changed reuses the last embedding; a change is encoded', async (t) => {
  const s = setup({ maxBatch: 1, maxWaitMs: 0, gate: { imu: 0.5 } });
  const values = [1, 1.25, 1.375, 1.625, 5, 5.125, 1];
  for (const [i, v] of values.entries()) {
    s.scheduler.submit(win('a', i, 'imu', v));
    await ticks();
    s.release();
    await ticks();
  }
  await drain(s);
  t.same(
    s.runs.map((r) => r.values[0]),
    [1, 1.625, 5, 1],
    'compared with the last encoded, not the previous',
  );
  t.same(
    s.out.map((d) => d.info.gated),
    [false, true, true, false, false, true, false],
  );
  t.equal(s.out[1].embedding, s.out[0].embedding, 'the very embedding is reused');
  t.same(s.times(), [0, 1, 2, 3, 4, 5, 6], 'every sample still reaches the rules, in order');
  const st = s.scheduler.stats();
  t.equal(st.modalities.imu.gated, 3);
  t.equal(st.modalities.imu.encoded, 4);
  t.equal(st.sensors.a.gated, 3);
  t.equal(st.sensors.a.lastChange, 4, 'last change measured against 5');
});

t.test('gating inside one batch, per sensor; threshold 0 and other modalities are not gated', async (t) => {
  const s = setup({ maxBatch: 8, maxWaitMs: 60_000, gate: { imu: 0.5, audio: 0 } });
  for (let i = 0; i < 4; i++) s.scheduler.submit(win('a', i, 'imu', 7));
  for (let i = 0; i < 4; i++) s.scheduler.submit(win('b', 10 + i, 'imu', 7));
  await ticks();
  t.same(s.runs[0].values, [7, 7], 'one input per sensor; the rest reuse it');
  for (let i = 0; i < 8; i++) s.scheduler.submit(win('m', 20 + i, 'audio', 3));
  await drain(s);
  t.same(
    s.out.filter((d) => d.sensor === 'a').map((d) => d.info.gated),
    [false, true, true, true],
  );
  t.equal(s.runs.find((r) => r.modality === 'audio')?.values.length, 8, 'gate 0 = off');
});

t.test(
  'a gated sample whose reference failed to encode is dropped in that batch, encoded in the next',
  async (t) => {
    const s = setup({ maxBatch: 2, maxWaitMs: 60_000, gate: { imu: 0.5 } });
    s.scheduler.submit(win('a', 0, 'imu', 1));
    s.scheduler.submit(win('a', 1, 'imu', 1));
    s.scheduler.submit(win('a', 2, 'imu', 1));
    s.scheduler.submit(win('a', 3, 'imu', 1));
    await ticks();
    t.same(s.runs[0].values, [1], 'sample 1 gated on sample 0; batch 2 (2, 3) gated on 0 too');
    s.fail('device lost');
    await ticks();
    t.same(s.drops, [
      ['a', 0, 'inference_failed'],
      ['a', 1, 'inference_failed'],
    ]);
    await drain(s);
    t.same(s.runs[1].values, [1], 'batch 2 is encoded after all (one input, the other reuses it)');
    t.same(s.times(), [2, 3]);
  },
);

t.test(
  'every sample is delivered whole and in capture order per sensor, or counted as dropped',
  async (t) => {
    const s = setup({ maxBatch: 3, maxWaitMs: 1, queueLength: 4, gate: { imu: 0.3 } });
    const submitted = new Map<string, Sample>();
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const next = new Map<string, number>();
    for (let step = 0; step < 120; step++) {
      const sensor = ['a', 'b', 'c'][Math.floor(rand() * 3)];
      const i = (next.get(sensor) ?? 0) + 1;
      next.set(sensor, i);
      const sample = win(sensor, i, 'imu', Math.floor(rand() * 4) * 0.2);
      submitted.set(`${sensor}:${i}`, sample);
      s.scheduler.submit(sample);
      if (rand() < 0.3) s.release();
      if (rand() < 0.3) await tick();
    }
    await drain(s);
    for (const sensor of ['a', 'b', 'c']) {
      const got = s.out.filter((d) => d.sensor === sensor).map((d) => d.t);
      t.same(
        got,
        [...got].sort((x, y) => x - y),
        `${sensor}: in order`,
      );
      const dropped = s.drops.filter((d) => d[0] === sensor).length;
      t.equal(got.length + dropped, next.get(sensor), `${sensor}: delivered + dropped = submitted`);
    }
  },
);
