/**
 * A TCP proxy between the publisher and a real broker, to break the connection the way a
 * network does: cut() destroys both sides of every connection (the broker sees the socket die
 * without DISCONNECT and publishes the last will), refuse() stops listening (reconnects get
 * ECONNREFUSED, like a broker that is down) and accept() listens again on the same port.
 * blackhole() silently discards what open connections carry from then on, in both directions
 * (a dead network path that TCP has not noticed yet): writes succeed, PUBACKs never come.
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import type { Teardown } from '../helpers/mosquitto.js';

export interface TcpProxy {
  readonly url: string;
  readonly port: number;
  /** Connections currently open through the proxy. */
  readonly open: number;
  cut(): void;
  blackhole(): void;
  refuse(): Promise<void>;
  accept(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(t: Teardown, target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const holes = new WeakSet<Socket>();
  let port = 0;
  let server: Server | undefined;

  const listen = async (): Promise<void> => {
    const s = createServer((client) => {
      const upstream = netConnect(target);
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      const end = (): void => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.on('data', (d: Buffer) => holes.has(client) || upstream.write(d));
      upstream.on('data', (d: Buffer) => holes.has(client) || client.write(d));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen({ host: '127.0.0.1', port }, () => resolve());
    });
    const address = s.address();
    if (address === null || typeof address === 'string') throw new Error('proxy: no port');
    port = address.port;
    server = s;
  };

  const cut = (): void => {
    for (const [a, b] of [...pairs]) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };

  const refuse = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  const proxy: TcpProxy = {
    get url() {
      return `mqtt://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get open() {
      return pairs.size;
    },
    cut,
    blackhole: () => {
      for (const [client] of pairs) holes.add(client);
    },
    refuse: async () => {
      const closing = refuse();
      cut();
      await closing;
    },
    accept: () => (server ? Promise.resolve() : listen()),
    close: async () => {
      const closing = refuse();
      cut();
      await closing;
    },
  };
  t.teardown(proxy.close);
  return proxy;
}
