/**
 * HTML character references as CPython 3.11 `html.unescape` and ftfy 6.3.1 `unescape_html`
 * decode them. Expected values were produced by CPython 3.11.7 (`html.unescape`) and copied
 * from ftfy's own tests (rspeer/python-ftfy tests/test_entities.py at 74dd045).
 */
import t from 'tap';
import { ftfyUnescape, pythonUnescape } from '../../../src/encoders/tokenizers/html-unescape.js';

t.test('pythonUnescape matches CPython html.unescape', async (t) => {
  const cases: Record<string, string> = {
    '&amp;': '&',
    '&amp': '&',
    '&ampx': '&x',
    '&amp;amp;': '&amp;',
    '&&amp;': '&&',
    '&lt;b&gt;': '<b>',
    '&#39;': "'",
    '&#x27;': "'",
    '&#X27': "'",
    '&#0;': '\ufffd',
    '&#13;': '\r',
    '&#128;': '\u20ac',
    '&#x85;': '\u2026',
    '&#1;': '',
    '&#xD800;': '\ufffd',
    '&#1114112;': '\ufffd',
    '&#65535;': '',
    '&#x1F600;': '\u{1f600}',
    '&eacute;': 'é',
    '&eacute': 'é',
    '&Eacute;': 'É',
    '&EACUTE;': '&EACUTE;',
    '&notit;': '¬it;',
    '&not;': '¬',
    '&notin;': '∉',
    '&hellip;': '…',
    '&apos;': "'",
    '&colon;': ':',
    '&sacute;': 'ś',
    '&copy2024': '©2024',
    '& amp;': '& amp;',
    'a&b': 'a&b',
    'no entity': 'no entity',
  };
  for (const [input, want] of Object.entries(cases))
    t.equal(pythonUnescape(input), want, JSON.stringify(input));
});

t.test('names outside the documented subset stay text (Python would decode them)', async (t) => {
  t.equal(pythonUnescape('&NotNestedGreaterGreater;'), '&NotNestedGreaterGreater;');
});

t.test("ftfyUnescape matches ftfy's unescape_html tests", async (t) => {
  t.equal(ftfyUnescape('euro &#x80;'), 'euro €');
  t.equal(ftfyUnescape('EURO &EURO;'), 'EURO €');
  t.equal(ftfyUnescape('not an entity &#20x6;'), 'not an entity &#20x6;');
  t.equal(ftfyUnescape('JEDNOCZE&SACUTE;NIE'), 'JEDNOCZEŚNIE');
  t.equal(ftfyUnescape('V&SCARON;ICHNI'), 'VŠICHNI');
  t.equal(ftfyUnescape('&#xffff;'), '');
  t.equal(ftfyUnescape('&#xffffffff;'), '\ufffd');
  t.equal(ftfyUnescape('&ntilde; &Ntilde; &NTILDE; &nTILDE;'), 'ñ Ñ Ñ &nTILDE;');
  t.equal(ftfyUnescape('this is just informal english &not html'), 'this is just informal english &not html');
});
