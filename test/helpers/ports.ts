/**
 * A free loopback TCP port, for servers that cannot listen on port 0 themselves (mosquitto).
 * The port is found by binding 127.0.0.1:0 and closing again; another process could take it in
 * between, which is the accepted price for not hard-coding port tables.
 */
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`freePort: unexpected address ${String(address)} for ${host}:0`));
        return;
      }
      server.close((err) => (err ? reject(err) : resolve(address.port)));
    });
  });
}
