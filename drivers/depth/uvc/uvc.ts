/**
 * depth/uvc (`uvc-z16`): 16-bit depth frames from a UVC depth camera whose node offers
 * V4L2_PIX_FMT_Z16 (mainline uvcvideo maps the RealSense 'Z16 ' GUID to it; drivers.md §5.2,
 * kernel pixfmt-z16.rst: 16-bit little-endian distance per pixel, 0 = no depth).
 *
 * ffmpeg cannot open a Z16 device: its V4L2 format table (libavdevice/v4l2-common.c) has Y16 but
 * no Z16. A device is therefore read with v4l2-ctl (package v4l-utils), which streams the raw
 * buffers unchanged to stdout (`--stream-to=-` turns on --silent; v4l2-ctl-streaming.cpp):
 *
 *   v4l2-ctl -d <dev> --set-fmt-video=width=W,height=H,pixelformat=Z16 --set-parm=<fps>
 *            --stream-mmap=4 --stream-to=-
 *
 * This assumes rows without padding (bytesperline = 2 × width), as RealSense depth nodes report.
 * A file or lavfi input goes through ffmpeg as gray16le (nearest-neighbour scaling).
 *
 * Frames are z16_mm with meta depth_unit_m (metres per count; the preprocessor honours it, so a
 * D405's 0.1 mm counts keep their precision), and baseline_m / focal_px when configured.
 */
import type { CaptureDriver } from '../../process/driver.js';
import { ffmpegVideoArgs } from '../../process/ffmpeg.js';
import { classifyInput } from '../../process/input.js';
import { type CaptureDeps, le16 } from '../../process/stream.js';
import type { CapturePlan } from '../../process/supervisor.js';
import { createVideoDriver } from '../../process/video.js';
import type { UvcZ16Config } from './config.js';

export function uvcZ16Plan(cfg: UvcZ16Config): CapturePlan {
  const common = { frameBytes: cfg.width * cfg.height * 2, periodMs: 1000 / cfg.fps, input: cfg.input };
  if (cfg.demuxer === undefined && classifyInput(cfg.input) === 'device') {
    const args = [
      '-d',
      cfg.input,
      `--set-fmt-video=width=${cfg.width},height=${cfg.height},pixelformat=Z16`,
      `--set-parm=${cfg.fps}`,
      '--stream-mmap=4',
      '--stream-to=-',
    ];
    return { tool: 'v4l2-ctl', args, finite: false, ...common };
  }
  const { args, input } = ffmpegVideoArgs({
    input: cfg.input,
    demuxer: cfg.demuxer,
    width: cfg.width,
    height: cfg.height,
    fps: cfg.fps,
    loop: cfg.loop,
    pixFmt: 'gray16le',
  });
  return { tool: 'ffmpeg', args, finite: input.finite, requiredFile: input.file, ...common };
}

export function depthMeta(cfg: UvcZ16Config): Record<string, number> {
  const meta: Record<string, number> = { depth_unit_m: cfg.depth_unit_m };
  if (cfg.baseline_m !== undefined) meta.baseline_m = cfg.baseline_m;
  if (cfg.focal_px !== undefined) meta.focal_px = cfg.focal_px;
  return meta;
}

export function createUvcZ16Driver(cfg: UvcZ16Config, deps: CaptureDeps = {}): CaptureDriver {
  const meta = Object.freeze(depthMeta(cfg));
  return createVideoDriver(cfg, uvcZ16Plan(cfg), deps, { format: 'z16_mm', data: le16, meta });
}
