/**
 * thermal/uvc (`uvc-y16`): FLIR Lepton frames from a PureThermal board, which presents the Lepton
 * as a UVC camera with a Y16 format (PureThermal firmware usbd_uvc.h; drivers.md §5.1). ffmpeg
 * reads it as `-f v4l2 -input_format gray16le` (ffmpeg libavdevice/v4l2-common.c maps
 * V4L2_PIX_FMT_Y16 to gray16le) and writes each frame unchanged: width × height × 2 bytes,
 * little-endian (kernel pixfmt-y16.rst).
 *
 * Radiometric Leptons (2.5, 3.5) with TLinear on report kelvin / resolution per pixel (FLIR Lepton
 * datasheet rev 203 p. 27): with resolution 0.01 the value is centikelvin already (y16_ck:
 * °C = v / 100 − 273.15, as PureThermal's uvc-radiometry.py `ktoc`); with 0.1 it is decikelvin
 * and is multiplied by 10 (values above 655.35 K clip at 65535, counted in clipped_pixels).
 * A non-radiometric Lepton gives gray16 counts.
 */
import { captureTiming } from '../../process/config.js';
import type { CaptureDriver } from '../../process/driver.js';
import { ffmpegVideoArgs } from '../../process/ffmpeg.js';
import { type CaptureDeps, createStreamDriver, le16 } from '../../process/stream.js';
import type { CapturePlan } from '../../process/supervisor.js';
import type { Frame } from '../../types.js';
import type { UvcY16Config } from './config.js';

export function uvcY16Plan(cfg: UvcY16Config): CapturePlan {
  const { args, input } = ffmpegVideoArgs({
    input: cfg.input,
    demuxer: cfg.demuxer,
    inputFormat: 'gray16le',
    width: cfg.width,
    height: cfg.height,
    fps: cfg.fps,
    loop: cfg.loop,
    pixFmt: 'gray16le',
  });
  return {
    tool: 'ffmpeg',
    args,
    frameBytes: cfg.width * cfg.height * 2,
    periodMs: 1000 / cfg.fps,
    finite: input.finite,
    input: cfg.input,
    requiredFile: input.file,
  };
}

/** Decikelvin → centikelvin in place; returns how many pixels clipped at 65535. */
export function decikelvinToCentikelvin(values: Uint16Array): number {
  let clipped = 0;
  for (let i = 0; i < values.length; i++) {
    const ck = values[i] * 10;
    if (ck > 0xffff) {
      values[i] = 0xffff;
      clipped++;
    } else {
      values[i] = ck;
    }
  }
  return clipped;
}

export function createUvcY16Driver(cfg: UvcY16Config, deps: CaptureDeps = {}): CaptureDriver {
  const plan = uvcY16Plan(cfg);
  return createStreamDriver({
    id: cfg.id,
    modality: cfg.modality,
    plan,
    timing: captureTiming(cfg, plan.periodMs),
    deps,
    counters: ['clipped_pixels'],
    toSample: (bytes, t, health): Frame => {
      const data = le16(bytes);
      if (cfg.radiometric && cfg.resolution === 0.1)
        health.count('clipped_pixels', decikelvinToCentikelvin(data));
      return {
        kind: 'frame',
        sensor: cfg.id,
        modality: cfg.modality,
        t,
        width: cfg.width,
        height: cfg.height,
        format: cfg.radiometric ? 'y16_ck' : 'gray16',
        data,
      };
    },
  });
}
