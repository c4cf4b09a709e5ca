/** ffmpeg command lines (drivers/process/ffmpeg.ts) for each kind of input. */
import t from 'tap';
import { ffmpegAudioArgs, ffmpegVideoArgs, ffmpegVideoInput } from '../../../drivers/process/ffmpeg.js';

const base = { width: 640, height: 480, fps: 15, loop: false, pixFmt: 'rgb24' as const };

t.test('a V4L2 device: v4l2 demuxer with size, rate and pixel format (drivers.md §6.3)', async (t) => {
  t.same(ffmpegVideoInput({ ...base, input: '/dev/video0', inputFormat: 'mjpeg' }), {
    args: [
      '-f',
      'v4l2',
      '-input_format',
      'mjpeg',
      '-video_size',
      '640x480',
      '-framerate',
      '15',
      '-i',
      '/dev/video0',
    ],
    finite: false,
  });
  const { args } = ffmpegVideoArgs({ ...base, input: '/dev/video0' });
  t.same(args, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'warning'],
    ...['-f', 'v4l2', '-video_size', '640x480', '-framerate', '15', '-i', '/dev/video0'],
    ...['-map', '0:v:0', '-an', '-sn', '-vf', 'scale=640:480:flags=bicubic', '-r', '15'],
    ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
  ]);
});

t.test('streams, files, images and lavfi', async (t) => {
  t.same(ffmpegVideoInput({ ...base, input: 'rtsp://cam/1' }).args, [
    '-rtsp_transport',
    'tcp',
    '-i',
    'rtsp://cam/1',
  ]);
  t.same(ffmpegVideoInput({ ...base, input: 'http://cam/video.mjpg' }).args, ['-i', 'http://cam/video.mjpg']);
  t.same(ffmpegVideoInput({ ...base, input: '/v/a.mp4' }), {
    args: ['-re', '-i', '/v/a.mp4'],
    finite: true,
    file: '/v/a.mp4',
  });
  t.same(ffmpegVideoInput({ ...base, input: '/v/a.mp4', loop: true }).args, [
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    '/v/a.mp4',
  ]);
  t.same(ffmpegVideoInput({ ...base, input: '/v/a.png', loop: true }).args, [
    ...['-re', '-loop', '1', '-framerate', '15', '-i', '/v/a.png'],
  ]);
  t.same(ffmpegVideoInput({ ...base, input: 'testsrc', demuxer: 'lavfi' }), {
    args: ['-re', '-f', 'lavfi', '-i', 'testsrc'],
    finite: true,
  });
  t.match(ffmpegVideoArgs({ ...base, input: '/v/d.png', pixFmt: 'gray16le' }).args, [
    /./,
    /./,
    /./,
    /./,
    '-re',
    '-i',
    '/v/d.png',
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-vf',
    'scale=640:480:flags=neighbor',
  ]);
});

t.test('audio: S16_LE at rate and channels, in real time', async (t) => {
  t.same(ffmpegAudioArgs({ input: '/a/b.wav', rate: 16000, channels: 1, loop: false }), [
    ...['-hide_banner', '-nostdin', '-loglevel', 'warning', '-re', '-i', '/a/b.wav'],
    ...['-map', '0:a:0', '-vn', '-ac', '1', '-ar', '16000', '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'],
  ]);
});
