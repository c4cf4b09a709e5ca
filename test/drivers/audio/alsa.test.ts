/**
 * audio/alsa: arecord's command line; a fake arecord (a real process writing a known S16_LE ramp)
 * gives sample-exact windows with sample-accurate times; an audio file from ../shared/data played
 * by real ffmpeg gives exactly the windows of its samples; a missing arecord names alsa-utils.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { alsaPlan, createAlsaDriver } from '../../../drivers/audio/alsa/alsa.js';
import { alsaSchema } from '../../../drivers/audio/alsa/config.js';
import type { Driver, Window } from '../../../drivers/types.js';
import { installFake, unpluggableFake } from '../../fixtures/fake-capture/fake.js';
import { driverContract } from '../driverContract.js';

const SHARED = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
const cfg = (fields: Record<string, unknown>) => alsaSchema.parse({ id: 'mic0', driver: 'alsa', ...fields });

async function windows(d: Driver, max = Number.POSITIVE_INFINITY): Promise<Window[]> {
  const out: Window[] = [];
  for await (const s of d.samples()) if (out.push(s as Window) >= max) break;
  return out;
}

t.test('arecord command line (drivers.md §6.1) and 20 ms blocks', async (t) => {
  const plan = alsaPlan(cfg({ input: 'plughw:1,0', rate: 16000, channels: 1 }));
  t.equal(plan.tool, 'arecord');
  t.same(plan.args, ['-q', '-D', 'plughw:1,0', '-t', 'raw', '-f', 'S16_LE', '-r', '16000', '-c', '1']);
  t.equal(plan.frameBytes, 640, '320 samples × 2 bytes');
  t.equal(plan.periodMs, 20);
  const file = alsaPlan(cfg({ input: '/rec/a.wav', rate: 48000, channels: 2, loop: true }));
  t.equal(file.tool, 'ffmpeg', 'a file is played by ffmpeg');
  t.match(file.args.join(' '), /-re -stream_loop -1 -i \/rec\/a.wav .*-ac 2 -ar 48000 -f s16le/);
  t.equal(file.requiredFile, '/rec/a.wav');
});

t.test('fake arecord: sample-exact stereo windows, sample-accurate times', async (t) => {
  const dir = t.testdir({});
  const tool = installFake(dir, 'arecord', {
    pattern: 'ramp16',
    channels: 2,
    frameBytes: 640,
    chunkBytes: 300, // block boundaries fall inside chunks
    intervalMs: 5,
  });
  const d = createAlsaDriver(cfg({ rate: 8000, channels: 2, window: 0.25, hop: 0.125 }), {
    env: { searchPath: dir },
  });
  await d.start();
  const got = await windows(d, 3);
  const h = d.health();
  await d.stop();
  t.same(tool.runs()[0].argv, ['-q', '-D', 'default', '-t', 'raw', '-f', 'S16_LE', '-r', '8000', '-c', '2']);
  const n = 2000;
  got.forEach((w, j) => {
    t.equal(w.rate, 8000);
    t.equal(w.channels, 2);
    t.equal(w.data.length, 2 * n);
    const left = Array.from(w.data.subarray(0, n), (v) => v * 32768);
    const right = Array.from(w.data.subarray(n), (v) => v * 32768);
    t.same(
      left,
      Array.from({ length: n }, (_, i) => ((1000 * j + i) % 20000) - 10000),
      `window ${j} left`,
    );
    t.same(
      right,
      Array.from({ length: n }, (_, i) => ((1000 * j + i) % 20000) - 9000),
      `window ${j} right`,
    );
  });
  t.equal(got[1].t - got[0].t, 125_000_000n, 'hop = 1000 samples at 8 kHz = 125 ms exactly');
  t.equal(got[2].t - got[0].t, 250_000_000n);
  t.equal(h.counters.resyncs, 0);
});

t.test('an audio file through real ffmpeg: every window holds exactly the file samples', async (t) => {
  const dir = t.testdir({});
  const clip = join(dir, 'siren.wav');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-i', join(SHARED, 'audio/esc50_siren_1-31482-A-42.wav')],
    ...['-t', '1.5', '-ar', '16000', '-ac', '1', clip],
  ]);
  const config = cfg({ input: clip, rate: 16000, channels: 1, window: 0.5, hop: 0.25 });
  const d = createAlsaDriver(config);
  await d.start();
  const got = await windows(d);
  const h = d.health();
  await d.stop();
  const pcm = execFileSync(
    'ffmpeg',
    alsaPlan(config).args.filter((a) => a !== '-re'),
  );
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
  t.equal(samples.length, 24_000, '1.5 s at 16 kHz');
  t.equal(got.length, 5, 'windows at 0, 0.25, …, 1.0 s');
  got.forEach((w, j) => {
    const expected = Array.from(samples.subarray(4000 * j, 4000 * j + 8000), (v) => v / 32768);
    t.same(Array.from(w.data), expected, `window ${j}`);
    if (j > 0) t.equal(w.t - got[j - 1].t, 250_000_000n, `window ${j} 250 ms after the one before`);
  });
  t.equal(h.counters.finished, 1);
});

t.test('arecord missing: start() names alsa-utils', async (t) => {
  const d = createAlsaDriver(cfg({}), { env: { searchPath: t.testdir({}) } });
  await t.rejects(d.start(), { code: 'TOOL_MISSING', message: /`arecord`.*apt-get install alsa-utils/ });
  await d.stop();
});

const contractDir = t.testdir({});
installFake(contractDir, 'arecord', { pattern: 'ramp16', frameBytes: 640, intervalMs: 2 });
const unplugDir = join(contractDir, 'unplug');
mkdirSync(unplugDir);
const micCfg = cfg({ rate: 16000, window: 0.1, hop: 0.05 });
driverContract(
  t,
  'audio/alsa (fake arecord)',
  () => createAlsaDriver(micCfg, { env: { searchPath: contractDir } }),
  {
    unpluggable: () => {
      const { unplug, replug } = unpluggableFake(unplugDir, 'arecord', {
        pattern: 'ramp16',
        frameBytes: 640,
        intervalMs: 2,
      });
      const env = { searchPath: unplugDir, backoff: { initialMs: 50, maxMs: 200 } };
      return { driver: createAlsaDriver(micCfg, { env }), unplug, replug };
    },
  },
);
