/**
 * systemd's notify protocol (sd_notify(3)) for Type=notify: READY=1, WATCHDOG=1, STOPPING=1,
 * STATUS=… as datagrams on the AF_UNIX socket in $NOTIFY_SOCKET.
 *
 * Node has no AF_UNIX datagram sockets (dgram is UDP only, net is stream only) and bindsight
 * takes no native addon for it (zigbee2mqtt uses the optional native `unix-dgram`), so each
 * message is sent by running systemd's own `systemd-notify VAR=VALUE…`. That needs
 * NotifyAccess=all in the unit, since the sender is a child process. systemd-notify (systemd
 * ≥ 246) then waits on a barrier (sd_notify_barrier(3)) until the manager has processed the
 * message, so the message is attributed to the service before the child exits; older systemd
 * can lose a message from a child that already exited (systemd-notify(1), "--pid").
 *
 * Messages are sent one at a time, in order; a message identical to one still waiting is not
 * queued twice (watchdog pings pile up on a busy loop). Without $NOTIFY_SOCKET it does nothing.
 */
import { type ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import type { Logger } from 'pino';

type Env = Readonly<Record<string, string | undefined>>;
export type SpawnNotify = (command: string, args: readonly string[]) => ChildProcess;

export interface SdNotifyOptions {
  env?: Env;
  logger: Logger;
  /** Default: spawn systemd-notify with the agent's environment. */
  spawn?: SpawnNotify;
  /** Default "systemd-notify". */
  binary?: string;
  /** A systemd-notify that has not exited after this long is killed (default 10 s; its barrier waits 5 s). */
  timeoutMs?: number;
}

export interface SdNotifyStats {
  sent: number;
  failed: number;
}

/**
 * The watchdog period systemd expects, ms, or undefined when it is off: WATCHDOG_USEC, which
 * applies to this process unless WATCHDOG_PID names another one (sd_watchdog_enabled(3)).
 */
export function watchdogPeriodMs(env: Env = process.env, pid: number = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return usec / 1000;
}

export class SdNotify {
  readonly enabled: boolean;
  readonly #log: Logger;
  readonly #spawn: SpawnNotify;
  readonly #binary: string;
  readonly #timeoutMs: number;
  readonly #waiting = new Set<string>();
  #chain: Promise<void> = Promise.resolve();
  #failing = false;
  #n: SdNotifyStats = { sent: 0, failed: 0 };

  constructor(opts: SdNotifyOptions) {
    const env = opts.env ?? process.env;
    this.enabled = Boolean(env.NOTIFY_SOCKET);
    this.#log = opts.logger.child({ ns: 'bindsight:sd-notify' });
    this.#binary = opts.binary ?? 'systemd-notify';
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#spawn =
      opts.spawn ??
      ((command, args) =>
        nodeSpawn(command, [...args], { env: { ...env }, stdio: ['ignore', 'ignore', 'pipe'] }));
  }

  /** Sends `fields` as one message (e.g. {READY: '1', STATUS: 'running'}); resolves false if it failed. */
  notify(fields: Readonly<Record<string, string>>): Promise<boolean> {
    if (!this.enabled) return Promise.resolve(false);
    // One field per line: a newline inside a value would start a new assignment (sd_notify(3)).
    const args = Object.entries(fields).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`);
    const key = args.join('\n');
    if (this.#waiting.has(key)) return Promise.resolve(true);
    this.#waiting.add(key);
    const result = this.#chain.then(() => {
      this.#waiting.delete(key);
      return this.#send(args);
    });
    this.#chain = result.then(() => undefined);
    return result;
  }

  stats(): SdNotifyStats {
    return { ...this.#n };
  }

  /** Resolves when every queued message has been sent (or has failed). */
  flush(): Promise<void> {
    return this.#chain;
  }

  #send(args: string[]): Promise<boolean> {
    return new Promise((resolve) => {
      let stderr = '';
      let done = false;
      const finish = (ok: boolean, why?: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#record(ok, args, why);
        resolve(ok);
      };
      let child: ChildProcess;
      try {
        child = this.#spawn(this.#binary, args);
      } catch (err) {
        finish(false, (err as Error).message);
        return;
      }
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(false, `no exit after ${this.#timeoutMs} ms`);
      }, this.#timeoutMs);
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-1000);
      });
      child.on('error', (err: NodeJS.ErrnoException) =>
        finish(
          false,
          err.code === 'ENOENT'
            ? `${this.#binary} not found; it comes with systemd (Debian/Ubuntu package "systemd")`
            : err.message,
        ),
      );
      child.on('close', (code, signal) =>
        finish(
          code === 0,
          code === 0 ? undefined : `${this.#binary} exited ${code ?? signal}: ${stderr.trim()}`,
        ),
      );
    });
  }

  /** Counts, and logs once per change between working and failing (not once per watchdog ping). */
  #record(ok: boolean, args: string[], why?: string): void {
    if (ok) this.#n.sent++;
    else this.#n.failed++;
    if (!ok && !this.#failing) this.#log.warn({ message: args, error: why }, 'cannot notify systemd');
    if (ok && this.#failing) this.#log.info({ message: args }, 'notifying systemd works again');
    this.#failing = !ok;
  }
}
