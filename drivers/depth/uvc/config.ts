/**
 * Config schema of `uvc-z16`: a UVC depth camera exposing Z16 (Intel RealSense under the kernel's
 * uvcvideo driver; drivers.md §5.2). src/config/schema.ts adds it to the sensor union.
 */
import { z } from 'zod';
import { captureSchema, demuxerKey } from '../../process/capture-schema.js';
import { loopKey, videoKeys } from '../../process/config.js';

export const uvcZ16Schema = captureSchema('uvc-z16', 'depth', {
  input: z
    .string()
    .min(1)
    .describe(
      'the depth camera V4L2 device (the node whose formats list Z16), or a 16-bit grey PNG or video file played in real time',
    ),
  ...videoKeys({ width: 640, height: 480, fps: 30 }),
  depth_unit_m: z
    .number()
    .positive()
    .max(1)
    .default(0.001)
    .describe(
      'metres per Z16 count: 0.001 for RealSense D400 cameras, about 0.0001 for the D405; the stream does not carry it',
    ),
  baseline_m: z
    .number()
    .positive()
    .optional()
    .describe('stereo baseline in metres (passed on in frame meta)'),
  focal_px: z.number().positive().optional().describe('focal length in pixels (passed on in frame meta)'),
  demuxer: demuxerKey(
    'lavfi',
    'for a non-device input: ffmpeg input format (-f) when it cannot be inferred, e.g. lavfi',
  ),
  loop: loopKey,
}).describe('a UVC depth camera (Z16): 16-bit depth frames');

export type UvcZ16Config = z.output<typeof uvcZ16Schema>;
