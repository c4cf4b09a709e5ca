/**
 * The rule schema (issue #9): one zod schema for what a user writes under `rules:` in the config
 * file and what the `<prefix>/<node>/rules/set` command topic accepts, so both are validated
 * exactly alike. src/config/schema.ts embeds it in the config schema; `checkRuleRefs` is the
 * cross-rule part (duplicate ids, unknown sensors, `when` naming unknown rules) that needs the
 * whole list. Thresholds left out get their defaults here, by score mode.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** The config's id pattern (src/config/schema.ts): an id becomes an MQTT topic level. */
const ruleId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'an id of lower-case letters, digits, "_" or "-" (it becomes an MQTT topic level)',
  );

export const SCORE_MODES = ['softmax', 'cosine', 'zscore'] as const;
export type ScoreMode = (typeof SCORE_MODES)[number];
export const FUSION_MODES = ['any', 'all', 'mean', 'embedding'] as const;
export type FusionMode = (typeof FUSION_MODES)[number];

/** Default thresholds per score mode: probabilities for softmax/cosine, standard deviations for zscore. */
export const DEFAULT_THRESHOLDS: Readonly<Record<ScoreMode, { enter: number; exit: number }>> = {
  softmax: { enter: 0.6, exit: 0.4 },
  cosine: { enter: 0.6, exit: 0.4 },
  zscore: { enter: 4, exit: 2 },
};

const oneOrMore = (what: string) =>
  z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: `expected a ${what} or a list of them`,
  });

const promptObject = z
  .strictObject({
    text: oneOrMore('text')
      .optional()
      .describe('several phrasings of one prompt; their embeddings are averaged (a prompt ensemble)'),
    file: oneOrMore('file path')
      .optional()
      .describe(
        'example files (an image, a recording) embedded by the pack; several are averaged; relative to the config file',
      ),
    modality: z
      .enum(['vision', 'audio', 'depth', 'thermal', 'imu'])
      .optional()
      .describe('how to read the example files (default: .jpg/.jpeg/.png vision, .wav audio)'),
    name: z
      .string()
      .min(1)
      .optional()
      .describe("the prompt's name in events (default: its first text, or its first file's name)"),
  })
  .superRefine((p, ctx) => {
    if ((p.text === undefined) === (p.file === undefined))
      ctx.addIssue({ code: 'custom', message: 'a prompt needs exactly one of "text" or "file"' });
    if (p.modality !== undefined && p.file === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['modality'],
        message: '"modality" applies to "file" prompts only',
      });
  });

export const promptSchema = z
  .union([z.string().min(1), promptObject], {
    error: 'a prompt is a text, {text: [texts…]} or {file: path}',
  })
  .describe('a text, {text: [phrasings…]} (averaged), or {file: example} (an image or recording)');
export type PromptConfig = z.output<typeof promptSchema>;

const seconds = (what: string) => z.number().nonnegative().describe(what);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as "HH:MM" (00:00 to 23:59)');

export const whenSchema = z
  .strictObject({
    between: z
      .tuple([clock, clock])
      .optional()
      .describe('["22:00", "06:00"]: only between these local times (capture time); may wrap midnight'),
    on: z.array(ruleId).default([]).describe('rules that must be on'),
    off: z.array(ruleId).default([]).describe('rules that must be off'),
  })
  .describe('conditions for the rule to turn or stay on, checked at each of its samples');
export type WhenConfig = z.output<typeof whenSchema>;

export const baselineSchema = z
  .strictObject({
    halfLife: z
      .number()
      .positive()
      .default(600)
      .describe('seconds (capture time) after which an old sample weighs half as much'),
    warmup: z.number().int().positive().default(30).describe('samples before a z-score is given'),
    minStd: z
      .number()
      .positive()
      .default(0.02)
      .describe('floor of the standard deviation, in cosine units, so a steady scene does not give huge z'),
  })
  .describe('the running per-sensor background baseline of score: zscore');

const ruleObject = z.strictObject({
  id: ruleId.describe('rule id, unique; used in MQTT topics and Home Assistant entity ids'),
  sensors: z.array(ruleId).min(1).describe('ids of the sensors whose embeddings this rule scores'),
  prompts: z
    .array(promptSchema)
    .min(1)
    .describe('what the rule detects: texts, prompt ensembles or example files'),
  contrast: z.array(promptSchema).default([]).describe('alternatives the prompts are scored against'),
  score: z
    .enum(SCORE_MODES)
    .optional()
    .describe(
      'softmax over prompts and contrast (default with contrast), cosine (default without), or zscore against the background',
    ),
  enter: z
    .number()
    .optional()
    .describe('the rule turns on when the score reaches this (default 0.6; zscore 4)'),
  exit: z
    .number()
    .optional()
    .describe('the rule turns off when the score falls below this (default 0.4; zscore 2)'),
  for: seconds('seconds the rule must be on (by hysteresis) before its start event').default(0),
  cooldown: seconds('seconds after an end before the rule may start again').default(0),
  updateEvery: seconds('seconds between update events while on (0 = no update events)').default(0),
  when: whenSchema.optional(),
  fusion: z
    .enum(FUSION_MODES)
    .default('any')
    .describe(
      'several sensors: any (highest score), all (lowest), mean (weighted), embedding (sum of embeddings)',
    ),
  weights: z
    .record(ruleId, z.number().positive())
    .optional()
    .describe('per-sensor weights for fusion mean and embedding (default 1)'),
  align: z
    .number()
    .positive()
    .default(2)
    .describe("seconds: sensors' samples this close in capture time are fused together"),
  baseline: baselineSchema.optional(),
  priority: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "scheduler weight of the rule's sensors among sensors of the same modality: a sensor gets the highest priority of its rules (default 1)",
    ),
});

