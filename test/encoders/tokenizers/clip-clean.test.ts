/**
 * ImageBind's text cleanup (ftfy subset, double HTML unescape, whitespace, lower-case).
 * ftfy expectations come from ftfy's own tests and test cases (rspeer/python-ftfy at 74dd045:
 * tests/test_entities.py, tests/test-cases/*.json); Python expectations from CPython 3.11.
 */
import t from 'tap';
import { clipClean, fixMojibake, ftfyFixText, pyStrip } from '../../../src/encoders/tokenizers/clip-clean.js';

t.test('ftfy: entities, and HTML unescaping switched off from the first line holding "<"', async (t) => {
  t.equal(ftfyFixText('&amp;\n<html>\n&amp;'), '&\n<html>\n&amp;');
  t.equal(ftfyFixText('jednocze&sacute;nie'), 'jednocześnie');
  t.equal(ftfyFixText('JEDNOCZE&Sacute;NIE'), 'JEDNOCZEŚNIE');
  t.equal(ftfyFixText('broken&#x81;'), 'broken\x81');
  t.equal(ftfyFixText('&amp;amp;amp;'), '&', 'repeated until stable');
  t.equal(ftfyFixText('this is just informal english &not html'), 'this is just informal english &not html');
});

t.test('ftfy: C1 controls, ligatures, widths, quotes, line breaks, escapes, controls, NFC', async (t) => {
  t.equal(ftfyFixText('This text was never UTF-8 at all\x85'), 'This text was never UTF-8 at all…');
  t.equal(ftfyFixText('ﬂuﬃeﬆ'), 'fluffiest');
  t.equal(ftfyFixText('ＬＯＵＤ　ＮＯＩＳＥＳ'), 'LOUD NOISES');
  t.equal(ftfyFixText('Ｕﾀｰﾝ'), 'Uターン');
  t.equal(ftfyFixText('\u201chere\u2019s a test\u201d'), '"here\'s a test"');
  t.equal(ftfyFixText('a\r\nb\rc\u2028d'), 'a\nb\nc\nd');
  t.equal(
    ftfyFixText("\x1b[36;44mI'm blue, da ba dee da ba doo...\x1b[0m"),
    "I'm blue, da ba dee da ba doo...",
  );
  t.equal(ftfyFixText('a\x00b\x07c\ufeffd\x7f'), 'abcd');
  t.equal(ftfyFixText('tab\tand\fform feed kept'), 'tab\tand\fform feed kept');
  t.equal(ftfyFixText('e\u0301'), 'é', 'NFC');
  t.equal(ftfyFixText('lone \ud83d surrogate'), 'lone \ufffd surrogate');
});

t.test('ftfy: common mojibake is repaired, real text is left alone', async (t) => {
  t.equal(ftfyFixText('âœ” No problems'), '✔ No problems');
  t.equal(fixMojibake('cafÃ©'), 'café');
  t.equal(ftfyFixText('doesnâ€™t'), "doesn't");
  t.equal(
    fixMojibake('The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t'),
    'The Mona Lisa doesn\u2019t',
    'three layers',
  );
  t.equal(fixMojibake('IL2RÎ³cKO'), 'IL2RγcKO');
  t.equal(fixMojibake('ðŸ˜€'), '😀');
  // ftfy's negative test cases: sequences that look like mojibake but are real text.
  for (const real of [
    'PARCE QUE SUR LEURS PLAQUES IL Y MARQUÉ…',
    'SELKÄ\u00a0EDELLÄ\u00a0MAAHAN via @YouTube',
    'Offering 5×£35 pin ups',
    'NESTLÉ® requiere contratar personal',
    'There are a lot of Ã’s in mojibake text',
    'a radius of 10 Å—',
    'AHÅ™, the new sofa from IKEA',
    'MÄ£ÄM ÌÑÌ Q £ÄGÌ',
    '``hogwarts nao existe, voce nao vai pegar o trem pra lá´´',
  ]) {
    t.equal(fixMojibake(real), real, real);
  }
});

t.test('Python str.strip, not JS trim', async (t) => {
  t.equal(pyStrip('\x1c a \x85'), 'a');
  t.equal(pyStrip('\ufeffa'), '\ufeffa', 'Python does not strip U+FEFF');
});

t.test('clipClean = whitespace_clean(basic_clean(text)).lower()', async (t) => {
  t.equal(clipClean('  A  Photo\tof\n\nthe CAT  '), 'a photo of the cat');
  t.equal(clipClean('Tom &amp;amp; Jerry'), 'tom & jerry', 'ftfy then html.unescape twice');
  t.equal(clipClean('non\u00a0breaking\u2003space'), 'non breaking space');
  t.equal(clipClean('ΣΑΣ'), 'σας', 'Python lower-cases with the final-sigma rule');
  t.equal(clipClean('x <|ENDOFTEXT|>'), 'x <|endoftext|>');
});
