/**
 * No orphans even on SIGKILL of the agent (issue #6; drivers/process/deathsig.ts): a parent node
 * process starts a capture driver, the test SIGKILLs the parent, and the capture child must be
 * gone — real ffmpeg, and a fake tool that hangs without writing (which no SIGPIPE would stop).
 * The control case shows the hung child surviving when the death signal is turned off, so the
 * test can fail.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { deathWrapper } from '../../../drivers/process/deathsig.js';
import { alive, installFake, until } from '../../fixtures/fake-capture/fake.js';

const PARENT = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/fake-capture/parent.ts');

/** Starts the parent, returns its child's pid once capturing, SIGKILLs the parent. */
async function killParent(args: string[]): Promise<number> {
  const parent = spawn(process.execPath, ['--import', 'tsx', PARENT, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  parent.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await until(() => out.includes('\n') || parent.exitCode !== null, 'the parent reports its child');
  const { pid } = JSON.parse(out.split('\n')[0]) as { pid: number };
  if (!alive(pid)) throw new Error(`capture child ${pid} is not running`);
  const exited = once(parent, 'exit');
  parent.kill('SIGKILL');
  await exited;
  return pid;
}

const wrapper = await deathWrapper();

t.test('the death wrapper is available here (util-linux setpriv --pdeathsig)', async (t) => {
  t.ok(wrapper, 'setpriv with --pdeathsig found');
  t.match(wrapper?.args, ['--pdeathsig', 'KILL', '--']);
});

t.test('ffmpeg dies with its SIGKILLed parent', { skip: !wrapper && 'no setpriv' }, async (t) => {
  const pid = await killParent(['ffmpeg', 'auto']);
  await until(() => !alive(pid), `ffmpeg ${pid} gone`);
  t.notOk(alive(pid));
});

t.test(
  'a hung capture child dies with its SIGKILLed parent',
  { skip: !wrapper && 'no setpriv' },
  async (t) => {
    const dir = t.testdir({});
    installFake(dir, 'gst-launch-1.0', { frameBytes: 16, frames: 1, after: 'hang' });
    const pid = await killParent(['hang', 'auto', dir]);
    await until(() => !alive(pid), `fake ${pid} gone`);
    t.notOk(alive(pid));
  },
);

t.test('control: without the death signal the hung child outlives its parent', async (t) => {
  const dir = t.testdir({});
  installFake(dir, 'gst-launch-1.0', { frameBytes: 16, frames: 1, after: 'hang' });
  const pid = await killParent(['hang', 'off', dir]);
  t.teardown(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  // The kernel delivers PDEATHSIG as the parent dies; give a child that had it ample time to go.
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.ok(alive(pid), 'still running: only the death signal protects against this orphan');
});
