/**
 * Config schema of `alsa`: a microphone read by `arecord`, or an audio file played in real time.
 * `window` and `hop` mean what they mean for the replay driver. src/config/schema.ts adds it to
 * the sensor union.
 */
import { z } from 'zod';
import { captureSchema } from '../../process/capture-schema.js';
import { loopKey } from '../../process/config.js';

export const alsaSchema = captureSchema('alsa', 'audio', {
  input: z
    .string()
    .min(1)
    .default('default')
    .describe(
      'an ALSA PCM (default, plughw:1,0, …; arecord -L lists them), or an audio/video file played in real time',
    ),
  rate: z.number().int().min(1000).max(384000).default(16000).describe('sample rate, Hz'),
  channels: z.number().int().min(1).max(32).default(1).describe('channels to record'),
  window: z.number().positive().default(5).describe('window length in seconds'),
  hop: z.number().positive().default(1).describe('seconds between window starts'),
  loop: loopKey,
}).describe('a microphone via arecord (S16_LE), as windows of window seconds every hop seconds');

export type AlsaConfig = z.output<typeof alsaSchema>;
