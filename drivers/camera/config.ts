/**
 * Config schemas of the camera drivers (issue #6): `ffmpeg` (V4L2 devices, RTSP/HTTP streams,
 * files), `gstreamer` (Jetson CSI cameras, any pipeline) and `webcam` (fswebcam snapshots).
 * src/config/schema.ts adds them to the sensor union; drivers/registry.ts maps them to factories.
 */
import { z } from 'zod';
import { captureSchema, demuxerKey, sensorKeys } from '../process/capture-schema.js';
import { everyMsKey, loopKey, startTimeoutKey, videoKeys } from '../process/config.js';
import { sensorId } from '../sensorId.js';

const pixel = z
  .enum(['rgb24', 'gray8'])
  .default('rgb24')
  .describe('frame format delivered: rgb24 (3 bytes per pixel) or gray8');

export const ffmpegCameraSchema = captureSchema('ffmpeg', 'vision', {
  input: z
    .string()
    .min(1)
    .describe(
      'a V4L2 device (/dev/video0), an rtsp:// or http(s):// stream, or a video or image file played in real time; with demuxer: lavfi, a test source such as testsrc=size=640x480:rate=15',
    ),
  ...videoKeys({ width: 640, height: 480, fps: 15 }),
  format: z
    .enum(['mjpeg', 'yuyv', 'h264'])
    .optional()
    .describe("pixel format asked of a V4L2 device (v4l2-ctl --list-formats-ext); default: the device's"),
  pixel,
  demuxer: demuxerKey(
    'lavfi, v4l2, rtsp, mjpeg',
    'ffmpeg input format (-f) when it cannot be inferred from input, e.g. lavfi',
  ),
  loop: loopKey,
}).describe('a camera, stream or video file decoded by an ffmpeg child process to raw frames');

export const gstreamerCameraSchema = captureSchema('gstreamer', 'vision', {
  input: z
    .string()
    .min(1)
    .default('csi:0')
    .describe(
      '"csi:N" for Jetson CSI camera N (nvarguscamerasrc), or a gst-launch-1.0 pipeline; one that does not end in fdsink gets a conversion to width×height at fps and "! fdsink fd=1" appended',
    ),
  ...videoKeys({ width: 1280, height: 720, fps: 30 }),
  pixel,
}).describe('a GStreamer pipeline run by gst-launch-1.0, raw frames on its stdout');

export const webcamSchema = z
  .strictObject({
    id: sensorId,
    ...sensorKeys('webcam', 'vision'),
    input: z.string().min(1).default('/dev/video0').describe('the V4L2 device fswebcam opens'),
    ...videoKeys({ width: 1280, height: 720, fps: 1 }),
    fps: z.number().positive().max(5).default(1).describe('snapshots per second (one fswebcam run each)'),
    skip: z
      .number()
      .int()
      .nonnegative()
      .default(2)
      .describe('frames fswebcam discards before each picture, so auto exposure can settle'),
    quality: z.number().int().min(1).max(100).default(90).describe('JPEG quality'),
    startTimeout: startTimeoutKey.describe('seconds one snapshot may take before fswebcam is killed'),
    everyMs: everyMsKey,
  })
  .describe('JPEG snapshots from a USB webcam, one fswebcam run per picture, at low rates');

export type FfmpegCameraConfig = z.output<typeof ffmpegCameraSchema>;
export type GstreamerCameraConfig = z.output<typeof gstreamerCameraSchema>;
export type WebcamConfig = z.output<typeof webcamSchema>;
