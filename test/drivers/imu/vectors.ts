/**
 * Test-vector readers: ../shared/test-vectors is read in place, never copied into the repository.
 * CSV files there start with `#` comment lines, then a header row.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const VECTORS = resolve(REPO_ROOT, '..', 'shared', 'test-vectors');

export function vectorText(...parts: string[]): string {
  return readFileSync(join(VECTORS, ...parts), 'utf8');
}

/** Splits one CSV line, honouring double quotes. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Rows of a vector CSV as records keyed by the header. */
export function vectorCsv(...parts: string[]): Record<string, string>[] {
  const lines = vectorText(...parts)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = splitCsv(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = splitCsv(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** "0x68" or "104" → 104. */
export function num(text: string): number {
  return text.trim().toLowerCase().startsWith('0x') ? Number.parseInt(text, 16) : Number(text);
}
