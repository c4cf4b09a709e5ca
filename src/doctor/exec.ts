/**
 * Runs the listing tools the doctor asks (`i2cdetect`, `arecord -l`), injected so tests replay
 * recorded outputs (style.md §7). A missing program is an answer ("not installed"), not an error.
 */
import { execFile } from 'node:child_process';

export type RunResult =
  | { status: 'ok'; stdout: string }
  | { status: 'missing' }
  | { status: 'failed'; code: number | string; stderr: string };

export type RunCommand = (command: string, args: readonly string[]) => Promise<RunResult>;

/** Runs a program with a 10 s limit and no shell. */
export const runCommand: RunCommand = (command, args) =>
  new Promise((resolve) => {
    execFile(command, [...args], { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err === null) {
        resolve({ status: 'ok', stdout });
        return;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') resolve({ status: 'missing' });
      else resolve({ status: 'failed', code: code ?? 'error', stderr: (stderr || err.message).trim() });
    });
  });
