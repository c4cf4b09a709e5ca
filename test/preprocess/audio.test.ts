/**
 * Audio against every golden case of ../shared/test-vectors/imagebind-preprocess (ImageBind
 * data.py:31-68, 118-164 computed with torchaudio 0.13.1), the intermediates a port can get wrong
 * (16 kHz waveform, exact clip ranges), the expected-error case, and bad windows.
 */
import t from 'tap';
import type { Window } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { preprocessAudio } from '../../src/preprocess/audio.js';
import { clipSampleRanges } from '../../src/preprocess/clips.js';
import { resampleSinc } from '../../src/preprocess/resample.js';
import { wavToWindow } from '../../src/preprocess/wav.js';
import { casesOf, diff, readGoldenBytes, readGoldenNpy, readParams, tolerance } from './goldens.js';

const P = IMAGEBIND_PREPROCESS.audio;
const TOL = tolerance('audio');

interface AudioGoldenParams {
  source: { sample_rate: number; channels: number; num_frames: number };
  num_samples_16k?: number;
  clip_sample_ranges?: Array<[number, number]>;
}

const worst = { meanAbs: 0, maxAbs: 0 };

t.test('golden cases', async (t) => {
  for (const c of casesOf('audio')) {
    await t.test(`${c.id} [${(c.edge_cases ?? []).join('; ')}]`, async (t) => {
      const p = readParams<AudioGoldenParams>(c);
      const win = wavToWindow(readGoldenBytes(c.input), c.id);
      t.equal(win.rate, p.source.sample_rate, 'sample rate');
      t.equal(win.channels, p.source.channels, 'channels');
      t.equal(win.data.length / win.channels, p.source.num_frames, 'frames');
      if (c.expected_error) {
        t.throws(
          () => preprocessAudio(win, P),
          {
            code: 'PREPROCESS_INVALID',
            message: /320 samples .*fewer than one 25 ms fbank frame \(400 samples\)/,
          },
          `refused: ${c.expected_error.rule}`,
        );
        return;
      }
      const n16 = p.num_samples_16k!;
      t.equal(
        Math.ceil((16000 * p.source.num_frames) / p.source.sample_rate),
        n16,
        '16 kHz length ceil(16000·N/sr)',
      );
      const capped = p.clip_sample_ranges!.map(([a, b]) => [a, Math.min(b, n16)]);
      t.same(clipSampleRanges(n16, P.sampleRate, P.clipSeconds, P.clips), capped, 'exact clip ranges');
      const wf = c.intermediates?.waveform16k;
      if (wf) {
        const want = readGoldenNpy(wf.file);
        const got =
          win.rate === P.sampleRate ? win.data : resampleSinc(win.data, win.channels, win.rate, P.sampleRate);
        t.same(want.shape, [win.channels, n16], 'waveform16k shape');
        const d = diff(got, want.data);
        t.ok(d.maxAbs <= 1e-5, `16 kHz waveform max |Δ| ${d.maxAbs.toExponential(2)} ≤ 1e-5`);
      }
      const y = preprocessAudio(win, P);
      const expected = readGoldenNpy(c.expected!);
      t.same(expected.shape, [P.clips, 1, P.melBins, P.targetFrames]);
      const d = diff(y, expected.data);
      worst.meanAbs = Math.max(worst.meanAbs, d.meanAbs);
      worst.maxAbs = Math.max(worst.maxAbs, d.maxAbs);
      t.ok(
        d.meanAbs <= TOL,
        `mean |Δ| ${d.meanAbs.toExponential(2)} ≤ ${TOL} (max ${d.maxAbs.toExponential(2)})`,
      );
    });
  }
  t.comment(
    `audio worst mean |Δ| ${worst.meanAbs.toExponential(3)}, max |Δ| ${worst.maxAbs.toExponential(3)}`,
  );
});

function win(over: Partial<Window>): Window {
  return {
    kind: 'window',
    sensor: 'mic0',
    modality: 'audio',
    t: 0n,
    rate: 16000,
    channels: 1,
    data: new Float32Array(32000),
    ...over,
  };
}

t.test('layout: short clips are zero-padded before normalising', async (t) => {
  const data = new Float32Array(16000);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.1) * 0.5;
  const y = preprocessAudio(win({ data }), P);
  t.equal(y.length, 3 * 128 * 204);
  const pad = (0 - P.mean) / P.std;
  // 1 s → 98 frames; columns 98…203 are padding.
  t.ok(
    Math.abs(y[98] - pad) < 1e-6 && Math.abs(y[203] - pad) < 1e-6,
    'padded columns are (0 + 4.268) / 9.138',
  );
  t.not(Math.abs(y[97] - pad) < 1e-6, true, 'the last real frame is not padding');
  // Three clips over the same samples; later ones differ only by the in-place mean side effect.
  const d = diff(y.subarray(0, 128 * 204), y.subarray(2 * 128 * 204));
  t.ok(
    d.maxAbs < 1e-4,
    `three (almost) identical clips for audio under 2 s (max |Δ| ${d.maxAbs.toExponential(1)})`,
  );
});

t.test('digital silence gives the log floor', async (t) => {
  const y = preprocessAudio(win({}), P);
  t.ok(
    Math.abs(y[0] - (Math.log(1.1920929e-7) - P.mean) / P.std) < 1e-5,
    'log(FLT_EPSILON) normalised = -1.27735',
  );
});

t.test('bad windows are refused with a clear error', async (t) => {
  t.throws(() => preprocessAudio(win({ data: new Float32Array(0) }), P), {
    code: 'PREPROCESS_INVALID',
    message: /mic0.*empty/,
  });
  const nan = new Float32Array(32000);
  nan[123] = Number.NaN;
  t.throws(() => preprocessAudio(win({ data: nan }), P), { message: /sample 123 is NaN/ });
  const inf = new Float32Array(32000);
  inf[5] = Number.POSITIVE_INFINITY;
  t.throws(() => preprocessAudio(win({ data: inf }), P), { message: /sample 5 is Infinity/ });
  t.throws(() => preprocessAudio(win({ channels: 3, data: new Float32Array(32000) }), P), {
    message: /not a multiple of 3 channels/,
  });
  t.throws(() => preprocessAudio(win({ rate: 44100.5 }), P), { message: /positive integer/ });
  t.throws(() => preprocessAudio(win({ channels: 0 }), P), { message: /channel count/ });
  t.throws(() => preprocessAudio(win({ data: new Float32Array(399) }), P), {
    message: /399 samples.*400 samples/,
  });
  t.doesNotThrow(
    () => preprocessAudio(win({ data: new Float32Array(400) }), P),
    'exactly one frame is enough',
  );
  t.throws(
    () => preprocessAudio(win({ rate: 8000, data: new Float32Array(199) }), P),
    {
      message: /398 samples at 16000 Hz/,
    },
    'the limit applies after resampling',
  );
});
