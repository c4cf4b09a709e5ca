/**
 * camera/gstreamer: a gst-launch-1.0 child whose pipeline ends in raw RGB (or GRAY8) frames on
 * stdout; for Jetson CSI cameras (`input: csi:0`, hardware ISP and conversion) and any pipeline
 * with hardware-accelerated decode. Command lines: ./pipeline.ts. Supervision, timestamps and
 * health: drivers/process/README.md.
 *
 * A pipeline that ends in its own fdsink must deliver width×height frames in the `pixel` format;
 * the driver can only cut the byte stream at that size.
 */
import type { CaptureDriver } from '../process/driver.js';
import type { CaptureDeps } from '../process/stream.js';
import type { CapturePlan } from '../process/supervisor.js';
import { createVideoDriver } from '../process/video.js';
import type { GstreamerCameraConfig } from './config.js';
import { gstreamerArgs } from './pipeline.js';

export function gstreamerPlan(cfg: GstreamerCameraConfig): CapturePlan {
  return {
    tool: 'gst-launch-1.0',
    args: gstreamerArgs(cfg),
    frameBytes: cfg.width * cfg.height * (cfg.pixel === 'rgb24' ? 3 : 1),
    periodMs: 1000 / cfg.fps,
    // A pipeline that reaches EOS (a filesrc) is restarted like a failed one: the driver cannot
    // tell a finite pipeline from a camera that stopped.
    finite: false,
    input: cfg.input,
  };
}

export function createGstreamerCameraDriver(
  cfg: GstreamerCameraConfig,
  deps: CaptureDeps = {},
): CaptureDriver {
  return createVideoDriver(cfg, gstreamerPlan(cfg), deps, { format: cfg.pixel });
}
