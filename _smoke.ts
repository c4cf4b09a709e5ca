import { createReplayDriver } from './drivers/replay/replay.js';
import { replaySensorSchema } from './src/config/schema.js';
for (const [id, modality] of [['thermal0','thermal'],['imu0','imu'],['mic0','audio'],['cam0','vision'],['depth0','depth']] as const) {
  const d = createReplayDriver(replaySensorSchema.parse({ id, driver: 'replay', modality, files: ['/tmp/mcapproto/demo.mcap'], realtime: false }));
  await d.start();
  const out = [];
  for await (const s of d.samples()) out.push(s);
  console.log(id, out.length, out[0]?.t, out.at(-1)?.t, out[0]?.kind === 'frame' ? [out[0].format, out[0].width, out[0].height, out[0].data.constructor.name, out[0].meta] : [out[0]?.rate, out[0]?.channels, out[0]?.data.length, out[0]?.meta], JSON.stringify(d.health()));
  await d.stop();
}
