/**
 * ffmpeg command lines for the capture drivers: any input ffmpeg reads (V4L2 device, RTSP/HTTP
 * stream, video or image file, lavfi test source) decoded to raw frames or PCM on stdout.
 * Files and lavfi sources are read with `-re` so they play in real time, like a device.
 * References: drivers.md §5.1 (Y16 via `-input_format gray16le`), §6.3 (V4L2 MJPEG → rgb24);
 * ffmpeg-formats(1) for v4l2 (`-input_format`, `-video_size`, `-framerate`), image2 (`-loop`),
 * `-stream_loop`, and rtsp (`-rtsp_transport tcp`).
 */
import { classifyInput, isImageFile } from './input.js';

const COMMON = ['-hide_banner', '-nostdin', '-loglevel', 'warning'];

export interface FfmpegInput {
  args: string[];
  /** The input ends by itself. */
  finite: boolean;
  /** The input is a file that must exist. */
  file?: string;
}

export interface FfmpegVideoOptions {
  input: string;
  /** ffmpeg `-f` for the input (lavfi, v4l2, rtsp, …); inferred when absent. */
  demuxer?: string;
  /** V4L2 pixel format as ffmpeg names it (mjpeg, yuyv422, h264, gray16le). */
  inputFormat?: string;
  width: number;
  height: number;
  fps: number;
  loop: boolean;
  /** Output pixel format: rgb24 (3 bytes), gray (1), gray16le (2). */
  pixFmt: 'rgb24' | 'gray' | 'gray16le';
}

export const BYTES_PER_PIXEL: Readonly<Record<FfmpegVideoOptions['pixFmt'], number>> = {
  rgb24: 3,
  gray: 1,
  gray16le: 2,
};

/** The part of the command line before the output options. */
export function ffmpegVideoInput(o: FfmpegVideoOptions): FfmpegInput {
  const size = `${o.width}x${o.height}`;
  const fps = String(o.fps);
  if (o.demuxer === 'lavfi') {
    return { args: ['-re', '-f', 'lavfi', '-i', o.input], finite: !o.loop };
  }
  const kind = o.demuxer === 'v4l2' ? 'device' : classifyInput(o.input);
  const demux = o.demuxer !== undefined ? ['-f', o.demuxer] : [];
  if (kind === 'device') {
    const format = o.inputFormat !== undefined ? ['-input_format', o.inputFormat] : [];
    const args = ['-f', 'v4l2', ...format, '-video_size', size, '-framerate', fps, '-i', o.input];
    return { args, finite: false };
  }
  if (kind === 'network') {
    // TCP interleaving: UDP RTP loses packets (and so whole frames) on busy Wi-Fi links.
    const rtsp = /^rtsps?:/i.test(o.input) ? ['-rtsp_transport', 'tcp'] : [];
    return { args: [...demux, ...rtsp, '-i', o.input], finite: false };
  }
  let loop: string[] = [];
  if (o.loop) loop = isImageFile(o.input) ? ['-loop', '1', '-framerate', fps] : ['-stream_loop', '-1'];
  return { args: ['-re', ...loop, ...demux, '-i', o.input], finite: !o.loop, file: o.input };
}

/** The full ffmpeg argument list: input → scaled to width×height at fps → raw frames on stdout. */
export function ffmpegVideoArgs(o: FfmpegVideoOptions): { args: string[]; input: FfmpegInput } {
  const input = ffmpegVideoInput(o);
  // Nearest-neighbour for 16-bit data: interpolating temperatures or depths invents values at edges.
  const flags = o.pixFmt === 'gray16le' ? 'neighbor' : 'bicubic';
  const args = [
    ...COMMON,
    ...input.args,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-vf',
    `scale=${o.width}:${o.height}:flags=${flags}`,
    '-r',
    String(o.fps),
    '-f',
    'rawvideo',
    '-pix_fmt',
    o.pixFmt,
    'pipe:1',
  ];
  return { args, input };
}

export interface FfmpegAudioOptions {
  input: string;
  rate: number;
  channels: number;
  loop: boolean;
}

/** An audio (or video) file played in real time as S16_LE PCM at rate/channels, like arecord's output. */
export function ffmpegAudioArgs(o: FfmpegAudioOptions): string[] {
  return [
    ...COMMON,
    '-re',
    ...(o.loop ? ['-stream_loop', '-1'] : []),
    '-i',
    o.input,
    '-map',
    '0:a:0',
    '-vn',
    '-ac',
    String(o.channels),
    '-ar',
    String(o.rate),
    '-f',
    's16le',
    '-acodec',
    'pcm_s16le',
    'pipe:1',
  ];
}
