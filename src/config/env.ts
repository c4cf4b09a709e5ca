/**
 * `${VAR}` substitution, for secrets such as the broker password.
 *
 * Rules (also in config/examples/home-assistant.yaml):
 * - `${NAME}` is replaced by the variable's value (an empty value is kept as empty);
 * - `${NAME:-default}` uses `default` when NAME is unset or empty (as in sh);
 * - `$${` is a literal `${`; any other `${` that is not a well-formed reference is an error;
 * - NAME is letters, digits and `_`, not starting with a digit.
 *
 * Substitution runs on the parsed YAML document, in string scalar values only (never keys, never
 * numbers or booleans), so a value containing `: `, `#`, quotes or newlines cannot change the
 * document's structure. The result always stays a string: `port: ${PORT}` gives the string
 * "1883", which the schema rejects where it wants a number (write numbers in the file itself).
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { PathSegment } from './issues.js';

type Env = Readonly<Record<string, string | undefined>>;

/** One `${...}` that could not be expanded, and the scalar it is in. */
export interface EnvProblem {
  path: PathSegment[];
  node: Scalar;
  message: string;
}

export interface Substitution {
  problems: EnvProblem[];
  /** Paths (as `JSON.stringify(path)`) of the scalars that were changed → their original text. */
  templates: Map<string, string>;
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;

export interface Expansion {
  value: string;
  /** Variables used without a default that are not set. */
  unset: string[];
  /** Malformed references, as written. */
  malformed: string[];
}

/** Expands every reference in one string. */
export function expandTemplate(text: string, env: Env): Expansion {
  const unset: string[] = [];
  const malformed: string[] = [];
  const value = text.replace(
    REFERENCE,
    (match: string, name?: string, fallback?: string, offset?: number) => {
      if (match === '$${') return '${';
      if (name === undefined) {
        const end = text.indexOf('}', offset);
        malformed.push(end === -1 ? text.slice(offset) : text.slice(offset, end + 1));
        return match;
      }
      const set = env[name];
      if (fallback !== undefined) return set === undefined || set === '' ? fallback : set;
      if (set === undefined) {
        unset.push(name);
        return match;
      }
      return set;
    },
  );
  return { value, unset, malformed };
}

/** Substitutes in place in every string scalar value of `doc`; reports what it could not expand. */
export function substituteEnv(doc: Document, env: Env): Substitution {
  const result: Substitution = { problems: [], templates: new Map() };
  walkScalars(doc.contents, [], (node, path) => {
    if (typeof node.value !== 'string' || !node.value.includes('$')) return;
    const original = node.value;
    const { value, unset, malformed } = expandTemplate(original, env);
    for (const name of unset) {
      result.problems.push({
        path,
        node,
        message: `environment variable ${name} is not set (export it, or write \${${name}:-default})`,
      });
    }
    for (const ref of malformed) {
      result.problems.push({
        path,
        node,
        message: `malformed variable reference "${ref}"; write \${NAME} or \${NAME:-default}, or $\${ for a literal "\${"`,
      });
    }
    if (value !== original) {
      node.value = value;
      result.templates.set(JSON.stringify(path), original);
    }
  });
  return result;
}

/** Calls `visit` on every scalar that is a value (not a key). Aliases are not followed: their anchor is visited once. */
function walkScalars(
  node: unknown,
  path: PathSegment[],
  visit: (node: Scalar, path: PathSegment[]) => void,
): void {
  if (isScalar(node)) visit(node, path);
  else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      walkScalars(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item: unknown, i: number) => {
      walkScalars(item as Node, [...path, i], visit);
    });
  }
}
