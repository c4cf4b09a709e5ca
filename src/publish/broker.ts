/**
 * The embedded broker (`mqtt.url: embedded`): aedes behind a plain TCP server, so the demo
 * and small installs need no Mosquitto. Port 0 picks a free port; the returned url is what
 * the Publisher (and any local subscriber) connects to.
 */
import { createServer, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { BindsightError } from '../errors.js';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
}

export interface EmbeddedBroker {
  /** mqtt://host:port, with a wildcard listen address replaced by loopback. */
  url: string;
  port: number;
  /** Closes every client connection and the listening socket. Idempotent. */
  close(): Promise<void>;
}

const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'no such local address',
};

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: opts.host, port: opts.port, exclusive: true }, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw listenError(err, opts);
  }

  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new BindsightError(
      'BROKER_UNREACHABLE',
      `embedded broker: unexpected listen address ${String(address)}`,
    );
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // Sockets that never sent CONNECT are not aedes clients; close them too so server.close() returns.
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return closing;
  };

  return { url: `mqtt://${urlHost(opts.host)}:${address.port}`, port: address.port, close };
}

function listenError(err: unknown, opts: EmbeddedBrokerOptions): BindsightError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const reason = LISTEN_ERRORS[code] ?? (err as Error).message;
  return new BindsightError(
    'BROKER_UNREACHABLE',
    `cannot listen on ${opts.host}:${opts.port}: ${reason}; set mqtt.embedded.port or mqtt.url`,
    { host: opts.host, port: opts.port, errno: code },
    { cause: err },
  );
}

/** Where a local client connects to reach a server listening on `host`. */
function urlHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
