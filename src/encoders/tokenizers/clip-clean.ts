/**
 * Text cleanup of ImageBind's CLIP tokenizer before BPE (multimodal_preprocessors.py at
 * 53680b0, imagebind-contract.md §1.3): `whitespace_clean(basic_clean(text)).lower()`, where
 * basic_clean = ftfy.fix_text → html.unescape twice → strip.
 *
 * ftfy (6.3.1, `fix_and_explain`) is reproduced step by step, in its order, per line, repeated
 * until the text stops changing: unescape_html (off for the rest of the text once a line holds
 * '<'), fix_encoding, fix_c1_controls, fix_latin_ligatures, fix_character_width,
 * uncurl_quotes, fix_line_breaks, fix_surrogates, remove_terminal_escapes,
 * remove_control_chars, NFC. Not replicated (models/README.md "CLIP BPE tokenizer"):
 * fix_encoding's `badness` heuristic and its other codecs (see fixMojibake),
 * restore_byte_a0, replace_lossy_sequences, and the 1,000,000-character segment limit.
 */
import { CP1252_C1, ftfyUnescape, pythonUnescape } from './html-unescape.js';

/** Characters Python's str.isspace() accepts (what str.strip() removes). */
const PY_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python's str.strip() with no argument (JS trim() also strips U+FEFF and not U+001C–U+001F). */
export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '');
}

/** Windows-1252's characters for bytes 0x80–0x9F → byte (ftfy's "sloppy-windows-1252" codec). */
const CP1252_BYTE = new Map<string, number>(CP1252_C1.map((c, i) => [c, 0x80 + i]));

/** A character's byte in sloppy Windows-1252 ∪ Latin-1, or -1. */
function sloppyByte(ch: string): number {
  const code = ch.charCodeAt(0);
  if (ch.length === 1 && code < 0x100) return code;
  return CP1252_BYTE.get(ch) ?? -1;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text's characters as sloppy-1252 bytes decoded as UTF-8, or null if that fails. */
function reinterpret(text: string): string | null {
  const bytes: number[] = [];
  for (const ch of text) {
    const b = sloppyByte(ch);
    if (b < 0) return null;
    bytes.push(b);
  }
  try {
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** Characters whose sloppy-1252 byte is a UTF-8 continuation byte (0x80–0xBF). */
const CONT =
  '\\x80-\\xbf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178';
/** The same without NBSP: "Ä\u00a0" is Finnish, not mojibake (ftfy's negative test cases). */
const CONT_NO_NBSP = CONT.replace('\\x80-\\xbf', '\\x80-\\x9f\\xa1-\\xbf');
/**
 * Mojibake sequences that are re-decoded (a lead character, then continuation characters):
 * Â Ã (Latin-1 letters, NBSP, °, £; not "Ã’", which is "Ã's" more often than "Ò"), Ì (combining
 * marks), Î Ï (Greek), Ð Ñ (Cyrillic); â ã ï + 2 (punctuation ’ “ – …, kana, U+FFFD); ð + 3
 * (emoji). Ä and Å leads are left out: "Ä£", "Å™" and "Å—" are real text in ftfy's negative cases.
 */
const MOJIBAKE_SEQUENCE = new RegExp(
  `\\xc2[${CONT}]|\\xc3(?!\u2019)[${CONT}]|[\\xcc\\xce\\xcf\\xd0\\xd1][${CONT_NO_NBSP}]|[\\xe2\\xe3\\xef][${CONT}]{2}|\\xf0[${CONT}]{3}`,
  'g',
);

/**
 * UTF-8 that was decoded as Windows-1252/Latin-1 ("cafÃ©" → "café", "â€™" → "’"), repeated
 * while it changes (double mojibake). ftfy decides with a badness heuristic over the whole
 * line and tries several codecs; here only the sequences above are re-decoded where they occur,
 * which leaves ftfy's 31 negative test cases alone but one (DrÃ¥ber, ambiguous to ftfy too).
 * Windows-1250/1251, MacRoman, CP437 and CESU-8 mojibake are not repaired.
 */
export function fixMojibake(text: string): string {
  let t = text;
  for (;;) {
    const fixed = t.replace(MOJIBAKE_SEQUENCE, (m) => reinterpret(m) ?? m);
    if (fixed === t) return t;
    t = fixed;
  }
}

/** ftfy LIGATURES (chardata.py). */
const LIGATURES: Readonly<Record<string, string>> = {
  Ĳ: 'IJ',
  ĳ: 'ij',
  ŉ: 'ʼn',
  Ǳ: 'DZ',
  ǲ: 'Dz',
  ǳ: 'dz',
  Ǆ: 'DŽ',
  ǅ: 'Dž',
  ǆ: 'dž',
  Ǉ: 'LJ',
  ǈ: 'Lj',
  ǉ: 'lj',
  Ǌ: 'NJ',
  ǋ: 'Nj',
  ǌ: 'nj',
  ﬀ: 'ff',
  ﬁ: 'fi',
  ﬂ: 'fl',
  ﬃ: 'ffi',
  ﬄ: 'ffl',
  ﬅ: 'ſt',
  ﬆ: 'st',
};
const LIGATURE_RE = new RegExp(`[${Object.keys(LIGATURES).join('')}]`, 'g');

/** One ftfy pass (fix_and_explain's loop body) over one line. */
function ftfyPass(text: string, html: boolean): string {
  let t = html ? ftfyUnescape(text) : text;
  t = fixMojibake(t);
  t = t.replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
  t = t.replace(LIGATURE_RE, (c) => LIGATURES[c]);
  // fix_character_width: the Halfwidth and Fullwidth Forms block via NFKC, and U+3000 → space.
  t = t.replace(/[\u3000\uff01-\uffef]/g, (c) => (c === '\u3000' ? ' ' : c.normalize('NFKC')));
  t = t.replace(/[\u201c-\u201f]/g, '"').replace(/[\u02bc\u2018-\u201b]/g, "'");
  t = t.replace(/\r\n/g, '\n').replace(/[\r\u2028\u2029\x85]/g, '\n');
  t = t.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ftfy's ANSI_RE matches ESC on purpose
  t = t.replace(/\x1b\[[\p{Nd};]*[a-zA-Z]/gu, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ftfy's CONTROL_CHARS table, removed on purpose
  t = t.replace(/[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc]/g, '');
  return t.normalize('NFC');
}

/** ftfy.fix_text with its default configuration, as far as replicated (see the file header). */
export function ftfyFixText(text: string): string {
  let html = true;
  let out = '';
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos) + 1;
    if (end === 0) end = text.length;
    let segment = text.slice(pos, end);
    // fix_text turns "auto" HTML unescaping off for this and every later line once a line has '<'.
    if (html && segment.includes('<')) html = false;
    for (;;) {
      const fixed = ftfyPass(segment, html);
      if (fixed === segment) break;
      segment = fixed;
    }
    out += segment;
    pos = end;
  }
  return out;
}

/** `whitespace_clean(basic_clean(text)).lower()`: what the BPE pre-tokenizer sees. */
export function clipClean(text: string): string {
  const basic = pyStrip(pythonUnescape(pythonUnescape(ftfyFixText(text))));
  return pyStrip(basic.replace(/\p{White_Space}+/gu, ' ')).toLowerCase();
}
