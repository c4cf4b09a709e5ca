/**
 * The supervised child (drivers/process/supervisor.ts) against a fake capture tool that is a real
 * process: exact framing across chunk boundaries, restart with backoff after a crash, a partial
 * frame at exit, a child that hangs before its first frame (start timeout) or after it (watchdog),
 * a missing tool, and stop() killing the whole process group, also a child that ignores SIGTERM.
 */
import { readdirSync, readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import type { CaptureDriver } from '../../../drivers/process/driver.js';
import { type CaptureDeps, createStreamDriver } from '../../../drivers/process/stream.js';
import type { CapturePlan } from '../../../drivers/process/supervisor.js';
import type { Driver, Frame, Sample } from '../../../drivers/types.js';
import { alive, type FakeBehaviour, installFake, until } from '../../fixtures/fake-capture/fake.js';

const W = 8;
const H = 4;
const FRAME = W * H;

function driver(
  dir: string,
  timing: { startTimeoutMs?: number; stallTimeoutMs?: number } = {},
  deps: CaptureDeps = {},
): CaptureDriver {
  const plan: CapturePlan = {
    tool: 'gst-launch-1.0',
    args: ['fake-pipeline'],
    frameBytes: FRAME,
    periodMs: 20,
    finite: false,
    input: 'fake-pipeline',
  };
  return createStreamDriver({
    id: 'cam0',
    modality: 'vision',
    plan,
    timing: { startTimeoutMs: timing.startTimeoutMs ?? 5000, stallTimeoutMs: timing.stallTimeoutMs ?? 5000 },
    deps: {
      queueLength: 1000,
      ...deps,
      env: { searchPath: dir, backoff: { initialMs: 20, maxMs: 50 }, termGraceMs: 300, ...deps.env },
    },
    toSample: (data, t): Frame => ({
      kind: 'frame',
      sensor: 'cam0',
      modality: 'vision',
      t,
      width: W,
      height: H,
      format: 'gray8',
      data,
    }),
  });
}

function fake(t: Test, behaviour: FakeBehaviour & { runs?: FakeBehaviour[] }) {
  const dir = t.testdir({});
  return installFake(dir, 'gst-launch-1.0', { frameBytes: FRAME, intervalMs: 5, ...behaviour });
}

async function take(d: Driver, n: number): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const s of d.samples()) if (out.push(s as Frame) >= n) break;
  return out;
}

t.test('frames are cut exactly at the frame size, whatever the chunking', async (t) => {
  // 7-byte chunks: every frame boundary falls inside a chunk.
  const tool = fake(t, { frames: 6, chunkBytes: 7, after: 'hang' });
  const d = driver(tool.dir);
  await d.start();
  const frames = await take(d, 6);
  await d.stop();
  t.same(
    frames.map((f) => [f.data.length, (f.data as Uint8Array).every((v) => v === (f.data as Uint8Array)[0])]),
    Array(6).fill([FRAME, true]),
  );
  t.same(
    frames.map((f) => (f.data as Uint8Array)[0]),
    [0, 1, 2, 3, 4, 5],
    'in order, none lost or merged',
  );
  for (let i = 1; i < frames.length; i++) t.ok(frames[i].t > frames[i - 1].t, 'capture times increase');
  t.same(tool.runs()[0].argv, ['fake-pipeline'], 'the plan args reach the tool');
});

t.test('a child that exits is restarted with backoff; its stderr is in the error', async (t) => {
  const tool = fake(t, {
    runs: [
      { frames: 3, after: 'exit', exitCode: 3, stderr: 'device went away\n' },
      { frames: null, intervalMs: 10 },
    ],
  });
  const warnings: Record<string, unknown>[] = [];
  const d = driver(tool.dir, {}, { logger: { warn: (obj) => warnings.push(obj) } });
  await d.start();
  const frames = await take(d, 6);
  const h = d.health();
  await d.stop();
  t.match(warnings, [{ sensor: 'cam0', from: 'ok', to: 'down', stderr: 'device went away\n' }]);
  t.equal(warnings.length, 1, 'one warning for the one state change; none for the stop');
  t.equal(frames.length, 6);
  t.equal(tool.runs().length, 2, 'started twice');
  t.equal(h.counters.exits, 1);
  t.equal(h.counters.restarts, 1);
  t.equal(h.reason, 'capturing');
  t.equal(h.counters.spawns, 2);
  t.equal(h.state, 'ok', 'ok again after the restart');
  t.match(
    h.lastError,
    /gst-launch-1.0 for sensor "cam0" \(reading fake-pipeline\) exited with code 3 after 3 frame/,
  );
  t.match(h.lastError, /stderr \(last 4 kB\):\ndevice went away/);
});

