/** gst-launch-1.0 command lines (drivers/camera/pipeline.ts): shell-like word splitting, CSI shortcut, output tail. */
import t from 'tap';
import { gstreamerCameraSchema } from '../../../drivers/camera/config.js';
import { fraction, gstreamerArgs, splitWords } from '../../../drivers/camera/pipeline.js';

const cfg = (fields: Record<string, unknown>) =>
  gstreamerCameraSchema.parse({ id: 'cam0', driver: 'gstreamer', ...fields });

t.test('splitWords splits like a shell and removes quotes', async (t) => {
  t.same(splitWords('  a  b\tc\n'), ['a', 'b', 'c']);
  t.same(splitWords(`nvarguscamerasrc ! 'video/x-raw(memory:NVMM),format=NV12' ! fakesink`), [
    'nvarguscamerasrc',
    '!',
    'video/x-raw(memory:NVMM),format=NV12',
    '!',
    'fakesink',
  ]);
  t.same(splitWords(`filesrc location="/my videos/a b.mp4" ! x`), [
    'filesrc',
    'location=/my videos/a b.mp4',
    '!',
    'x',
  ]);
  t.same(splitWords(`a\\ b 'it''s' "say \\"hi\\""`), ['a b', 'its', 'say "hi"']);
  t.same(splitWords(`''`), [''], 'an empty quoted word is a word');
  t.throws(() => splitWords(`videotestsrc ! 'video/x-raw`), {
    code: 'CONFIG_INVALID',
    message: /unclosed ' quote/,
  });
});

t.test('fps as a GStreamer fraction', async (t) => {
  t.equal(fraction(30), '30/1');
  t.equal(fraction(7.5), '7500/1000');
});

t.test('csi:N becomes the nvarguscamerasrc pipeline (drivers.md §6.2)', async (t) => {
  t.same(gstreamerArgs(cfg({ input: 'csi:1', width: 1920, height: 1080, fps: 30 })), [
    '-q',
    '-e',
    'nvarguscamerasrc',
    'sensor-id=1',
    '!',
    'video/x-raw(memory:NVMM),width=1920,height=1080,framerate=30/1,format=NV12',
    '!',
    'nvvidconv',
    '!',
    'video/x-raw,format=BGRx',
    '!',
    'videoconvert',
    '!',
    'video/x-raw,format=RGB',
    '!',
    'fdsink',
    'fd=1',
  ]);
  t.match(gstreamerArgs(cfg({ input: 'csi://0', pixel: 'gray8' })), [
    '-q',
    '-e',
    'nvarguscamerasrc',
    'sensor-id=0',
  ]);
  t.ok(gstreamerArgs(cfg({ input: 'csi:0', pixel: 'gray8' })).includes('video/x-raw,format=GRAY8'));
});

t.test('a user pipeline gets the conversion tail unless it ends in fdsink', async (t) => {
  t.same(gstreamerArgs(cfg({ input: 'videotestsrc is-live=true', width: 64, height: 48, fps: 15 })), [
    '-q',
    '-e',
    'videotestsrc',
    'is-live=true',
    '!',
    'videoconvert',
    '!',
    'videoscale',
    '!',
    'videorate',
    '!',
    'video/x-raw,format=RGB,width=64,height=48,framerate=15/1',
    '!',
    'fdsink',
    'fd=1',
  ]);
  const own = 'v4l2src device=/dev/video0 ! jpegdec ! videoconvert ! video/x-raw,format=RGB ! fdsink';
  t.same(gstreamerArgs(cfg({ input: own })), ['-q', '-e', ...own.split(' ')]);
  t.throws(() => gstreamerArgs(cfg({ input: '   ' })), {
    code: 'CONFIG_INVALID',
    message: /pipeline is empty/,
  });
});
