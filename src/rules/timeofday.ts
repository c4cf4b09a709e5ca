/**
 * Time-of-day windows for a rule's `when.between` (issue #9), evaluated on capture time in the
 * host's local time zone (TZ), so a replay of last night's recording behaves as last night did.
 */

/** Minutes since local midnight of a capture time in ns since the epoch. */
export function localMinutes(tNs: bigint): number {
  const d = new Date(Number(tNs / 1_000_000n));
  return d.getHours() * 60 + d.getMinutes() + d.getSeconds() / 60;
}

/** "HH:MM" → minutes since midnight (the schema has checked the format). */
export function parseClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * Whether `minutes` lies in [from, to). A window whose end is before its start wraps midnight
 * ("22:00"–"06:00"); equal ends mean the whole day.
 */
export function inWindow(minutes: number, from: number, to: number): boolean {
  if (from === to) return true;
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}