t.test('while restarting, health is down and says which attempt is due when', async (t) => {
  const tool = fake(t, {
    runs: [
      { frames: 2, exitCode: 1 },
      { frames: 0, after: 'hang' },
    ],
  });
  const d = driver(tool.dir);
  await d.start();
  await until(() => d.health().counters.restarts === 1, 'the first restart');
  const h = d.health();
  await d.stop();
  t.equal(h.state, 'down');
  t.match(
    h.reason,
    /exited with code 1 after 2 frame\(s\); it wrote nothing to stderr; restart 1 in 0\.0 s$/,
  );
  t.equal(d.health().reason, 'stopped');
});

t.test('a partial frame at exit is counted and dropped', async (t) => {
  const tool = fake(t, {
    runs: [
      { frames: 2, after: 'partial', partialBytes: 5, exitCode: 1 },
      { after: 'hang', frames: 1 },
    ],
  });
  const d = driver(tool.dir);
  await d.start();
  const frames = await take(d, 3);
  const h = d.health();
  await d.stop();
  t.same(
    frames.map((f) => f.data.length),
    [FRAME, FRAME, FRAME],
  );
  t.equal(h.counters.partial_frames, 1);
  t.match(h.lastError, /its last 5 bytes were less than one 32-byte frame and were dropped/);
});

t.test('no frame at all: start() fails after the start timeout, naming the cause', async (t) => {
  const tool = fake(t, { frames: 0, after: 'hang', stderr: 'waiting for camera\n' });
  const d = driver(tool.dir, { startTimeoutMs: 2000 });
  await t.rejects(d.start(), {
    code: 'SENSOR_STALLED',
    message: /sent no frame within 2 s of starting; killed it[\s\S]*waiting for camera/,
  });
  const h = d.health();
  t.equal(h.state, 'down');
  t.equal(h.counters.start_timeouts, 1);
  t.match(h.reason, /sent no frame within 2 s/);
  t.notOk(alive(tool.runs()[0].pid), 'the hung child was killed');
  await d.stop();
});

t.test('too few bytes for a frame: the error says to check the frame size', async (t) => {
  const tool = fake(t, { frames: 0, after: 'partial', partialBytes: 10, exitCode: 0 });
  const d = driver(tool.dir);
  await t.rejects(d.start(), {
    code: 'SENSOR_FAILED',
    message: /it wrote 10 bytes, less than one frame: check width, height and format/,
  });
  await d.stop();
});

t.test('a child that stops sending frames is killed by the watchdog and restarted', async (t) => {
  const tool = fake(t, { runs: [{ frames: 2, after: 'hang' }, { frames: null }] });
  const d = driver(tool.dir, { stallTimeoutMs: 1000 });
  const states: string[] = [];
  await d.start();
  const frames = await take(d, 4);
  states.push(d.health().state);
  const h = d.health();
  await d.stop();
  t.equal(frames.length, 4);
  t.equal(h.counters.stalls, 1);
  t.equal(h.counters.restarts, 1);
  t.match(h.lastError, /sent no frame for 1 s \(one expected every 20 ms\); killed it/);
  t.notOk(alive(tool.runs()[0].pid), 'the stalled child is gone');
});

t.test('a missing tool fails start() with the package to install', async (t) => {
  const d = driver(t.testdir({}));
  await t.rejects(d.start(), {
    code: 'TOOL_MISSING',
    message:
      /needs the capture tool `gst-launch-1.0`, which was not found in PATH .*sudo apt-get install gstreamer1.0-tools/,
  });
  t.equal(d.health().state, 'down');
  t.match(d.health().lastError, /gstreamer1.0-tools/);
  await d.stop();
});

t.test('stop() kills the whole process group, also a child that ignores SIGTERM', async (t) => {
  const tool = fake(t, { frames: null, ignoreTerm: true, grandchild: true });
  const d = driver(tool.dir);
  await d.start();
  await take(d, 1);
  const pid = d.health().pid;
  t.type(pid, 'number', 'health shows the child pid');
  const group = groupMembers(pid!);
  t.ok(group.length >= 2, 'the tool and its grandchild share a process group');
  await Promise.all([d.stop(), d.stop()]);
  await d.stop();
  for (const p of group) t.notOk(alive(p), `process ${p} is gone`);
  t.equal(d.health().state, 'down');
  t.equal(d.health().pid, undefined);
});

t.test('samples after the queue is full: oldest dropped and counted', async (t) => {
  const tool = fake(t, { frames: 10, intervalMs: 0, after: 'hang' });
  const d = driver(tool.dir, {}, { queueLength: 2 });
  await d.start();
  await until(() => d.health().counters.frames === 10, '10 frames');
  const got: Sample[] = [];
  const reading = (async () => {
    for await (const s of d.samples()) got.push(s);
  })();
  await until(() => got.length === 2, 'the two newest frames');
  await d.stop();
  await reading;
  t.same(
    got.map((s) => ((s as Frame).data as Uint8Array)[0]),
    [8, 9],
    'the newest two are kept',
  );
  t.equal(d.health().counters.dropped, 8);
});

/** Pids whose process group is `pgid` (field 5 of /proc/<pid>/stat, proc(5)). */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid && alive(p);
      } catch {
        return false;
      }
    });
}
