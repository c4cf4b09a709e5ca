/**
 * Encoder inputs saved by change gating on a mostly static replay of the demo recordings, and
 * whether any event is missed: the demo pack, its rules scored as README "Scoring" says
 * (softmax over prompt and contrast cosines at the pack's logit scale, on at 0.6, off below
 * 0.4), once with gating off and once with the default gates.
 *
 * The replay: an empty room (thermal, 4 Hz) for 20 s, a person for 10 s, empty for 20 s; a camera
 * (2 fps, raw frames with sensor noise σ = 2 grey levels) dark 20 s, lit 10 s, dark 20 s; a
 * microphone quiet, a siren, quiet; an IMU walking, lying still, a fall, lying still.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Frame, Sample } from '../drivers/types.js';
import { buildDemoPack } from '../models/demo/build.js';
import { type LoadedPack, loadPack } from '../src/encoders/pack.js';
import { PreprocessPool } from '../src/preprocess/workerPool.js';
import { GATE_DEFAULTS } from '../src/scheduler/config.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { DEMO, demoRuleMachine, packBackend, replayDemo, T0_MS } from './demoScoring.js';

/** Raw frames of a PNG with Gaussian sensor noise (seeded Box–Muller), one every 500 ms. */
async function noisyCamera(plan: Array<[string, number]>): Promise<Frame[]> {
  let seed = 12345;
  const uniform = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed + 0.5) / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const out: Frame[] = [];
  for (const [file, count] of plan) {
    const { data, info } = await sharp(readFileSync(join(DEMO, file)))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let i = 0; i < count; i++) {
      const px = new Uint8Array(data.length);
      for (let j = 0; j < px.length; j++)
        px[j] = Math.min(255, Math.max(0, Math.round(data[j] + 2 * gauss())));
      const t = BigInt((T0_MS + out.length * 500) * 1e6);
      out.push({
        kind: 'frame',
        sensor: 'cam0',
        modality: 'vision',
        t,
        width: info.width,
        height: info.height,
        format: 'rgb24',
        data: px,
      });
    }
  }
  return out;
}

async function staticReplay(): Promise<Sample[]> {
  const rep = <T>(x: T, n: number): T[] => Array.from({ length: n }, () => x);
  const replay = async (...a: Parameters<typeof replayDemo>) => (await replayDemo(...a)).map((x) => x.sample);
  const all = [
    ...(await replay(
      'thermal0',
      'thermal',
      [...rep('thermal_empty.csv', 4), 'thermal_person.csv', ...rep('thermal_empty.csv', 4)],
      { rate: 4 },
    )),
    ...(await replay('imu0', 'imu', ['imu_walk.csv', 'imu_still.csv', 'imu_fall.csv', 'imu_still.csv'], {})),
    ...(await replay(
      'mic0',
      'audio',
      ['audio_quiet.wav', 'audio_quiet.wav', 'audio_siren.wav', 'audio_quiet.wav', 'audio_quiet.wav'],
      { window: 2 },
    )),
    ...(await noisyCamera([
      ['vision_dark.png', 40],
      ['vision_bright.png', 20],
      ['vision_dark.png', 40],
    ])),
  ];
  return all.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

async function play(pack: LoadedPack, pool: PreprocessPool, samples: Sample[], gate: Record<string, number>) {
  const at = new Map(samples.map((s, i) => [s, i]));
  const events: string[] = [];
  const score = await demoRuleMachine(pack);
  let inputs = 0;
  let dropped = 0;
  const scheduler = new Scheduler({
    maxBatch: 8,
    maxWaitMs: 5,
    queueLength: 10_000,
    gate,
    backend: packBackend(pack, pool, (n) => {
      inputs += n;
    }),
    onEmbedding: (s, e) => score(s.sensor, e, at.get(s)!, events),
    onDrop: () => {
      dropped++;
    },
  });
  for (const s of samples) scheduler.submit(s);
  await scheduler.idle();
  const gated = Object.fromEntries(
    Object.entries(scheduler.stats().modalities).map(([m, st]) => [m, st.gated]),
  );
  return { events: events.sort(), inputs, dropped, gated };
}

export interface GatingResult {
  samples: number;
  inputsOff: number;
  inputsOn: number;
  /** Share of encoder inputs saved by gating. */
  saved: number;
  gated: Record<string, number>;
  events: number;
  missed: string[];
  extra: string[];
  dropped: number;
}

export async function gatingRun(): Promise<GatingResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bindsight-gate-'));
  const pack = await (async () => {
    await buildDemoPack(join(dir, 'pack'));
    return loadPack(join(dir, 'pack'));
  })();
  const pool = new PreprocessPool({ size: 2 });
  try {
    const samples = await staticReplay();
    const off = await play(pack, pool, samples, {});
    const on = await play(pack, pool, samples, GATE_DEFAULTS);
    return {
      samples: samples.length,
      inputsOff: off.inputs,
      inputsOn: on.inputs,
      saved: 1 - on.inputs / off.inputs,
      gated: on.gated,
      events: off.events.length,
      missed: off.events.filter((e) => !on.events.includes(e)),
      extra: on.events.filter((e) => !off.events.includes(e)),
      dropped: off.dropped + on.dropped,
    };
  } finally {
    await pool.close();
    await pack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
