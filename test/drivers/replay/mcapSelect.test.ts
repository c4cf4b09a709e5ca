/** Channel selection for an MCAP replay sensor: explicit topics, the default rules, and the errors. */
import t from 'tap';
import type { McapChannelInfo } from '../../../drivers/replay/mcapFile.js';
import { CHANNEL_META, SCHEMA } from '../../../drivers/replay/mcapSchemas.js';
import { selectChannels } from '../../../drivers/replay/mcapSelect.js';
import { replayConfig } from './fixtures.js';

let nextId = 0;
function channel(
  topic: string,
  schemaName: string,
  modality?: string,
  messageEncoding = 'json',
): McapChannelInfo {
  const metadata = new Map<string, string>();
  if (modality !== undefined) metadata.set(CHANNEL_META.modality, modality);
  return { id: nextId++, topic, schemaName, messageEncoding, metadata };
}

const cam0 = channel('cam0', SCHEMA.compressedImage, 'vision');
const cam1 = channel('cam1', SCHEMA.rawImage, 'vision');
const mic0 = channel('mic0', SCHEMA.window, 'audio');
const own = [cam0, cam1, mic0];
const cfg = (fields: Record<string, unknown>) => replayConfig({ files: ['s.mcap'], ...fields });

t.test('default: the topic named like the sensor, else the one channel of its modality', async (t) => {
  t.same([...selectChannels(cfg({ id: 'cam1', modality: 'vision' }), 's.mcap', own)], [cam1.id]);
  t.same([...selectChannels(cfg({ id: 'front', modality: 'audio' }), 's.mcap', own)], [mic0.id]);
  t.throws(() => selectChannels(cfg({ id: 'front', modality: 'vision' }), 's.mcap', own), {
    code: 'FILE_INVALID',
    message:
      /sensor "front": s\.mcap: several channels could feed this vision sensor: cam0 \(foxglove\.CompressedImage, json\), cam1 .*choose with `channels: \[topic\]`/,
  });
  t.throws(() => selectChannels(cfg({ id: 'imu0', modality: 'imu' }), 's.mcap', own), {
    message: /no channel for a imu sensor named "imu0"; the file has: cam0 .*mic0/,
  });
});

t.test('default in a foreign file: the one channel whose schema fits the modality', async (t) => {
  const image = channel('/camera/image_raw', SCHEMA.rawImage);
  const ros = channel('/camera/compressed', 'sensor_msgs/msg/CompressedImage', undefined, 'cdr');
  t.same([...selectChannels(cfg({ id: 'cam', modality: 'vision' }), 'f.mcap', [image, ros])], [image.id]);
  t.throws(() => selectChannels(cfg({ id: 'mic', modality: 'audio' }), 'f.mcap', [image, ros]), {
    message: /no channel/,
  });
});

t.test('explicit channels: "x" matches "/x"; a missing or unplayable topic is refused', async (t) => {
  const image = channel('/camera/image_raw', SCHEMA.rawImage);
  const ros = channel('/camera/compressed', 'sensor_msgs/msg/CompressedImage', undefined, 'cdr');
  const chosen = selectChannels(
    cfg({ id: 'cam', modality: 'vision', channels: ['camera/image_raw', 'cam0'] }),
    'f.mcap',
    [image, ros, cam0],
  );
  t.same([...chosen].sort(), [image.id, cam0.id].sort());
  t.throws(
    () => selectChannels(cfg({ id: 'cam', modality: 'vision', channels: ['/nope'] }), 'f.mcap', [image]),
    {
      message:
        /channel "\/nope" is not in the file; it has: \/camera\/image_raw \(foxglove\.RawImage, json\)/,
    },
  );
  t.throws(
    () =>
      selectChannels(cfg({ id: 'cam', modality: 'vision', channels: ['/camera/compressed'] }), 'f.mcap', [
        ros,
      ]),
    {
      message:
        /channel "\/camera\/compressed" cannot be replayed: schema "sensor_msgs\/msg\/CompressedImage" is not supported/,
    },
  );
});
