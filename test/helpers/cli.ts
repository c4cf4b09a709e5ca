/**
 * Runs the real CLI (src/cli.ts through tsx) as a child process, as a user would.
 * The child is killed in teardown if a test leaves it running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'src', 'cli.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<CliResult>;
}

/**
 * Unless the test chooses a state directory, each run gets its own (outbox, prompt cache),
 * removed when the child exits: runs never share or leave state in the real home directory.
 */
function isolatedState(env: NodeJS.ProcessEnv | undefined): { env: NodeJS.ProcessEnv; cleanup: () => void } {
  if (env?.XDG_STATE_HOME || env?.STATE_DIRECTORY) return { env: {}, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'bindsight-cli-'));
  return {
    env: { XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache') },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function startCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunningCli {
  const state = isolatedState(opts.env);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, ...state.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      state.cleanup();
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return { child, stdout: () => out, stderr: () => err, done };
}

export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const running = startCli(args, opts);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  return running.done.finally(() => clearTimeout(timer));
}
