/**
 * One rule's on/off state machine (issue #9), on capture time so a replay at any speed gives the
 * same events:
 *
 *   off ──score ≥ enter, cooldown over──▶ pending ──held `for`──▶ on ──score < exit──▶ off
 *                                            │ score < exit                      (cooldown starts)
 *                                            ▼
 *                                           off
 *
 * - Hysteresis: on at `enter`, off below `exit`; a score between them keeps the current state,
 *   so noise around one threshold does not flap.
 * - `for`: the hysteresis signal must hold for `for` ns before `start` (episodes shorter than
 *   that are never reported). Counted from the first sample at or above `enter` to the first
 *   sample at least `for` later, both capture times.
 * - `cooldown`: after an `end`, no new episode may begin (not even pending) until `cooldown`
 *   ns later; a sample exactly `cooldown` after the end may start one.
 * - `update`: while on, at most one `update` per `updateNs`, carrying the best reading since the
 *   last event.
 * A reading without a value (fusion incomplete) or not `allowed` (`when` false) counts as below
 * `exit`.
 */

export interface EpisodeOptions {
  enter: number;
  exit: number;
  forNs: bigint;
  cooldownNs: bigint;
  /** 0 = no update events. */
  updateNs: bigint;
}

export interface Reading<I> {
  /** In threshold units (a probability, a cosine, or a z-score); undefined = no decision possible. */
  value: number | undefined;
  /** The 0–1 score shown on the wire. */
  score: number;
  info: I;
}

export type EpisodeStep<I> =
  | { type: 'start'; reading: Reading<I> }
  | { type: 'update'; reading: Reading<I> }
  | { type: 'end'; reading: Reading<I>; peak: number; durationNs: bigint };

type Phase = 'off' | 'pending' | 'on';

export class Episode<I> {
  readonly #o: EpisodeOptions;
  #phase: Phase = 'off';
  #since = 0n;
  #startedAt = 0n;
  #lastEventAt = 0n;
  #cooldownUntil: bigint | undefined;
  #peak = 0;
  #best: Reading<I> | undefined;

  constructor(options: EpisodeOptions) {
    this.#o = options;
  }

  /** On (an episode has started and not ended). */
  get on(): boolean {
    return this.#phase === 'on';
  }

  /** On or pending: the background baseline is frozen. */
  get active(): boolean {
    return this.#phase !== 'off';
  }

  step(now: bigint, r: Reading<I>, allowed = true): EpisodeStep<I> | undefined {
    const high = allowed && r.value !== undefined && r.value >= this.#o.enter;
    const low = !allowed || r.value === undefined || r.value < this.#o.exit;
    if (this.#phase === 'off') {
      if (!high || (this.#cooldownUntil !== undefined && now < this.#cooldownUntil)) return undefined;
      this.#phase = 'pending';
      this.#since = now;
    }
    if (this.#phase === 'pending') {
      if (low) {
        this.#phase = 'off';
        return undefined;
      }
      if (now - this.#since < this.#o.forNs) return undefined;
      this.#phase = 'on';
      this.#startedAt = now;
      this.#lastEventAt = now;
      this.#peak = r.score;
      this.#best = undefined;
      return { type: 'start', reading: r };
    }
    if (low) return this.end(now, r);
    this.#peak = Math.max(this.#peak, r.score);
    if (this.#best === undefined || r.score > this.#best.score) this.#best = r;
    if (this.#o.updateNs > 0n && now - this.#lastEventAt >= this.#o.updateNs) {
      const best = this.#best;
      this.#lastEventAt = now;
      this.#best = undefined;
      return { type: 'update', reading: best };
    }
    return undefined;
  }

  /** Ends an active episode now (also used when its rule is removed or changed); undefined if off. */
  end(now: bigint, r: Reading<I>): EpisodeStep<I> | undefined {
    const wasOn = this.#phase === 'on';
    this.#phase = 'off';
    if (!wasOn) return undefined;
    this.#cooldownUntil = now + this.#o.cooldownNs;
    const durationNs = now > this.#startedAt ? now - this.#startedAt : 0n;
    return { type: 'end', reading: r, peak: Math.max(this.#peak, r.score), durationNs };
  }
}
