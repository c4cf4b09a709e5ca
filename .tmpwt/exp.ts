import { join } from 'node:path';
import { openTimeline } from '../drivers/replay/sources.js';
import { fileKind } from '../drivers/replay/formats.js';
import { replaySensorSchema } from '../src/config/schema.js';
import { loadPack } from '../src/encoders/pack.js';
import { preprocessSample, preprocessedShape } from '../src/preprocess/index.js';
import { signature, change, changeMax } from '../src/scheduler/gate.js';
import type { SensorModality } from '../drivers/types.js';
const D = 'config/demo';
const pack = await loadPack('models/packs/demo');
async function run(modality: SensorModality, files: string[], extra: Record<string, unknown>) {
  const cfg = replaySensorSchema.parse({ id: 's', driver: 'replay', modality, files, ...extra });
  const p = pack.manifest.modalities[modality]!.preprocess;
  const shape = preprocessedShape(p);
  let prev: Float32Array | null = null;
  const rows: string[] = [];
  for (const f of files) {
    const tl = await openTimeline({ path: join(D, f), kind: fileKind('s', modality, f) }, cfg);
    for (const ts of tl.samples) {
      const x = await preprocessSample(ts.build(0n), p);
      const sig = signature(x, shape);
      const [e] = await pack.encoders.get(modality)!.embed([x]);
      rows.push(`${f.slice(0, 14)} d=${prev ? change(prev, sig).toFixed(4) + " max=" + changeMax(prev, sig).toFixed(3) : "-"}`);
      prev = sig;
    }
  }
  console.log(modality); console.log(rows.join('\n'));
}
await run('thermal', ['thermal_empty.csv', 'thermal_person.csv', 'thermal_empty.csv'], { rate: 4 });
await run('imu', ['imu_walk.csv', 'imu_fall.csv', 'imu_still.csv'], { window: 5, hop: 1 });
await run('audio', ['audio_quiet.wav', 'audio_siren.wav', 'audio_quiet.wav'], { window: 2, hop: 1 });
await run('vision', ['vision_dark.png', 'vision_dark.png', 'vision_bright.png'], {});
await run('depth', ['depth_far.png', 'depth_near.png', 'depth_far.png'], {});
await pack.close();
