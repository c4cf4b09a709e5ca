/**
 * The agent's HTTP server (issue #11), on 127.0.0.1:8080 by default:
 *
 *   GET  /healthz          200 {"status":"healthy",…} or 503 with the reasons (never needs the token)
 *   GET  /metrics          Prometheus text exposition
 *   GET  /                 the live page
 *   GET  /api/state        the page's data (?since=<ms>: score points after that time)
 *   GET  /api/frame/<id>   a sensor's latest frame as PNG/JPEG
 *   POST /api/prompt       {"text", "contrast"?} → the prompt's live score on every sensor
 *
 * With `http.token` set, everything but /healthz needs "Authorization: Bearer <token>" or
 * ?token=<token> (compared in constant time); else 401.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { BindsightError, errorMessage, isBindsightError } from '../errors.js';
import type { HealthReport } from './health.js';
import { PAGE_CSP, PAGE_HTML } from './page/html.js';
import { type PromptScorer, parsePromptRequest } from './prompt.js';
import { type FrameCache, pageState, type StateDeps } from './state.js';

export interface HttpDeps {
  host: string;
  port: number;
  token?: string;
  logger: Logger;
  health: () => HealthReport;
  metrics: Registry;
  state: StateDeps;
  frames: FrameCache;
  prompts: PromptScorer;
}

const MAX_BODY = 16 * 1024;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function sameSecret(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorised(req: IncomingMessage, url: URL, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return sameSecret(header, token) || sameSecret(url.searchParams.get('token'), token);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BindsightError('USAGE', `request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(new BindsightError('USAGE', 'the request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** Status code for an error raised while answering: the caller's fault or ours. */
function errorStatus(err: unknown): number {
  if (!isBindsightError(err)) return 500;
  if (err.code === 'USAGE' || err.code === 'PROMPT_INVALID') return 400;
  if (err.code === 'PACK_INVALID') return 409;
  return 500;
}

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  if (req.method === 'GET' && path === '/healthz') {
    const report = deps.health();
    return json(res, report.status === 'healthy' ? 200 : 503, report);
  }
  if (!authorised(req, url, deps.token)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="bindsight"');
    return json(res, 401, {
      error: 'this needs the token: "Authorization: Bearer <token>" or ?token=<token>',
    });
  }
  if (req.method === 'GET' && path === '/metrics') {
    return send(res, 200, deps.metrics.contentType, await deps.metrics.metrics());
  }
  if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
  }
  if (req.method === 'GET' && path === '/api/state') {
    const since = Number(url.searchParams.get('since') ?? 0);
    return json(res, 200, await pageState(deps.state, Number.isFinite(since) ? since : 0));
  }
  const frame = /^\/api\/frame\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && frame) {
    const rendered = deps.frames.get(decodeURIComponent(frame[1]));
    if (!rendered) return json(res, 404, { error: `sensor "${frame[1]}" has no frame yet` });
    const image = await rendered;
    return send(res, 200, image.contentType, image.body);
  }
  if (path === '/api/prompt') {
    if (req.method !== 'POST') return json(res, 405, { error: 'POST {"text": "…", "contrast": ["…"]}' });
    return json(res, 200, await deps.prompts.score(parsePromptRequest(await readBody(req))));
  }
  return json(res, 404, { error: `no such page: ${req.method} ${path}` });
}

export interface HttpServer {
  /** The address it listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  close(): Promise<void>;
}

/** Starts listening; rejects with USAGE naming the address if it cannot (in use, not permitted). */
export function startHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const log = deps.logger.child({ ns: 'bindsight:http' });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    route(deps, req, res, url).catch((err: unknown) => {
      const status = errorStatus(err);
      if (status >= 500) log.warn({ path: url.pathname, error: errorMessage(err) }, 'HTTP request failed');
      if (!res.headersSent) json(res, status, { error: errorMessage(err) });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE' ? 'address in use' : err.code === 'EACCES' ? 'not permitted' : err.message;
      reject(
        new BindsightError(
          'USAGE',
          `cannot listen on ${deps.host}:${deps.port}: ${why}; set http.port (0 = any free port) or http.enabled: false`,
          {
            host: deps.host,
            port: deps.port,
          },
        ),
      );
    });
    server.listen({ host: deps.host, port: deps.port }, () => {
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
