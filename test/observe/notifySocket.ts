/**
 * A stand-in for systemd's notify socket: an AF_UNIX datagram socket (Node cannot open one, so a
 * few lines of Python 3 do) that records every message. It reads with recv() and no ancillary
 * buffer, so the pipe systemd-notify passes with BARRIER=1 (sd_notify_barrier(3)) is closed by
 * the kernel on receipt, which is what releases the barrier, as the real manager does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RECEIVER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps("LISTENING"), flush=True)
while True:
    print(json.dumps(s.recv(65536).decode("utf-8", "replace")), flush=True)
`;

export interface NotifySocket {
  path: string;
  /** Messages received so far (BARRIER=1 messages left out), in order. */
  messages(): string[];
  close(): void;
}

/** Listens in a short temp folder (an AF_UNIX path has at most 107 bytes), removed in teardown. */
export async function startNotifySocket(t: { teardown(fn: () => unknown): void }): Promise<NotifySocket> {
  const dir = mkdtempSync(join(tmpdir(), 'bs-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'notify.sock');
  const child: ChildProcess = spawn('python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const received: string[] = [];
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const close = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  t.teardown(close);
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.once('error', (e) =>
      reject(new Error(`python3 is needed for the notify-socket stand-in: ${e.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`notify receiver exited ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const msg = JSON.parse(buf.slice(0, nl)) as string;
        buf = buf.slice(nl + 1);
        if (msg === 'LISTENING') resolve();
        else if (msg !== 'BARRIER=1') received.push(msg);
        nl = buf.indexOf('\n');
      }
    });
  });
  return { path, messages: () => [...received], close };
}
