/**
 * camera/ffmpeg: a V4L2 device (MJPEG or YUYV), an RTSP/HTTP MJPEG stream or a video/image file,
 * decoded by an ffmpeg child to raw rgb24 (or gray8) frames of width×height at fps on its stdout
 * (drivers.md §6.3). Supervision, timestamps and health: drivers/process/README.md.
 */

import type { CaptureDriver } from '../process/driver.js';
import { BYTES_PER_PIXEL, ffmpegVideoArgs } from '../process/ffmpeg.js';
import type { CaptureDeps } from '../process/stream.js';
import type { CapturePlan } from '../process/supervisor.js';
import { createVideoDriver } from '../process/video.js';
import type { FfmpegCameraConfig } from './config.js';

/** Config `format` → ffmpeg's v4l2 `-input_format` name. */
const INPUT_FORMAT = { mjpeg: 'mjpeg', yuyv: 'yuyv422', h264: 'h264' } as const;

export function ffmpegCameraPlan(cfg: FfmpegCameraConfig): CapturePlan {
  const pixFmt = cfg.pixel === 'rgb24' ? 'rgb24' : 'gray';
  const { args, input } = ffmpegVideoArgs({
    input: cfg.input,
    demuxer: cfg.demuxer,
    inputFormat: cfg.format !== undefined ? INPUT_FORMAT[cfg.format] : undefined,
    width: cfg.width,
    height: cfg.height,
    fps: cfg.fps,
    loop: cfg.loop,
    pixFmt,
  });
  return {
    tool: 'ffmpeg',
    args,
    frameBytes: cfg.width * cfg.height * BYTES_PER_PIXEL[pixFmt],
    periodMs: 1000 / cfg.fps,
    finite: input.finite,
    input: cfg.input,
    requiredFile: input.file,
  };
}

export function createFfmpegCameraDriver(cfg: FfmpegCameraConfig, deps: CaptureDeps = {}): CaptureDriver {
  return createVideoDriver(cfg, ffmpegCameraPlan(cfg), deps, { format: cfg.pixel });
}
