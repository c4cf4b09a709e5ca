/**
 * WAV decoding for replay, scaled the way ImageBind's loader (torchaudio.load) scales
 * (preprocess-conventions.md §2): uint8 (x − 128)/128, int16 /32768, int24 /2^23, int32 /2^31,
 * float as stored. Other encodings (A-law, µ-law, ADPCM) are refused by name.
 */
import wavefile from 'wavefile';
import { BindsightError } from '../../src/errors.js';

export interface AudioClip {
  rate: number;
  channels: number;
  /** Samples per channel. */
  frames: number;
  /** One array per channel, values in [−1, 1] for integer PCM. */
  data: Float32Array[];
}

/** wavefile's bit-depth code → [offset, divisor]. */
const SCALE: Readonly<Record<string, readonly [number, number]>> = {
  '8': [128, 128],
  '16': [0, 32768],
  '24': [0, 2 ** 23],
  '32': [0, 2 ** 31],
  '32f': [0, 1],
  '64': [0, 1],
};

function invalid(file: string, what: string, cause?: unknown): BindsightError {
  return new BindsightError('FILE_INVALID', `${file}: not a playable WAV file: ${what}`, { file }, { cause });
}

function numberField(record: object, key: string): number {
  const value: unknown = Object.getOwnPropertyDescriptor(record, key)?.value;
  return typeof value === 'number' ? value : Number.NaN;
}

function isFloat64(value: unknown): value is Float64Array {
  return value instanceof Float64Array;
}

export function decodeWav(bytes: Uint8Array, file: string): AudioClip {
  let wav: wavefile.WaveFile;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (err) {
    throw invalid(file, err instanceof Error ? err.message : String(err), err);
  }
  const scale = SCALE[wav.bitDepth];
  if (scale === undefined) {
    throw invalid(
      file,
      `sample format "${wav.bitDepth}" is not supported; use PCM 8/16/24/32-bit or 32/64-bit float`,
    );
  }
  const rate = numberField(wav.fmt, 'sampleRate');
  const channels = numberField(wav.fmt, 'numChannels');
  const blockAlign = numberField(wav.fmt, 'blockAlign');
  if (!(rate > 0) || !Number.isInteger(channels) || channels < 1 || !(blockAlign > 0)) {
    throw invalid(file, `bad fmt chunk (sampleRate ${rate}, channels ${channels}, blockAlign ${blockAlign})`);
  }
  const declared = numberField(wav.data, 'chunkSize');
  const present = Object.getOwnPropertyDescriptor(wav.data, 'samples')?.value;
  if (!(present instanceof Uint8Array) || present.length < declared) {
    const got = present instanceof Uint8Array ? present.length : 0;
    throw invalid(file, `truncated: the data chunk declares ${declared} bytes but ${got} are present`);
  }
  // Typed as one Float64Array, but wavefile returns one array per channel when channels > 1.
  const raw: unknown = wav.getSamples(false, Float64Array);
  const perChannel = raw instanceof Float64Array ? [raw] : Array.isArray(raw) ? raw.filter(isFloat64) : [];
  if (perChannel.length !== channels) {
    throw invalid(file, `expected ${channels} channels of samples, decoded ${perChannel.length}`);
  }
  const [offset, divisor] = scale;
  const frames = perChannel[0]?.length ?? 0;
  const data = perChannel.map((samples) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) out[i] = (samples[i] - offset) / divisor;
    return out;
  });
  return { rate, channels, frames, data };
}
