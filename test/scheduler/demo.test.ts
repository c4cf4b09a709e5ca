/**
 * The scheduler with onnxruntime on the demo pack, preprocessing on worker threads, over the
 * demo recordings (config/demo/): the same rule transitions with the default gates as with
 * gating off — no event missed — while fewer encoder inputs run; the frame where a person
 * enters is encoded, not gated.
 */
import { join } from 'node:path';
import t from 'tap';
import { fileKind } from '../../drivers/replay/formats.js';
import { openTimeline } from '../../drivers/replay/sources.js';
import type { Sample, SensorModality } from '../../drivers/types.js';
import { buildDemoPack } from '../../models/demo/build.js';
import { replaySensorSchema } from '../../src/config/schema.js';
import { type LoadedPack, loadPack } from '../../src/encoders/pack.js';
import { PreprocessPool } from '../../src/preprocess/workerPool.js';
import { GATE_DEFAULTS } from '../../src/scheduler/config.js';
import { type EmbeddingInfo, Scheduler } from '../../src/scheduler/scheduler.js';
import { REPO } from '../helpers/cli.js';

const DEMO = join(REPO, 'config', 'demo');

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

const RULES = [
  { id: 'person', sensor: 'thermal0', prompts: ['a person'], contrast: ['an empty room'] },
  { id: 'fall', sensor: 'imu0', prompts: ['someone fell'], contrast: ['someone walking', 'lying still'] },
  { id: 'alarm', sensor: 'mic0', prompts: ['a siren'], contrast: ['a quiet room', 'noise'] },
  { id: 'lights', sensor: 'cam0', prompts: ['a bright room'], contrast: ['a dark room'] },
];

/** Every stream's samples with capture times from the recordings' own timing, interleaved by time. */
async function recordedSamples(): Promise<Array<Sample & { file: string }>> {
  const out: Array<Sample & { file: string }> = [];
  for (const s of STREAMS) {
    const cfg = replaySensorSchema.parse({
      id: s.id,
      driver: 'replay',
      modality: s.modality,
      files: s.files,
      ...s.extra,
    });
    let offsetMs = 0;
    for (const file of s.files) {
      const tl = await openTimeline({ path: join(DEMO, file), kind: fileKind(s.id, s.modality, file) }, cfg);
      for (const ts of tl.samples) {
        const t = BigInt(Math.round((1_700_000_000_000 + offsetMs + ts.atMs - ts.spanMs) * 1e6));
        out.push({ ...ts.build(t), file });
      }
      offsetMs += tl.durationMs;
    }
  }
  return out.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

/** README "Scoring": softmax over prompt and contrast cosines at the pack's logit scale; hysteresis 0.6 / 0.4. */
async function ruleMachine(pack: LoadedPack) {
  const rules = await Promise.all(
    RULES.map(async (r) => ({
      ...r,
      vectors: await pack.embedTexts([...r.prompts, ...r.contrast]),
      on: false,
    })),
  );
  const scale = pack.manifest.logitScale;
  return (sensor: string, embedding: Float32Array, index: number, out: string[]) => {
    for (const r of rules) {
      if (r.sensor !== sensor) continue;
      const logits = r.vectors.map((v) => scale * v.reduce((acc, x, i) => acc + x * embedding[i], 0));
      const top = Math.max(...logits);
      const exp = logits.map((l) => Math.exp(l - top));
      const score =
        exp.slice(0, r.prompts.length).reduce((a, b) => a + b, 0) / exp.reduce((a, b) => a + b, 0);
      if (!r.on && score >= 0.6) out.push(`${r.id} start @${index}`);
      if (r.on && score < 0.4) out.push(`${r.id} end @${index}`);
      if (!r.on && score >= 0.6) r.on = true;
      else if (r.on && score < 0.4) r.on = false;
    }
  };
}

async function play(pack: LoadedPack, pool: PreprocessPool, samples: Sample[], gate: Record<string, number>) {
  const index = new Map(samples.map((s, i) => [s, i]));
  const events: string[] = [];
  const infos = new Map<Sample, EmbeddingInfo>();
  const rules = await ruleMachine(pack);
  let inputs = 0;
  const drops: string[] = [];
  const scheduler = new Scheduler({
    maxBatch: 8,
    maxWaitMs: 5,
    queueLength: 1000,
    gate,
    backend: {
      preprocess: (s) => pool.run(s, pack.manifest.modalities[s.modality]!.preprocess),
      embed: (m, xs) => {
        inputs += xs.length;
        return pack.encoders.get(m)!.embed(xs);
      },
      inputShape: (m) => pack.encoders.get(m)?.sampleShape ?? null,
    },
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
