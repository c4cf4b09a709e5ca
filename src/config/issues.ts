/**
 * One config problem, located in the YAML file, and the CONFIG_INVALID error that carries a
 * list of them. Every loader stage (YAML syntax, environment substitution, schema) reports
 * through here, so all config errors read the same:
 *
 *     config/kitchen.yaml: invalid config (2 problems)
 *       config/kitchen.yaml:7:13: sensors[0].driver: unknown driver "usb"; expected one of: replay
 *       config/kitchen.yaml:15:5: rules[0].exit: exit must be <= enter (hysteresis)
 *
 * The first line stands alone (for a log line or a notification); each further line starts with
 * `file:line:col:`, which editors and terminals turn into a link.
 */
import { BindsightError } from '../errors.js';

/** A step in a config path: a mapping key or a list index. */
export type PathSegment = string | number;

export interface ConfigIssue {
  /** The config file as the user named it. */
  file: string;
  /** 1-based line and column of the YAML node the issue is about (or its nearest parent). */
  line: number;
  col: number;
  /** YAML path, e.g. `sensors[0].files[1]`; empty for the document itself. */
  path: string;
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['sensors', 0, 'files', 1]` → `sensors[0].files[1]`; odd keys are quoted: `a["b c"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (PLAIN_KEY.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** `file:line:col: path: message` (the path part is left out for the document itself). */
export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The CONFIG_INVALID error: a one-line summary, then one indented line per issue.
 * `context.issues` keeps the structured list for programs (and tests).
 */
export function configInvalid(file: string, summary: string, issues: ConfigIssue[]): BindsightError {
  const lines = [`${file}: ${summary}`, ...issues.map((i) => `  ${formatIssue(i)}`)];
  return new BindsightError('CONFIG_INVALID', lines.join('\n'), { file, issues });
}
