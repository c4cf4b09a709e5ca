/**
 * Turns zod issues into human config problems: `unknown driver "foo"; expected one of: replay`,
 * `unknown key "fooo"; did you mean "loop"?`, `expected number, got string "abc"`.
 *
 * Messages written in the schema itself (refinements, the id pattern) win over these: zod asks the
 * per-parse error map only for issues that have no message of their own.
 */
import { z } from 'zod';
import { type ConfigIssue, formatPath } from './issues.js';
import type { YamlLocator } from './locate.js';

export interface IssueContext {
  file: string;
  locator: YamlLocator;
  /** Scalars changed by `${VAR}` substitution: `JSON.stringify(path)` → text as written. Their values are never printed. */
  templates: ReadonlyMap<string, string>;
}

type RawIssue = z.core.$ZodRawIssue;
type Issue = z.core.$ZodIssue;

const pathKey = (path: readonly PropertyKey[]): string =>
  JSON.stringify(path.map((p) => (typeof p === 'number' ? p : String(p))));

/** Parses `data` with `schema` and returns the result plus, on failure, the located problems. */
export function validate<S extends z.ZodType>(
  schema: S,
  data: unknown,
  ctx: IssueContext,
): { ok: true; value: z.output<S> } | { ok: false; issues: ConfigIssue[] } {
  const knownKeys = new Map<string, string[]>();
  const result = schema.safeParse(data, { reportInput: true, error: errorMap(ctx, knownKeys) });
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.flatMap((issue) => locate(issue, ctx, knownKeys));
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  return { ok: false, issues };
}

function errorMap(ctx: IssueContext, knownKeys: Map<string, string[]>): z.core.$ZodErrorMap {
  return (iss: RawIssue): string | undefined => {
    const path = iss.path ?? [];
    const got = (): string => describe(iss.input, path, ctx);
    switch (iss.code) {
      case 'invalid_type':
        if (iss.input == null && path.length === 0)
          return 'the file is empty; it needs at least a "sensors:" list';
        if (iss.input === undefined)
          return `missing required key "${String(path.at(-1))}" (a ${typeName(iss.expected)})`;
        return `expected ${typeName(iss.expected)}, got ${got()}`;
      case 'invalid_value':
        if (iss.values.length === 1) return `expected ${literal(iss.values[0])}, got ${got()}`;
        return `expected one of: ${iss.values.map(literal).join(', ')}; got ${got()}`;
      case 'invalid_union': {
        // A discriminated union (sensors by `driver`): zod lists the options from the schema itself.
        const options: unknown[] = 'options' in iss && Array.isArray(iss.options) ? iss.options : [];
        if (iss.discriminator === undefined || options.length === 0)
          return 'matches none of the allowed forms';
        const value = isRecord(iss.input) ? iss.input[iss.discriminator] : undefined;
        const choices = `expected one of: ${options.map(literal).join(', ')}`;
        if (value === undefined) return `missing required key "${iss.discriminator}"; ${choices}`;
        return `unknown ${iss.discriminator} ${describeValue(value, path, ctx)}; ${choices}`;
      }
      case 'unrecognized_keys':
        if (iss.inst instanceof z.ZodObject) knownKeys.set(pathKey(path), Object.keys(iss.inst.shape));
        return `unknown key${iss.keys.length === 1 ? '' : 's'} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      case 'too_small':
        return bound('at least', 'more than', iss.origin, iss.minimum, iss.inclusive, iss.input, got);
      case 'too_big':
        return bound('at most', 'less than', iss.origin, iss.maximum, iss.inclusive, iss.input, got);
      case 'invalid_format':
        return iss.pattern === undefined
          ? `expected a ${iss.format}`
          : `expected a string matching ${iss.pattern}`;
      default:
        return undefined;
    }
  };
}

function bound(
  incl: string,
  excl: string,
  origin: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  input: unknown,
  got: () => string,
): string {
  const rel = inclusive === false ? excl : incl;
  if (origin === 'array') {
    if (limit === 1 && incl === 'at least') return 'must not be empty (list at least 1 item)';
    return `must list ${rel} ${limit} item${limit === 1 ? '' : 's'}, got ${Array.isArray(input) ? input.length : '?'}`;
  }
  if (origin === 'string') {
    if (limit === 1 && incl === 'at least') return 'must not be empty';
    return `must be ${rel} ${limit} characters long`;
  }
  return `must be ${rel} ${limit}, got ${got()}`;
}

/** One zod issue → one or more located problems (one per unknown key, each at its key). */
function locate(issue: Issue, ctx: IssueContext, knownKeys: Map<string, string[]>): ConfigIssue[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys.get(pathKey(path)) ?? [];
    return issue.keys.map((key) => ({
      file: ctx.file,
      ...ctx.locator.keyAt(path, key),
      path: formatPath(path),
      message: `unknown key "${key}"; ${suggest(key, known)}`,
    }));
  }
  let message = issue.message;
  if (issue.code === 'invalid_format') message += `; got ${describeValue(issue.input, path, ctx)}`;
  // A missing key is reported on the mapping that lacks it (the message names the key).
  const shown = isMissingKey(issue) ? path.slice(0, -1) : path;
  return [{ file: ctx.file, ...ctx.locator.at(path), path: formatPath(shown), message }];
}

function isMissingKey(issue: Issue): boolean {
  if (issue.code === 'invalid_type') return issue.input === undefined && issue.path.length > 0;
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined)
    return isRecord(issue.input) && issue.input[issue.discriminator] === undefined;
  return false;
}

/** `did you mean "loop"?` for a likely typo, else the list of valid keys. */
export function suggest(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)))
    return `did you mean "${best}"?`;
  return known.length === 0 ? 'no keys are allowed here' : `expected one of: ${known.join(', ')}`;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function typeName(expected: string): string {
  if (expected === 'object') return 'mapping';
  if (expected === 'array') return 'list';
  return expected;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `string "abc"`, `number 3`, `list`, … — or, for a substituted value, where it came from (never the value). */
function describe(value: unknown, path: readonly PropertyKey[], ctx: IssueContext): string {
  const template = ctx.templates.get(pathKey(path));
  if (template !== undefined)
    return `string from ${JSON.stringify(template)} (values from environment variables are always strings)`;
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  if (typeof value === 'string') return `string ${quote(value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Like describe, but without the type: `"foo"`, `3`. */
function describeValue(value: unknown, path: readonly PropertyKey[], ctx: IssueContext): string {
  if (typeof value === 'string' && !ctx.templates.has(pathKey(path))) return quote(value);
  return describe(value, path, ctx);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
