/**
 * TLS fixtures for tls.test.ts: certificates made with openssl in the test's folder (a CA, a
 * broker certificate for 127.0.0.1 signed by it, a client certificate signed by it, and an
 * unrelated CA), and a Mosquitto with a TLS listener that requires a client certificate
 * (mosquitto.conf(5): cafile, certfile, keyfile, require_certificate), optionally with a password
 * file. Same process handling as test/helpers/mosquitto.ts: own process group, stopped in teardown
 * and when the test process dies.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Teardown } from '../helpers/mosquitto.js';
import { findMosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';

const run = promisify(execFile);
const HOST = '127.0.0.1';
const WATCHDOG =
  'exec 3<&0; (cat <&3 >/dev/null; kill -TERM $$ 2>/dev/null) & exec "$0" -c "$1" </dev/null 3<&-';

export interface Certs {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing the broker uses. */
  otherCa: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (err) {
    throw new Error(
      `openssl ${args[0]} failed (${(err as Error).message}); install openssl (apt-get install openssl)`,
    );
  }
}

/** A self-signed CA, and certificates signed by it; P-256 keys (fast to make). */
export async function makeCerts(dir: string): Promise<Certs> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const name of ['ca', 'other-ca']) {
    await openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=bindsight test ${name}`,
    ]);
  }
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await writeFile(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', '127.0.0.1'],
    ['client', 'bindsight-client'],
  ]) {
    await openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ]);
  }
  const p = (f: string) => join(dir, f);
  return {
    dir,
    ca: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    otherCa: p('other-ca.crt'),
  };
}

export interface TlsBroker {
  url: string;
  port: number;
  log(): string;
}

/** Mosquitto with one TLS listener on 127.0.0.1 requiring a client certificate. */
export async function startTlsMosquitto(
  t: Teardown,
  certs: Certs,
  opts: { users?: Record<string, string> } = {},
): Promise<TlsBroker> {
  const bin = findMosquitto();
  if (!bin) throw new Error('mosquitto not found; apt-get install -y mosquitto');
  await chmod(certs.dir, 0o755);
  const port = await freePort(HOST);
  const lines = [
    `listener ${port} ${HOST}`,
    `cafile ${certs.ca}`,
    `certfile ${certs.serverCert}`,
    `keyfile ${certs.serverKey}`,
    'require_certificate true',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'persistence false',
  ];
  if (process.getuid?.() === 0) lines.push('user root');
  if (opts.users) {
    const passwd = join(certs.dir, 'passwd');
    let first = true;
    for (const [user, password] of Object.entries(opts.users)) {
      await run('mosquitto_passwd', [...(first ? ['-c'] : []), '-b', passwd, user, password]);
      first = false;
    }
    lines.push('allow_anonymous false', `password_file ${passwd}`);
  } else lines.push('allow_anonymous true');
  const conf = join(certs.dir, 'mosquitto.conf');
  await writeFile(conf, `${lines.join('\n')}\n`);
  let logTail = '';
  const proc = spawn('/bin/sh', ['-c', WATCHDOG, bin, conf], {
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (d: Buffer) => {
    logTail = (logTail + d.toString()).slice(-4096);
  });
  t.teardown(() => stop(proc));
  await listening(proc, port, () => logTail);
  return { url: `mqtts://${HOST}:${port}`, port, log: () => logTail };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  try {
    process.kill(-proc.pid, 'SIGTERM');
  } catch {
    return;
  }
  await exited;
}

function listening(proc: ChildProcess, port: number, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const onExit = () => reject(new Error(`mosquitto exited before listening on ${port}:\n${log()}`));
    proc.once('exit', onExit);
    const probe = (): void => {
      const s = connect({ host: HOST, port });
      s.once('connect', () => {
        s.destroy();
        proc.removeListener('exit', onExit);
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`mosquitto did not listen on ${port}:\n${log()}`));
        else setTimeout(probe, 20);
      });
    };
    probe();
  });
}
