/**
 * What a capture `input` names. One key serves devices, streams and files (issue #6: "a video or
 * audio file as input plays in real time, so any recording can stand in for a device"):
 * - `scheme://…` (rtsp, http, https, udp, …): a network stream;
 * - `/dev/…`: a device node;
 * - anything else: a file (a relative one is relative to the config file's folder).
 * ALSA PCM names (`default`, `hw:1,0`, `plughw:CARD=Mic`) have no slash and no file extension,
 * which is how the alsa driver tells them from audio files.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { BindsightError } from '../../src/errors.js';

export type InputKind = 'network' | 'device' | 'file';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const EXTENSION = /\.[a-z0-9]{2,5}$/i;
const IMAGE = /\.(jpe?g|png|bmp|pgm|ppm|pnm|tiff?|webp)$/i;

export function classifyInput(input: string): InputKind {
  if (SCHEME.test(input)) return 'network';
  if (input.startsWith('/dev/')) return 'device';
  return 'file';
}

/** An input that looks like a file path rather than a device name, URL or ALSA PCM name. */
export function looksLikeFile(input: string): boolean {
  if (SCHEME.test(input) || input.startsWith('/dev/')) return false;
  return input.includes('/') || EXTENSION.test(input);
}

export function isImageFile(input: string): boolean {
  return IMAGE.test(input);
}

/** A relative file input made absolute against the config folder; other inputs unchanged. */
export function resolveInputPath(input: string, dir: string): string {
  return looksLikeFile(input) && !isAbsolute(input) ? resolve(dir, input) : input;
}

/** FIXTURE_MISSING (exit 66) when an input file does not exist or is not a file. */
export async function requireInputFile(path: string, sensor: string): Promise<void> {
  let isFile = false;
  try {
    isFile = (await stat(path)).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new BindsightError(
      'FIXTURE_MISSING',
      `sensor "${sensor}": input file not found: ${path} (a device path starts with /dev/, a stream with scheme://)`,
      { sensor, input: path },
    );
  }
}
