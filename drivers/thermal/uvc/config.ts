/**
 * Config schema of `uvc-y16`: a FLIR Lepton on a PureThermal board (UVC, Y16) read through
 * ffmpeg's V4L2 input (drivers.md §5.1). src/config/schema.ts adds it to the sensor union.
 */
import { z } from 'zod';
import { captureKeys, loopKey, videoKeys } from '../../process/config.js';

export const uvcY16Schema = z
  .strictObject({
    ...captureKeys,
    driver: z.literal('uvc-y16'),
    modality: z.literal('thermal').default('thermal').describe('what the sensor produces'),
    input: z
      .string()
      .min(1)
      .default('/dev/video0')
      .describe('the PureThermal V4L2 device, or a 16-bit grey PNG or video file played in real time'),
    // Lepton 3.x: 160×120 at 9 fps (PureThermal firmware usbd_uvc.h CAM_FPS 9; drivers.md §5.1).
    ...videoKeys({ width: 160, height: 120, fps: 9 }),
    resolution: z
      .union([z.literal(0.01), z.literal(0.1)])
      .default(0.01)
      .describe(
        'kelvin per count of a radiometric Lepton: 0.01 (TLinear resolution 1, the default) or 0.1 (FLIR Lepton datasheet p. 27)',
      ),
    radiometric: z
      .boolean()
      .default(true)
      .describe('false for a non-radiometric Lepton (2.0, 3.0): frames stay raw gray16 counts'),
    demuxer: z
      .string()
      .regex(/^[a-z0-9_]+$/, 'an ffmpeg input format name such as lavfi or v4l2')
      .optional()
      .describe('ffmpeg input format (-f) when it cannot be inferred from input, e.g. lavfi'),
    loop: loopKey,
  })
  .describe('a radiometric FLIR Lepton (PureThermal, UVC Y16): centikelvin frames');

export type UvcY16Config = z.output<typeof uvcY16Schema>;
