/**
 * The event published on `<prefix>/<node>/events` (DESIGN.md "MQTT contract"): one zod schema
 * that gives the type, validates what we send, and lets subscribers and tests validate what
 * they receive. Scores are full precision in memory and rounded to 4 decimals on the wire.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const EVENT_TYPES = ['start', 'update', 'end'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Decimals of a score on the wire (events and the score topic). */
export const SCORE_DECIMALS = 4;

export const eventSchema = z.strictObject({
  id: z
    .uuid({ version: 'v4' })
    .describe('unique per event; subscribers may de-duplicate on it (QoS 1 is at least once)'),
  episode: z
    .uuid({ version: 'v4' })
    .optional()
    .describe("shared by one episode's start, update and end events (the agent always sets it)"),
  node: z.string().min(1).describe('node id from the config'),
  rule: z.string().min(1).describe('rule id from the config'),
  prompt: z.string().min(1).describe("the rule's prompt that matched best"),
  type: z.enum(EVENT_TYPES),
  score: z.number().min(0).max(1).describe('probability of the prompts against the contrast prompts'),
  z: z.number().optional().describe('the z-score against the background, for rules with score: zscore'),
  sensors: z.array(z.string().min(1)).min(1).describe('sensor ids that contributed'),
  modality: z
    .array(z.string().min(1))
    .min(1)
    .describe('their modalities (vision, audio, depth, thermal, imu)'),
  time: z.iso.datetime().describe('ISO 8601 UTC capture time of the sample that caused the event'),
  model: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+$/, 'the model pack as name@version')
    .describe('model pack name@version'),
  duration_s: z
    .number()
    .nonnegative()
    .optional()
    .describe('end events only: seconds from start to end (capture time)'),
  peak: z.number().min(0).max(1).optional().describe('end events only: the highest score of the episode'),
});

export type BindsightEvent = z.output<typeof eventSchema>;

/** What the agent knows when a rule changes state; createEvent adds the id and formats the time. */
export interface EventInput {
  node: string;
  rule: string;
  prompt: string;
  type: EventType;
  score: number;
  sensors: readonly string[];
  modality: readonly string[];
  /** Capture time of the sample that caused the event, nanoseconds since the Unix epoch. */
  t: bigint;
  /** Model pack as name@version. */
  model: string;
  /** Episode id shared by a rule's start, update and end (issue #9). */
  episode?: string;
  z?: number;
  /** end only. */
  durationS?: number;
  peak?: number;
}

export function roundScore(score: number): number {
  const f = 10 ** SCORE_DECIMALS;
  return Math.round(score * f) / f;
}

/** Nanoseconds since the epoch → ISO 8601 UTC with milliseconds. */
export function isoFromNs(t: bigint): string {
  return new Date(Number(t / 1_000_000n)).toISOString();
}

/** Builds and validates an event; an invalid one is a programming error and throws a RangeError naming the fields. */
export function createEvent(input: EventInput, uuid: () => string = randomUUID): BindsightEvent {
  return checkEvent({
    id: uuid(),
    ...(input.episode === undefined ? {} : { episode: input.episode }),
    node: input.node,
    rule: input.rule,
    prompt: input.prompt,
    type: input.type,
    score: input.score,
    ...(input.z === undefined ? {} : { z: input.z }),
    sensors: [...input.sensors],
    modality: [...input.modality],
    time: isoFromNs(input.t),
    model: input.model,
    ...(input.durationS === undefined ? {} : { duration_s: input.durationS }),
    ...(input.peak === undefined ? {} : { peak: input.peak }),
  });
}

/** The wire form: schema key order, score and peak rounded to 4 decimals, z and duration_s to 3. */
export function encodeEvent(e: BindsightEvent): string {
  const checked = checkEvent(e);
  const round3 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 1000) / 1000);
  return JSON.stringify({
    ...checked,
    score: roundScore(checked.score),
    z: round3(checked.z),
    duration_s: round3(checked.duration_s),
    peak: checked.peak === undefined ? undefined : roundScore(checked.peak),
  });
}

/** Parses a payload received on the events topic; throws a RangeError listing every issue. */
export function decodeEvent(text: string): BindsightEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RangeError(`event payload is not JSON (${(err as Error).message}): ${text.slice(0, 80)}`);
  }
  return checkEvent(json);
}

function checkEvent(value: unknown): BindsightEvent {
  const parsed = eventSchema.safeParse(value);
  if (parsed.success) {
    const e = parsed.data;
    const misplaced = (['duration_s', 'peak'] as const).filter((k) => e[k] !== undefined && e.type !== 'end');
    if (misplaced.length === 0) return e;
    throw new RangeError(
      `invalid event: ${misplaced.map((k) => `${k}: only end events carry it`).join('; ')}`,
    );
  }
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
  throw new RangeError(`invalid event: ${issues}`);
}

/**
 * One readable console line:
 * `2026-11-29T10:01:31.123Z START  person  score 0.91  thermal0 (thermal)  "a person"`; an end event
 * adds `  (12.5 s, peak 0.99)`.
 */
export function formatEventLine(e: BindsightEvent): string {
  const type = e.type.toUpperCase().padEnd(6);
  const sensors = `${e.sensors.join(', ')} (${e.modality.join(', ')})`;
  const line = `${e.time} ${type} ${e.rule}  score ${e.score.toFixed(2)}  ${sensors}  ${JSON.stringify(e.prompt)}`;
  if (e.duration_s === undefined) return line;
  return `${line}  (${e.duration_s.toFixed(1)} s, peak ${(e.peak ?? e.score).toFixed(2)})`;
}
