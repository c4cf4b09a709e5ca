/**
 * HTML character references, decoded the way ImageBind's tokenizer decodes them
 * (imagebind/models/multimodal_preprocessors.py `basic_clean`: ftfy.fix_text, then
 * `html.unescape(html.unescape(text))`).
 *
 * - pythonUnescape: CPython 3.11 `html.unescape` (Lib/html/__init__.py): numeric references
 *   with the HTML5 replacement rules, named references with or without `;`, and the
 *   longest-prefix rule for legacy names (`&ampx` → `&x`).
 * - ftfyUnescape: ftfy 6.3.1 `fixes.unescape_html`: only `&name;` forms that end in `;`, plus
 *   ftfy's all-caps variants (`&EACUTE;`), and numeric references.
 * Named references come from html-entities.ts (a documented subset of the HTML5 table).
 */
import { FTFY_UPPER_ENTITIES, HTML_ENTITIES } from './html-entities.js';

/**
 * Windows-1252 for bytes 0x80–0x9F, as both `html.unescape` (`_invalid_charrefs`) and ftfy's
 * "sloppy-windows-1252" codec use it; 0x81, 0x8D, 0x8F, 0x90 and 0x9D stay C1 controls.
 */
export const CP1252_C1: readonly string[] = [
  '\u20ac',
  '\x81',
  '\u201a',
  '\u0192',
  '\u201e',
  '\u2026',
  '\u2020',
  '\u2021',
  '\u02c6',
  '\u2030',
  '\u0160',
  '\u2039',
  '\u0152',
  '\x8d',
  '\u017d',
  '\x8f',
  '\x90',
  '\u2018',
  '\u2019',
  '\u201c',
  '\u201d',
  '\u2022',
  '\u2013',
  '\u2014',
  '\u02dc',
  '\u2122',
  '\u0161',
  '\u203a',
  '\u0153',
  '\x9d',
  '\u017e',
  '\u0178',
];

/** Code points html.unescape drops (`_invalid_codepoints`): C0/C1 controls, noncharacters. */
function isDroppedCodePoint(n: number): boolean {
  return (
    (n >= 0x1 && n <= 0x8) ||
    n === 0xb ||
    (n >= 0xe && n <= 0x1f) ||
    (n >= 0x7f && n <= 0x9f) ||
    (n >= 0xfdd0 && n <= 0xfdef) ||
    (n & 0xfffe) === 0xfffe
  );
}

/** `&#…` → text, as `_replace_charref` does for numeric references. */
function numericReference(body: string): string {
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1).replace(/;$/, '');
  const n = Number.parseInt(digits, hex ? 16 : 10);
  if (n === 0) return '\ufffd';
  if (n === 0x0d) return '\r';
  if (n >= 0x80 && n <= 0x9f) return CP1252_C1[n - 0x80];
  if ((n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff) return '\ufffd';
  if (isDroppedCodePoint(n)) return '';
  return String.fromCodePoint(n);
}

/** `_replace_charref` for a named reference body (without the `&`). */
function namedReference(body: string): string {
  const whole = HTML_ENTITIES.get(body);
  if (whole !== undefined) return whole;
  // Longest prefix (at least 2 characters) that is a legacy name accepted without ';'.
  for (let x = body.length - 1; x > 1; x--) {
    const prefix = HTML_ENTITIES.get(body.slice(0, x));
    if (prefix !== undefined) return prefix + body.slice(x);
  }
  return `&${body}`;
}

/** CPython's `_charref` pattern (Lib/html/__init__.py). */
const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

/** Python's `html.unescape`. */
export function pythonUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHARREF, (_m, body: string) =>
    body.startsWith('#') ? numericReference(body) : namedReference(body),
  );
}

/** ftfy's HTML_ENTITY_RE (ftfy/chardata.py). */
const FTFY_ENTITY = /&#?[0-9A-Za-z]{1,24};/g;

/** ftfy's `unescape_html`: unambiguous `&name;` forms, all-caps variants, numeric references. */
export function ftfyUnescape(text: string): string {
  return text.replace(FTFY_ENTITY, (m) => {
    const name = m.slice(1);
    const known = HTML_ENTITIES.get(name) ?? FTFY_UPPER_ENTITIES.get(name);
    if (known !== undefined) return known;
    if (m.startsWith('&#')) {
      const decoded = pythonUnescape(m);
      return decoded.includes(';') ? m : decoded;
    }
    return m;
  });
}
