/** What an `input` names (drivers/process/input.ts), and relative file inputs in a config (src/config/paths.ts). */
import t from 'tap';
import {
  classifyInput,
  isImageFile,
  looksLikeFile,
  requireInputFile,
  resolveInputPath,
} from '../../../drivers/process/input.js';
import { resolvePaths } from '../../../src/config/paths.js';
import { configSchema } from '../../../src/config/schema.js';

t.test('device, stream or file', async (t) => {
  t.equal(classifyInput('/dev/video0'), 'device');
  t.equal(classifyInput('rtsp://cam.local:554/stream1'), 'network');
  t.equal(classifyInput('http://10.0.0.5/mjpg/video.mjpg'), 'network');
  t.equal(classifyInput('recordings/hall.mp4'), 'file');
  t.ok(looksLikeFile('clip.wav'));
  t.ok(looksLikeFile('./mic'));
  t.notOk(looksLikeFile('default'), 'an ALSA PCM name');
  t.notOk(looksLikeFile('plughw:1,0'));
  t.notOk(looksLikeFile('hw:CARD=Device,DEV=0'));
  t.notOk(looksLikeFile('/dev/snd/pcmC1D0c'));
  t.ok(isImageFile('a/b.JPG') && isImageFile('x.png') && !isImageFile('x.mp4'));
});

t.test('relative file inputs resolve against the config folder; others are kept', async (t) => {
  t.equal(resolveInputPath('rec/a.wav', '/etc/bindsight'), '/etc/bindsight/rec/a.wav');
  t.equal(resolveInputPath('plughw:1,0', '/etc/bindsight'), 'plughw:1,0');
  const config = configSchema.parse({
    sensors: [
      { id: 'cam', driver: 'ffmpeg', input: '../videos/door.mp4' },
      { id: 'net', driver: 'ffmpeg', input: 'rtsp://cam/1' },
      { id: 'csi', driver: 'gstreamer', input: 'filesrc location=a.mp4 ! decodebin' },
      { id: 'mic', driver: 'alsa', input: 'default' },
      { id: 'wav', driver: 'alsa', input: 'clips/siren.wav' },
      { id: 'lep', driver: 'uvc-y16' },
      { id: 'dep', driver: 'uvc-z16', input: 'depth.png' },
      { id: 'usb', driver: 'webcam' },
    ],
  });
  const inputs = resolvePaths(config, '/etc/bindsight/conf').sensors.map((s) =>
    'input' in s ? s.input : '',
  );
  t.same(inputs, [
    '/etc/bindsight/videos/door.mp4',
    'rtsp://cam/1',
    'filesrc location=a.mp4 ! decodebin',
    'default',
    '/etc/bindsight/conf/clips/siren.wav',
    '/dev/video0',
    '/etc/bindsight/conf/depth.png',
    '/dev/video0',
  ]);
});

t.test('a missing input file is FIXTURE_MISSING (exit 66)', async (t) => {
  await t.rejects(requireInputFile('/no/such.mp4', 'cam0'), {
    code: 'FIXTURE_MISSING',
    message: /sensor "cam0": input file not found: \/no\/such.mp4/,
  });
  await t.rejects(
    requireInputFile(t.testdir({}), 'cam0'),
    { code: 'FIXTURE_MISSING' },
    'a folder is not a file',
  );
});
