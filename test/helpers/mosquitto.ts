/**
 * A real Mosquitto broker for tests, on a free loopback port, in its own temp folder and
 * process group. The binary is required (CI installs it), so a missing binary fails the test
 * with the install command rather than skipping it.
 *
 *   const broker = await startMosquitto(t);                          // anonymous
 *   const secured = await startMosquitto(t, { users: { bob: 's3cret' } }); // password file
 *   const durable = await startMosquitto(t, { persistence: true });  // sessions survive restart()
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const INSTALL_HINT =
  'install it with `apt-get install -y mosquitto` (or set BINDSIGHT_MOSQUITTO to the binary)';

/** What startMosquitto needs from a tap test: somewhere to register cleanup. */
export interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * Runs as `sh -c WATCHDOG <mosquitto> <conf>`: the shell becomes mosquitto (exec, same pid), and a
 * background reader of our stdin pipe stops it when that pipe closes, i.e. when the test process
 * dies without its teardown (a tap timeout, a crash), so no broker outlives its test.
 */
// A background list's stdin is /dev/null unless redirected explicitly, hence the copy on fd 3.
const WATCHDOG =
  'exec 3<&0; (cat <&3 >/dev/null; kill -TERM $$ 2>/dev/null) & exec "$0" -c "$1" </dev/null 3<&-';

export interface MosquittoOptions {
  /** Username → password. Anonymous clients are then refused (CONNACK "not authorized"). */
  users?: Readonly<Record<string, string>>;
  /** Keep sessions and retained messages across restart() (saved on SIGTERM). Default off. */
  persistence?: boolean;
}

export interface Mosquitto {
  url: string;
  host: string;
  port: number;
  /** Terminates the broker (SIGTERM to its process group) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** stop(), then start again on the same port and wait until it accepts connections. */
  restart(): Promise<void>;
  /** The last lines the broker logged, for failure messages. */
  log(): string;
}

export function findMosquitto(): string | undefined {
  const fromEnv = process.env.BINDSIGHT_MOSQUITTO;
  return fromEnv && isExecutable(fromEnv) ? fromEnv : findBinary('mosquitto');
}

/** PATH first, then the sbin folders that a non-root PATH often lacks (Debian installs mosquitto there). */
function findBinary(name: string): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/bin',
  ];
  return dirs.map((d) => join(d, name)).find(isExecutable);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function startMosquitto(t?: Teardown, opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = findMosquitto();
  if (!bin) throw new Error(`mosquitto binary not found in PATH or /usr/sbin; ${INSTALL_HINT}`);
  const dir = await mkdtemp(join(tmpdir(), 'bindsight-mosquitto-'));
  // Mosquitto started as root drops to the "mosquitto" user, which cannot read a 0700 temp dir.
  await chmod(dir, 0o755);
  const port = await freePort(HOST);
  const confPath = join(dir, 'mosquitto.conf');
  await writeFile(confPath, await buildConf(dir, port, opts));

  let child: ChildProcess | undefined;
  let logTail = '';
  const appendLog = (chunk: Buffer): void => {
    logTail = (logTail + chunk.toString('utf8')).slice(-4096);
  };

  const launch = async (): Promise<void> => {
    const proc = spawn('/bin/sh', ['-c', WATCHDOG, bin, confPath], {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    child = proc;
    proc.stderr?.on('data', appendLog);
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    await waitUntilListening(proc, port, () => logTail);
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    killGroup(proc, 'SIGTERM');
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  const broker: Mosquitto = {
    url: `mqtt://${HOST}:${port}`,
    host: HOST,
    port,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    log: () => logTail,
  };
  t?.teardown(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });
  return broker;
}

async function buildConf(dir: string, port: number, opts: MosquittoOptions): Promise<string> {
  const lines = [`listener ${port} ${HOST}`, 'log_dest stderr', 'log_type error', 'log_type warning'];
  // As root, stay root: the temp files belong to root (mosquitto.conf(5) "user").
  if (process.getuid?.() === 0) lines.push('user root');
  if (opts.users && Object.keys(opts.users).length > 0) {
    const passwd = join(dir, 'passwd');
    await writePasswordFile(passwd, opts.users);
    lines.push('allow_anonymous false', `password_file ${passwd}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (opts.persistence) lines.push('persistence true', `persistence_location ${dir}/`, 'autosave_interval 0');
  else lines.push('persistence false');
  return `${lines.join('\n')}\n`;
}

async function writePasswordFile(path: string, users: Readonly<Record<string, string>>): Promise<void> {
  const bin = findBinary('mosquitto_passwd');
  if (!bin) throw new Error(`mosquitto_passwd not found in PATH; ${INSTALL_HINT}`);
  const run = promisify(execFile);
  let first = true;
  for (const [user, password] of Object.entries(users)) {
    const args = first ? ['-c', '-b', path, user, password] : ['-b', path, user, password];
    try {
      await run(bin, args);
    } catch (err) {
      throw new Error(`mosquitto_passwd failed (${(err as Error).message}); ${INSTALL_HINT}`);
    }
    first = false;
  }
  await chmod(path, 0o600);
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Resolves once the port accepts a TCP connection; rejects if the broker exits first. */
function waitUntilListening(proc: ChildProcess, port: number, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      proc.removeListener('exit', onExit);
      if (err) {
        killGroup(proc, 'SIGKILL');
        reject(err);
      } else resolve();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(
        new Error(`mosquitto exited (code ${code}, signal ${signal}) before listening on ${port}:\n${log()}`),
      );
    proc.once('exit', onExit);
    proc.once('error', (err) => finish(new Error(`cannot start mosquitto: ${err.message}; ${INSTALL_HINT}`)));
    const deadline = setTimeout(
      () =>
        finish(
          new Error(`mosquitto did not listen on ${HOST}:${port} within ${READY_TIMEOUT_MS} ms:\n${log()}`),
        ),
      READY_TIMEOUT_MS,
    );
    const probe = (): void => {
      if (done) return;
      const socket = connect({ host: HOST, port });
      socket.once('connect', () => {
        socket.destroy();
        finish();
      });
      socket.once('error', () => {
        socket.destroy();
        setTimeout(probe, 20);
      });
    };
    probe();
  });
}
