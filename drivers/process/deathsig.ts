/**
 * Children must not outlive the agent, even when the agent is killed with SIGKILL and cannot run
 * its stop(). Linux offers prctl(PR_SET_PDEATHSIG): the kernel signals the child when its parent
 * dies. Node cannot call prctl in the child between fork and exec, so the child is started through
 * util-linux `setpriv --pdeathsig KILL -- <tool> …`, which sets it and then execs the tool (same
 * pid; the setting survives exec for non-setuid programs; setpriv(1), prctl(2)).
 *
 * Fallback when setpriv is missing or too old (--pdeathsig appeared in util-linux 2.33): the child
 * still runs in its own process group, stop() kills that group, and a child writing to the dead
 * agent's stdout pipe dies of SIGPIPE on its next frame; only a child that hangs without writing
 * would be left behind. Known gap: if the agent dies in the microseconds between fork and
 * setpriv's prctl call, the kernel has no parent to watch.
 */
import { execFile } from 'node:child_process';
import { findExecutable } from './tools.js';

/** A command prefix that makes the child die with its parent. */
export interface DeathWrapper {
  command: string;
  args: readonly string[];
}

async function probe(searchPath: string): Promise<DeathWrapper | undefined> {
  if (process.platform !== 'linux') return undefined;
  const setpriv = await findExecutable('setpriv', searchPath);
  if (setpriv === undefined) return undefined;
  const help = await new Promise<string>((resolve) => {
    execFile(setpriv, ['--help'], { timeout: 5000 }, (err, stdout) => resolve(err ? '' : String(stdout)));
  });
  return help.includes('--pdeathsig') ? { command: setpriv, args: ['--pdeathsig', 'KILL', '--'] } : undefined;
}

let cached: Promise<DeathWrapper | undefined> | undefined;

/** setpriv's prefix if this system supports it (probed once per process), else undefined. */
export function deathWrapper(): Promise<DeathWrapper | undefined> {
  cached ??= probe(process.env.PATH ?? '');
  return cached;
}
