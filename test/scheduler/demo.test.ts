/**
 * The scheduler with onnxruntime on the demo pack, preprocessing on worker threads, over the
 * demo recordings (config/demo/): the same rule transitions with the default gates as with
 * gating off — no event missed — while fewer encoder inputs run; the frame where a person
 * enters is encoded, not gated.
 */
import { join } from 'node:path';
import t from 'tap';
import { demoRuleMachine, packBackend, replayDemo } from '../../bench/demoScoring.js';
import type { Sample, SensorModality } from '../../drivers/types.js';
import { buildDemoPack } from '../../models/demo/build.js';
import { type LoadedPack, loadPack } from '../../src/encoders/pack.js';
import { PreprocessPool } from '../../src/preprocess/workerPool.js';
import { GATE_DEFAULTS } from '../../src/scheduler/config.js';
import { type EmbeddingInfo, Scheduler } from '../../src/scheduler/scheduler.js';

interface Stream {
  id: string;
  modality: SensorModality;
  files: string[];
  extra: Record<string, unknown>;
}

const STREAMS: Stream[] = [
  {
    id: 'thermal0',
    modality: 'thermal',
    files: ['thermal_empty.csv', 'thermal_person.csv', 'thermal_empty.csv'],
    extra: { rate: 4 },
  },
  { id: 'imu0', modality: 'imu', files: ['imu_walk.csv', 'imu_fall.csv', 'imu_still.csv'], extra: {} },
  {
    id: 'mic0',
    modality: 'audio',
    files: ['audio_quiet.wav', 'audio_siren.wav', 'audio_quiet.wav'],
    extra: { window: 2 },
  },
  {
    id: 'cam0',
    modality: 'vision',
    files: ['dark', 'dark', 'dark', 'bright', 'bright', 'bright', 'dark', 'dark'].map(
      (n) => `vision_${n}.png`,
    ),
    extra: {},
  },
];

/** Every stream's samples with capture times from the recordings' own timing, interleaved by time. */
async function recordedSamples(): Promise<Array<Sample & { file: string }>> {
  const out: Array<Sample & { file: string }> = [];
  for (const s of STREAMS)
    for (const { sample, file } of await replayDemo(s.id, s.modality, s.files, s.extra))
      out.push({ ...sample, file });
  return out.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

async function play(pack: LoadedPack, pool: PreprocessPool, samples: Sample[], gate: Record<string, number>) {
  const index = new Map(samples.map((s, i) => [s, i]));
  const events: string[] = [];
  const infos = new Map<Sample, EmbeddingInfo>();
  const rules = await demoRuleMachine(pack);
  let inputs = 0;
  const drops: string[] = [];
  const scheduler = new Scheduler({
    maxBatch: 8,
    maxWaitMs: 5,
    queueLength: 1000,
    gate,
    backend: packBackend(pack, pool, (n) => {
      inputs += n;
    }),
    onEmbedding: (s, e, info) => {
      infos.set(s, info);
      rules(s.sensor, e, index.get(s)!, events);
    },
    onDrop: (s, reason, error) => drops.push(`${s.sensor} ${reason} ${error}`),
  });
  for (const s of samples) scheduler.submit(s);
  await scheduler.idle();
  return { events: events.sort(), infos, inputs, drops, stats: scheduler.stats() };
}

t.test('default gates: the same events as without gating, with fewer encoder inputs', async (t) => {
  const dir = t.testdir({});
  await buildDemoPack(join(dir, 'pack'));
  const pack = await loadPack(join(dir, 'pack'));
  t.teardown(() => pack.close());
  const pool = new PreprocessPool({ size: 2 });
  t.teardown(() => pool.close());
  const samples = await recordedSamples();

  const off = await play(pack, pool, samples, {});
  const on = await play(pack, pool, samples, GATE_DEFAULTS);
  t.same(off.drops, []);
  t.same(on.drops, []);
  t.equal(pool.stats().fallback, false, 'preprocessed on worker threads');
  for (const rule of ['person', 'fall', 'alarm', 'lights'])
    t.ok(
      off.events.some((e) => e.startsWith(`${rule} start`)),
      `${rule} starts (${off.events.join(', ')})`,
    );
  t.same(on.events, off.events, 'every event, at the same sample, with gating on');
  t.equal(off.inputs, samples.length, 'gating off: every sample is encoded');
  t.ok(on.inputs < samples.length / 2, `gating on: ${on.inputs} of ${samples.length} samples encoded`);
  for (const m of ['thermal', 'imu', 'audio', 'vision'])
    t.ok(on.stats.modalities[m].gated > 0, `${m}: ${on.stats.modalities[m].gated} gated`);

  const firstPerson = samples.find((s) => (s as Sample & { file: string }).file === 'thermal_person.csv')!;
  t.equal(on.infos.get(firstPerson)?.gated, false, 'the frame a person enters in is encoded');
  const firstBright = samples.find((s) => (s as Sample & { file: string }).file === 'vision_bright.png')!;
  t.equal(on.infos.get(firstBright)?.gated, false, 'the frame the lights go on in is encoded');
});
