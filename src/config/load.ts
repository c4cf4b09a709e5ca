/**
 * Reads a YAML config: parse → `${VAR}` substitution (./env.ts) → validate with the one schema
 * (./schema.ts) → resolve relative paths against the file's folder (./paths.ts).
 *
 * Every failure is a BindsightError the CLI can print as is (no stack trace needed):
 * - CONFIG_NOT_FOUND `config file not found: /abs/path` when the file cannot be read;
 * - CONFIG_INVALID with a one-line summary, then one `file:line:col: path: message` line per
 *   problem (YAML syntax errors, unset variables, or schema issues; see ./issues.ts).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { BindsightError, errorMessage } from '../errors.js';
import { substituteEnv } from './env.js';
import { type ConfigIssue, configInvalid, formatPath, plural } from './issues.js';
import { YamlLocator } from './locate.js';
import { resolvePaths } from './paths.js';
import { type Config, configSchema } from './schema.js';
import { validate } from './zod-issues.js';

export interface LoadedConfig {
  /** The validated config with defaults applied and relative paths made absolute. */
  config: Config;
  /** The validated config with defaults applied, paths as written in the file (for display). */
  raw: Config;
  /** Absolute path of the config file. */
  file: string;
  /** Absolute path of the folder relative paths were resolved against. */
  dir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export async function loadConfig(file: string, env: Env = process.env): Promise<LoadedConfig> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    const message = missing
      ? `config file not found: ${abs}`
      : `cannot read config file ${abs}: ${errorMessage(cause)}`;
    throw new BindsightError('CONFIG_NOT_FOUND', message, { file: abs }, { cause });
  }
  const raw = parseConfig(text, file, env);
  const dir = dirname(abs);
  return { config: resolvePaths(raw, dir), raw, file: abs, dir };
}

/**
 * Parses and validates config text; `file` is only used in messages. Paths are left as written.
 * Throws CONFIG_INVALID.
 */
export function parseConfig(text: string, file: string, env: Env = process.env): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw configInvalid(
      file,
      `invalid YAML (${plural(doc.errors.length, 'error')})`,
      syntaxIssues(doc, text, file, lines),
    );
  }
  const locator = new YamlLocator(doc, lines);
  const { problems, templates } = substituteEnv(doc, env);
  if (problems.length > 0) {
    const issues = problems.map(
      (p): ConfigIssue => ({ file, ...locator.at(p.path), path: formatPath(p.path), message: p.message }),
    );
    throw configInvalid(
      file,
      `cannot substitute environment variables (${plural(issues.length, 'problem')})`,
      issues,
    );
  }
  const result = validate(configSchema, doc.toJS(), { file, locator, templates });
  if (!result.ok)
    throw configInvalid(file, `invalid config (${plural(result.issues.length, 'problem')})`, result.issues);
  return result.value;
}

/** One issue per YAML error; the message gets the offending source line and a caret under the column. */
function syntaxIssues(doc: Document, text: string, file: string, lines: LineCounter): ConfigIssue[] {
  const source = text.split(/\r?\n/);
  return doc.errors.map((err): ConfigIssue => {
    const { line, col } = lines.linePos(err.pos[0]);
    const excerpt = source[line - 1];
    const message =
      excerpt === undefined || excerpt.trim() === ''
        ? err.message
        : `${err.message}\n      ${excerpt}\n      ${' '.repeat(Math.max(0, col - 1))}^`;
    return { file, line, col, path: '', message };
  });
}
