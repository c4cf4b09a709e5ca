import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { HealthTracker } from '../../../drivers/health.js';
import { msToNs } from '../../../drivers/replay/clock.js';
import { MAX_LAG_MS, type PlayerDeps, play } from '../../../drivers/replay/player.js';
import type { Sample } from '../../../drivers/types.js';
import { FakeClock } from '../fakeClock.js';
import { tick, waitFor } from '../poll.js';
import { imuCsv, imuRows, replayConfig, rgbImage } from './fixtures.js';

function deps(
  fields: Record<string, unknown>,
  paths: string[],
  clock: FakeClock,
  signal = new AbortController().signal,
) {
  const samples: Sample[] = [];
  const warnings: Record<string, unknown>[] = [];
  const health = new HealthTracker({ initial: 'ok' });
  const cfg = replayConfig({ files: paths, ...fields });
  const d: PlayerDeps = {
    cfg,
    files: paths.map((path) => ({ path, kind: path.endsWith('.csv') ? 'imu_csv' : 'image' })),
    clock,
    health,
    signal,
    emit: (s) => samples.push(s),
    logger: { warn: (obj) => warnings.push(obj) },
  };
  return { d, samples, warnings, health };
}

t.test('files play back to back on one schedule, divided by speed', async (t) => {
  const dir = t.testdir({});
  const a = join(dir, 'a.png');
  writeFileSync(a, await rgbImage(4, 4, 'png'));
  const clock = new FakeClock();
  const start = clock.now();
  const { d, samples, health } = deps({ modality: 'vision', rate: 2, speed: 4 }, [a, a, a], clock);
  t.equal(await play(d), 'finished');
  t.same(
    samples.map((s) => s.t),
    [0, 125, 250].map((ms) => msToNs(start + ms)),
  );
  t.equal(clock.now(), start + 375, 'the last file is played to its end');
  t.equal(health.counter('files_played'), 3);
});

t.test('corrupt rows: counted, degraded, one warning per file, playback goes on', async (t) => {
  const dir = t.testdir({});
  const p = join(dir, 'imu.csv');
  const lines = imuCsv(imuRows(600, 10)).split('\n');
  lines[3] = '20,1,2';
  lines[9] = '80,x,1,1,1,1,1';
  writeFileSync(p, lines.join('\n'));
  const { d, samples, warnings, health } = deps({ modality: 'imu', loop: false }, [p], new FakeClock());
  t.equal(await play(d), 'finished');
  t.ok(samples.length > 0);
  t.equal(health.counter('corrupt_rows'), 2);
  t.equal(health.state, 'degraded');
  t.match(
    health.lastError,
    /imu\.csv: dropped 2 corrupt row\(s\); first at line 4: expected 7 columns, got 3/,
  );
  t.equal(warnings.length, 1);
});

t.test('a corrupt file is skipped and counted; a pass with no sample at all is exhausted', async (t) => {
  const dir = t.testdir({ 'bad.png': 'not a png', 'good.png': '' });
  writeFileSync(join(dir, 'good.png'), await rgbImage(4, 4, 'png'));
  const mixed = deps({ modality: 'vision' }, [join(dir, 'bad.png'), join(dir, 'good.png')], new FakeClock());
  t.equal(await play(mixed.d), 'finished');
  t.equal(mixed.samples.length, 1);
  t.equal(mixed.health.counter('file_errors'), 1);
  t.equal(mixed.health.state, 'degraded');
  t.match(mixed.health.lastError, /bad\.png: not a readable image/);

  const clock = new FakeClock();
  const allBad = deps(
    { modality: 'vision', loop: true },
    [join(dir, 'bad.png'), join(dir, 'bad.png')],
    clock,
  );
  t.equal(await play(allBad.d), 'exhausted', 'looping an unplayable list ends instead of spinning');
  t.equal(allBad.health.counter('file_errors'), 2);
  t.equal(allBad.health.counter('loops'), 0);
});

t.test('looping counts loops; abort ends playback', async (t) => {
  const dir = t.testdir({});
  const a = join(dir, 'a.png');
  writeFileSync(a, await rgbImage(4, 4, 'png'));
  const abort = new AbortController();
  const { d, samples, health } = deps(
    { modality: 'vision', loop: true, speed: 1000 },
    [a],
    new FakeClock(),
    abort.signal,
  );
  const done = play(d);
  await waitFor(() => samples.length >= 5);
  abort.abort();
  t.equal(await done, 'aborted');
  t.ok(health.counter('loops') >= 4);
  const n = samples.length;
  await tick();
  t.equal(samples.length, n, 'nothing is emitted after abort');
});

t.test('falling far behind moves the schedule instead of bursting the backlog', async (t) => {
  const dir = t.testdir({});
  const a = join(dir, 'a.png');
  writeFileSync(a, await rgbImage(4, 4, 'png'));
  const clock = new FakeClock({ mode: 'manual' });
  const abort = new AbortController();
  const { d, samples, health } = deps({ modality: 'vision', loop: true }, [a], clock, abort.signal);
  const done = play(d);
  await waitFor(() => samples.length === 1 && clock.pending === 1);
  clock.advance(10 * MAX_LAG_MS); // the host was suspended for 10 s
  await waitFor(() => samples.length === 2 && clock.pending === 1);
  t.equal(health.counter('resyncs'), 1);
  t.equal(samples[1].t, msToNs(clock.now()), 'the next frame is stamped now, not 10 s ago');
  clock.advance(1000);
  await waitFor(() => samples.length === 3);
  t.equal(samples[2].t - samples[1].t, 1_000_000_000n, 'then 1 fps again');
  abort.abort();
  t.equal(await done, 'aborted');
  t.equal(clock.pending, 0);
});
