/**
 * gst-launch-1.0 command lines. gst-launch joins its arguments into one pipeline description but
 * escapes spaces inside each argument (gst_parse_launchv), so a pipeline written as one string
 * must be split into words first, the way a shell would: whitespace separates, '…' and "…" quote,
 * a backslash escapes the next character outside single quotes. Quotes are removed, so caps such
 * as video/x-raw(memory:NVMM),format=NV12 can be written quoted or not.
 *
 * The Jetson CSI pipeline follows drivers.md §6.2 (NVIDIA forum threads cited there): NVMM
 * buffers → nvvidconv → BGRx in system memory → videoconvert → RGB (or GRAY8). `-q` keeps
 * progress messages off stdout, `-e` sends EOS on interrupt.
 */
import { BindsightError } from '../../src/errors.js';
import type { GstreamerCameraConfig } from './config.js';

/** Splits a pipeline into argv words (see the header); throws CONFIG_INVALID on an open quote. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new BindsightError('CONFIG_INVALID', `GStreamer pipeline has an unclosed ${quote} quote: ${text}`, {
      pipeline: text,
    });
  }
  if (inWord) words.push(word);
  return words;
}

/** fps as a GStreamer fraction: 30 → 30/1, 7.5 → 7500/1000. */
export function fraction(fps: number): string {
  return Number.isInteger(fps) ? `${fps}/1` : `${Math.round(fps * 1000)}/1000`;
}

const CSI = /^csi:(?:\/\/)?(\d+)$/;

/** Whether the last element of a word list is an fdsink (the user took care of the output). */
function endsInFdsink(words: readonly string[]): boolean {
  const bang = words.lastIndexOf('!');
  return words[bang + 1]?.startsWith('fdsink') ?? false;
}

/** The argv for gst-launch-1.0 (without the program name). */
export function gstreamerArgs(cfg: GstreamerCameraConfig): string[] {
  const format = cfg.pixel === 'rgb24' ? 'RGB' : 'GRAY8';
  const rate = fraction(cfg.fps);
  const csi = CSI.exec(cfg.input.trim());
  if (csi !== null) {
    return [
      '-q',
      '-e',
      'nvarguscamerasrc',
      `sensor-id=${csi[1]}`,
      '!',
      `video/x-raw(memory:NVMM),width=${cfg.width},height=${cfg.height},framerate=${rate},format=NV12`,
      '!',
      'nvvidconv',
      '!',
      'video/x-raw,format=BGRx',
      '!',
      'videoconvert',
      '!',
      `video/x-raw,format=${format}`,
      '!',
      'fdsink',
      'fd=1',
    ];
  }
  const words = splitWords(cfg.input);
  if (words.length === 0) {
    throw new BindsightError('CONFIG_INVALID', `sensor "${cfg.id}": the GStreamer pipeline is empty`, {
      sensor: cfg.id,
    });
  }
  if (endsInFdsink(words)) return ['-q', '-e', ...words];
  const caps = `video/x-raw,format=${format},width=${cfg.width},height=${cfg.height},framerate=${rate}`;
  const tail = ['!', 'videoconvert', '!', 'videoscale', '!', 'videorate', '!', caps, '!', 'fdsink', 'fd=1'];
  return ['-q', '-e', ...words, ...tail];
}
