/** Shared by the observe tests: polling without fixed sleeps, and small HTTP calls. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `probe` every 50 ms until it returns a value; throws after `giveUpMs` naming `what`. */
export async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  giveUpMs = 20_000,
): Promise<T> {
  const end = Date.now() + giveUpMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what} after ${giveUpMs} ms`);
    await sleep(50);
  }
}

export interface Reply {
  status: number;
  type: string;
  text: string;
  body: Buffer;
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: body.toString('utf8'),
    body,
  };
}

export async function post(
  url: string,
  value: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(value),
  });
  const body = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: body.toString('utf8'),
    body,
  };
}
