/**
 * The rules command (issue #9): a YAML or JSON payload on `<prefix>/<node>/rules/set` holding the
 * complete new rule set, as a list of rules or as `{rules: [...]}`. It is validated by the same
 * schema as the config file (src/rules/config.ts), including the sensor and `when` references,
 * and every problem is located as `rules/set:line:col: path: message`, like a config error.
 * `${VAR}` is not substituted: a remote message must not read the agent's environment.
 */
import { isSeq, LineCounter, parseDocument } from 'yaml';
import { formatIssue } from '../config/issues.js';
import { YamlLocator } from '../config/locate.js';
import { validate } from '../config/zod-issues.js';
import { type RuleConfig, rulesListSchema, rulesMappingSchema } from './config.js';

export type RulesPayload = { ok: true; rules: RuleConfig[] } | { ok: false; errors: string[] };

/** What the agent publishes on `<prefix>/<node>/rules/result` (retained) after each command. */
export interface RulesResult {
  ok: boolean;
  /** The rule ids now running (ok), or none. */
  rules: string[];
  /** One line per problem (not ok). */
  errors: string[];
  /** ISO 8601 UTC time the command was handled. */
  time: string;
}

export function parseRulesPayload(
  text: string,
  sensorIds: readonly string[],
  label = 'rules/set',
): RulesPayload {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return `${label}:${line}:${col}: ${e.message.split('\n')[0]}`;
      }),
    };
  }
  const ctx = { file: label, locator: new YamlLocator(doc, lines), templates: new Map<string, string>() };
  const data: unknown = doc.toJS();
  const result = isSeq(doc.contents)
    ? validate(rulesListSchema(sensorIds), data, ctx)
    : validate(rulesMappingSchema(sensorIds), data, ctx);
  if (!result.ok) return { ok: false, errors: result.issues.map(formatIssue) };
  return { ok: true, rules: Array.isArray(result.value) ? result.value : result.value.rules };
}

/** The command topics of one node, next to its status topic (`<prefix>/<node>/status`). */
export function rulesCommandTopics(statusTopic: string): { set: string; result: string } {
  const base = statusTopic.slice(0, -'/status'.length);
  return { set: `${base}/rules/set`, result: `${base}/rules/result` };
}
