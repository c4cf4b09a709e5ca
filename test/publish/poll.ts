/**
 * Waits for a condition that has no event to wait on (the publisher's stats). Polls; never
 * asserts on time. A condition that never holds fails by the test's timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}
