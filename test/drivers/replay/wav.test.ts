import t from 'tap';
import wavefile from 'wavefile';
import { decodeWav } from '../../../drivers/replay/wav.js';
import { wavBytes } from './fixtures.js';

t.test('integer PCM is scaled like torchaudio.load', async (t) => {
  const cases: [string, number[], number[]][] = [
    ['8', [0, 128, 255], [-1, 0, 127 / 128]],
    ['16', [-32768, 0, 16384, 32767], [-1, 0, 0.5, 32767 / 32768]],
    ['24', [-8388608, 4194304, 8388607], [-1, 0.5, 8388607 / 8388608]],
    ['32', [-2147483648, 1073741824], [-1, 0.5]],
  ];
  for (const [bits, input, expected] of cases) {
    const clip = decodeWav(wavBytes([input], 8000, bits), `x${bits}.wav`);
    t.equal(clip.rate, 8000, `${bits}-bit rate`);
    t.equal(clip.frames, input.length);
    t.same(Array.from(clip.data[0]), Array.from(Float32Array.from(expected)), `${bits}-bit values`);
  }
});

t.test('32-bit float is kept as stored', async (t) => {
  const clip = decodeWav(wavBytes([[0.25, -0.75, 1.5]], 16000, '32f'), 'f.wav');
  t.same(Array.from(clip.data[0]), [0.25, -0.75, 1.5]);
});

t.test('stereo decodes one array per channel', async (t) => {
  const clip = decodeWav(
    wavBytes(
      [
        [16384, 0],
        [-16384, 8192],
      ],
      44100,
      '16',
    ),
    's.wav',
  );
  t.equal(clip.channels, 2);
  t.same(Array.from(clip.data[0]), [0.5, 0]);
  t.same(Array.from(clip.data[1]), [-0.5, 0.25]);
});

t.test('corrupt, truncated and unsupported files are FILE_INVALID naming the file', async (t) => {
  t.throws(() => decodeWav(new TextEncoder().encode('definitely not a wav file'), 'junk.wav'), {
    code: 'FILE_INVALID',
    message: /junk\.wav: not a playable WAV file/,
  });
  const full = wavBytes([Array(1000).fill(100)], 16000, '16');
  t.throws(() => decodeWav(full.subarray(0, 100), 'cut.wav'), {
    code: 'FILE_INVALID',
    message: /cut\.wav.*truncated: the data chunk declares 2000 bytes but 56 are present/,
  });
  const alaw = new wavefile.WaveFile();
  alaw.fromScratch(1, 8000, '8a', [1, 2, 3]);
  t.throws(() => decodeWav(alaw.toBuffer(), 'alaw.wav'), {
    code: 'FILE_INVALID',
    message: /"8a" is not supported/,
  });
});
