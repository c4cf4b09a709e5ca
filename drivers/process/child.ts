/**
 * One capture child process: spawned detached (its own session and process group, so a signal
 * reaches the tool and anything it forks), optionally behind the death wrapper (./deathsig.ts),
 * stdout handed to the caller chunk by chunk, stderr kept as a 4 kB tail.
 *
 * `closed` resolves once the process has exited and its pipes are closed (or at once if it could
 * not be spawned); it never rejects. When the leader exits, the rest of its group is killed, so a
 * grandchild holding stdout open cannot keep `closed` pending.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { DeathWrapper } from './deathsig.js';
import { ByteTail } from './tail.js';

/** child_process.spawn's shape; injected so tests and embedders choose how processes start (style.md §1). */
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT, EACCES, …). */
  error?: Error;
}

export interface LaunchOptions {
  spawn: SpawnFn;
  /** Absolute path of the tool. */
  command: string;
  args: readonly string[];
  wrapper?: DeathWrapper;
  onStdout(chunk: Buffer): void;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export class ChildRun {
  readonly pid: number | undefined;
  readonly closed: Promise<ChildExit>;
  readonly #tail = new ByteTail();
  #exited = false;

  constructor(options: LaunchOptions) {
    const { wrapper } = options;
    const command = wrapper ? wrapper.command : options.command;
    const args = wrapper ? [...wrapper.args, options.command, ...options.args] : [...options.args];
    const child = options.spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = child.pid;
    child.stdout?.on('data', options.onStdout);
    child.stderr?.on('data', (chunk: Buffer) => this.#tail.push(chunk));
    this.closed = new Promise<ChildExit>((resolve) => {
      child.once('error', (error) => {
        // Without a pid the process never ran, and 'close' may never come.
        if (child.pid === undefined) {
          this.#exited = true;
          resolve({ code: null, signal: null, error });
        }
      });
      child.once('exit', () => {
        this.#exited = true;
        killGroup(this.pid, 'SIGKILL');
      });
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal }));
    });
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** The last 4 kB the tool wrote to stderr. */
  stderr(): string {
    return this.#tail.text();
  }

  /** Signals the whole process group. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.#exited) killGroup(this.pid, signal);
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the process is gone. */
  async terminate(graceMs: number): Promise<ChildExit> {
    this.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.closed, escalate]);
    clearTimeout(timer);
    return this.closed;
  }
}
