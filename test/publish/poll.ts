/**
 * Waiting in wire tests. Nothing here asserts on time: the deadline only turns a hang (a
 * message that never comes, a promise that never settles) into a prompt failure that says what
 * was awaited, so teardown runs and the file ends instead of sitting out tap's file timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export const HANG_MS = 10_000;

/** Resolves with p, or rejects if it has not settled after HANG_MS. */
export function within<T>(p: Promise<T>, what: string, detail: () => string = () => ''): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const more = detail();
      reject(new Error(`still waiting after ${HANG_MS} ms for ${what}${more ? `; ${more}` : ''}`));
    }, HANG_MS);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Polls a condition that has no event to wait on (the publisher's stats). */
export async function until(condition: () => boolean, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + HANG_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${HANG_MS} ms for ${what}`);
    await sleep(10);
  }
}
