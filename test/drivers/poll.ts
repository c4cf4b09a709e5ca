/** Event-loop helpers for driver tests: no fixed sleeps, only a generous give-up bound. */

export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Polls `cond` between event-loop turns; throws (failing the test) if it is not met within 10 s. */
export async function waitFor(cond: () => boolean, what = 'condition'): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (!cond() && Date.now() < giveUp) await tick();
  if (!cond()) throw new Error(`${what} not reached`);
}
