import t from 'tap';
import wavefile from 'wavefile';
import { decodeWav, wavToWindow } from '../../src/preprocess/wav.js';
import { readGoldenBytes } from './goldens.js';

function make(bitDepth: string, channels: number, samples: number[][]): Uint8Array {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, 8000, bitDepth, channels === 1 ? samples[0] : samples);
  return w.toBuffer();
}

t.test('torchaudio.load scaling', async (t) => {
  t.same(
    Array.from(decodeWav(make('16', 1, [[-32768, 0, 16384, 32767]])).data),
    [-1, 0, 0.5, 32767 / 32768],
    'int16 / 32768',
  );
  t.same(
    Array.from(decodeWav(make('8', 1, [[0, 128, 192, 255]])).data),
    [-1, 0, 0.5, 127 / 128],
    'uint8 (v − 128) / 128',
  );
  t.same(Array.from(decodeWav(make('24', 1, [[-8388608, 4194304]])).data), [-1, 0.5], 'int24 / 2^23');
  t.same(Array.from(decodeWav(make('32', 1, [[-2147483648, 1073741824]])).data), [-1, 0.5], 'int32 / 2^31');
  t.same(Array.from(decodeWav(make('32f', 1, [[-0.25, 0.75]])).data), [-0.25, 0.75], 'float32 as is');
  t.same(Array.from(decodeWav(make('64', 1, [[0.125]])).data), [0.125], 'float64 as is');
});

t.test('channel-major windows', async (t) => {
  const win = wavToWindow(
    make('16', 2, [
      [0, 16384, 0],
      [-16384, 0, 8192],
    ]),
    'mic',
  );
  t.same([win.kind, win.modality, win.sensor, win.rate, win.channels], ['window', 'audio', 'mic', 8000, 2]);
  t.same(Array.from(win.data), [0, 0.5, 0, -0.5, 0, 0.25]);
  const dog = decodeWav(readGoldenBytes('../../data/audio/imagebind_dog_audio.wav'));
  t.same([dog.sampleRate, dog.channels, dog.data.length], [44100, 2, 2 * 115110]);
  const s24 = decodeWav(readGoldenBytes('inputs/synth_stereo_48k_24bit_6p5s.wav'));
  t.same([s24.sampleRate, s24.channels, s24.bitDepth], [48000, 2, '24']);
});

t.test('corrupt, truncated and unsupported files are refused', async (t) => {
  t.throws(() => decodeWav(new Uint8Array(100), 'x.wav'), {
    code: 'FILE_INVALID',
    message: /x\.wav: not a readable WAV file/,
  });
  const good = make('16', 1, [Array.from({ length: 1000 }, (_, i) => i)]);
  t.throws(() => decodeWav(good.subarray(0, 600), 'cut.wav'), {
    message: /cut\.wav: truncated WAV data: \d+ of 2000 bytes/,
  });
  t.throws(() => decodeWav(good.subarray(0, 20), 'head.wav'), { code: 'FILE_INVALID' });
  const alaw = new wavefile.WaveFile();
  alaw.fromScratch(1, 8000, '16', [0, 1000, -1000]);
  alaw.toALaw();
  t.throws(() => decodeWav(alaw.toBuffer(), 'a.wav'), { message: /unsupported WAV encoding/ });
});
