/**
 * The demo recordings (config/demo/) as Samples, the demo pack's rules scored as README "Scoring"
 * says, and a scheduler backend on a loaded pack. Shared by bench/schedulerGating.ts and
 * test/scheduler/demo.test.ts; plain functions, nothing runs on import.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileKind } from '../drivers/replay/formats.js';
import { openTimeline } from '../drivers/replay/sources.js';
import type { Sample, SensorModality } from '../drivers/types.js';
import { replaySensorSchema } from '../src/config/schema.js';
import type { LoadedPack } from '../src/encoders/pack.js';
import type { PreprocessPool } from '../src/preprocess/workerPool.js';
import type { EmbedBackend } from '../src/scheduler/scheduler.js';

export const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', 'config', 'demo');
/** Capture time (Unix ms) of the first demo sample. */
export const T0_MS = 1_700_000_000_000;

export const DEMO_RULES = [
  { id: 'person', sensor: 'thermal0', prompts: ['a person'], contrast: ['an empty room'] },
  { id: 'fall', sensor: 'imu0', prompts: ['someone fell'], contrast: ['someone walking', 'lying still'] },
  { id: 'alarm', sensor: 'mic0', prompts: ['a siren'], contrast: ['a quiet room', 'noise'] },
  { id: 'lights', sensor: 'cam0', prompts: ['a bright room'], contrast: ['a dark room'] },
];

/**
 * One replay sensor's samples over `files` (from config/demo/) played back to back, with capture
 * times from the recordings' own timing starting at T0_MS; each with the file it came from.
 */
export async function replayDemo(
  id: string,
  modality: SensorModality,
  files: string[],
  extra: object,
): Promise<Array<{ sample: Sample; file: string }>> {
  const cfg = replaySensorSchema.parse({ id, driver: 'replay', modality, files, ...extra });
  const out: Array<{ sample: Sample; file: string }> = [];
  let offsetMs = 0;
  for (const file of files) {
    const tl = await openTimeline({ path: join(DEMO, file), kind: fileKind(id, modality, file) }, cfg);
    for (const ts of tl.samples) {
      const t = BigInt(Math.round((T0_MS + offsetMs + ts.atMs - ts.spanMs) * 1e6));
      out.push({ sample: ts.build(t), file });
    }
    offsetMs += tl.durationMs;
  }
  return out;
}

/**
 * DEMO_RULES as README "Scoring" says: softmax over prompt and contrast cosines at the pack's
 * logit scale, on at 0.6, off below 0.4. The returned function scores one embedding and pushes
 * `<rule> start @<at>` / `<rule> end @<at>` to `events` on each change.
 */
export async function demoRuleMachine(pack: LoadedPack) {
  const rules = await Promise.all(
    DEMO_RULES.map(async (r) => ({
      ...r,
      vectors: await pack.embedTexts([...r.prompts, ...r.contrast]),
      on: false,
    })),
  );
  const scale = pack.manifest.logitScale;
  return (sensor: string, embedding: Float32Array, at: number, events: string[]): void => {
    for (const r of rules) {
      if (r.sensor !== sensor) continue;
      const logits = r.vectors.map((v) => scale * v.reduce((acc, x, i) => acc + x * embedding[i], 0));
      const top = Math.max(...logits);
      const exp = logits.map((l) => Math.exp(l - top));
      const score =
        exp.slice(0, r.prompts.length).reduce((a, b) => a + b, 0) / exp.reduce((a, b) => a + b, 0);
      if ((!r.on && score >= 0.6) || (r.on && score < 0.4)) {
        r.on = !r.on;
        events.push(`${r.id} ${r.on ? 'start' : 'end'} @${at}`);
      }
    }
  };
}

/** The pack's encoders behind `pool`'s preprocessing; `onInputs` hears the size of every encoder run. */
export function packBackend(
  pack: LoadedPack,
  pool: PreprocessPool,
  onInputs: (count: number) => void,
): EmbedBackend {
  return {
    preprocess: (s) => pool.run(s, pack.manifest.modalities[s.modality]!.preprocess),
    embed: (m, xs) => {
      onInputs(xs.length);
      return pack.encoders.get(m)!.embed(xs);
    },
    inputShape: (m) => pack.encoders.get(m)?.sampleShape ?? null,
  };
}