type RuleInput = z.output<typeof ruleObject>;

function checkRule(r: RuleInput, ctx: z.RefinementCtx): void {
  const mode = r.score ?? (r.contrast.length > 0 ? 'softmax' : 'cosine');
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (mode === 'softmax' && r.contrast.length === 0)
    issue(
      ['score'],
      'softmax needs contrast prompts to score against; add "contrast" or use cosine or zscore',
    );
  if (mode === 'cosine' && r.contrast.length > 0)
    issue(['contrast'], 'score: cosine does not use contrast prompts; remove them or use softmax or zscore');
  if (mode !== 'zscore') {
    for (const key of ['enter', 'exit'] as const) {
      const v = r[key];
      if (v !== undefined && !(v >= 0 && v <= 1))
        issue([key], `must be between 0 and 1 for score: ${mode}, got ${v}`);
    }
    if (r.baseline !== undefined) issue(['baseline'], 'baseline applies to score: zscore only');
  }
  const { enter, exit } = thresholds(r, mode);
  if (exit > enter) issue(['exit'], 'exit must be <= enter (hysteresis)');
  for (const sensor of Object.keys(r.weights ?? {})) {
    if (!r.sensors.includes(sensor))
      issue(['weights', sensor], `"${sensor}" is not one of this rule's sensors: ${r.sensors.join(', ')}`);
  }
  if (r.weights !== undefined && r.fusion !== 'mean' && r.fusion !== 'embedding')
    issue(['weights'], `weights apply to fusion mean and embedding, not ${r.fusion}`);
  if (new Set(r.sensors).size !== r.sensors.length) issue(['sensors'], 'a sensor is listed twice');
}

function thresholds(r: RuleInput, mode: ScoreMode): { enter: number; exit: number } {
  const d = DEFAULT_THRESHOLDS[mode];
  return { enter: r.enter ?? d.enter, exit: r.exit ?? d.exit };
}

export const ruleSchema = ruleObject.superRefine(checkRule).transform((r) => {
  const score: ScoreMode = r.score ?? (r.contrast.length > 0 ? 'softmax' : 'cosine');
  return { ...r, score, ...thresholds(r, score) };
});
export type RuleConfig = z.output<typeof ruleSchema>;

/**
 * Checks that need the whole rule list: duplicate ids, unknown sensors, `when` naming a rule that
 * does not exist (or the rule itself). `at` prefixes the issue paths (`['rules']` in the config).
 */
export function checkRuleRefs(
  rules: readonly RuleConfig[],
  sensorIds: readonly string[],
  ctx: z.RefinementCtx,
  at: PropertyKey[] = ['rules'],
): void {
  const issue = (path: PropertyKey[], message: string) =>
    ctx.addIssue({ code: 'custom', path: [...at, ...path], message });
  const ruleIds = new Set<string>();
  rules.forEach((r, i) => {
    if (ruleIds.has(r.id)) issue([i, 'id'], `duplicate rule id "${r.id}"`);
    ruleIds.add(r.id);
    r.sensors.forEach((sid, j) => {
      if (!sensorIds.includes(sid))
        issue([i, 'sensors', j], `unknown sensor "${sid}"; configured sensors: ${sensorIds.join(', ')}`);
    });
  });
  rules.forEach((r, i) => {
    for (const key of ['on', 'off'] as const) {
      r.when?.[key].forEach((ref, j) => {
        if (ref === r.id) issue([i, 'when', key, j], 'a rule cannot depend on its own state');
        else if (!ruleIds.has(ref))
          issue([i, 'when', key, j], `unknown rule "${ref}"; rules: ${[...ruleIds].join(', ')}`);
      });
    }
  });
}

/** The rules command's payload as a list of rules, checked against the running sensors. */
export function rulesListSchema(sensorIds: readonly string[]) {
  return z.array(ruleSchema).superRefine((rules, ctx) => checkRuleRefs(rules, sensorIds, ctx, []));
}

/** The rules command's payload as `{rules: [...]}`, checked against the running sensors. */
export function rulesMappingSchema(sensorIds: readonly string[]) {
  return z
    .strictObject({ rules: z.array(ruleSchema).describe('the complete new rule set') })
    .superRefine((u, ctx) => checkRuleRefs(u.rules, sensorIds, ctx));
}

/** Example-file paths of a rule made absolute against `dir` (the config file's folder). */
export function resolveRulePaths(rule: RuleConfig, dir: string): RuleConfig {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  const fix = (p: PromptConfig): PromptConfig =>
    typeof p === 'string' || p.file === undefined
      ? p
      : { ...p, file: typeof p.file === 'string' ? abs(p.file) : p.file.map(abs) };
  return { ...rule, prompts: rule.prompts.map(fix), contrast: rule.contrast.map(fix) };
}
