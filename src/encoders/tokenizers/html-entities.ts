/**
 * HTML character-reference names for the text cleanup of ImageBind's CLIP tokenizer
 * (html-unescape.ts), generated from CPython 3.11 `html.entities.html5` and encoded as
 * `name:hex[+hex]` (the code points of the replacement text), space-separated.
 *
 * NAMED holds a subset of the 2,231 HTML5 names: the 106 legacy names that Python also accepts
 * without a semicolon (`&amp`, `&eacute`), all 252 HTML 4 names, and the HTML5 names that stand
 * for one ASCII character (`&colon;`, `&lpar;`) or one General Punctuation character
 * (`&hyphen;`, `&ZeroWidthSpace;`): 445 names in all. The other ~1,800 HTML5 names (mostly
 * mathematical symbols, arrows and script letters such as `&NotNestedGreaterGreater;`) are left
 * as text; models/README.md says so.
 *
 * UPPER is ftfy's extra table (ftfy/chardata.py `_build_html_entities`, ftfy 6.3.1): the
 * all-caps spelling of each lower-case name above that Python's full table does not already
 * decode, mapped to the upper-cased text (`&EACUTE;` → É).
 *
 * Regenerate: for k in names: f"{k}:{'+'.join('%x' % ord(c) for c in html5[k])}".
 */

const NAMED =
  'AElig:c6 AElig;:c6 AMP:26 AMP;:26 Aacute:c1 Aacute;:c1 Acirc:c2 Acirc;:c2 Agrave:c0 Agrave;:c0 ' +
  'Alpha;:391 ApplyFunction;:2061 Aring:c5 Aring;:c5 Atilde:c3 Atilde;:c3 Auml:c4 Auml;:c4 ' +
  'Beta;:392 COPY:a9 Ccedil:c7 Ccedil;:c7 Chi;:3a7 CloseCurlyDoubleQuote;:201d ' +
  'CloseCurlyQuote;:2019 Dagger;:2021 Delta;:394 DiacriticalGrave;:60 ETH:d0 ETH;:d0 Eacute:c9 ' +
  'Eacute;:c9 Ecirc:ca Ecirc;:ca Egrave:c8 Egrave;:c8 Epsilon;:395 Eta;:397 Euml:cb Euml;:cb GT:3e ' +
  'GT;:3e Gamma;:393 Hat;:5e Iacute:cd Iacute;:cd Icirc:ce Icirc;:ce Igrave:cc Igrave;:cc ' +
  'InvisibleComma;:2063 InvisibleTimes;:2062 Iota;:399 Iuml:cf Iuml;:cf Kappa;:39a LT:3c LT;:3c ' +
  'Lambda;:39b MediumSpace;:205f Mu;:39c NegativeMediumSpace;:200b NegativeThickSpace;:200b ' +
  'NegativeThinSpace;:200b NegativeVeryThinSpace;:200b NewLine;:a NoBreak;:2060 Ntilde:d1 ' +
  'Ntilde;:d1 Nu;:39d OElig;:152 Oacute:d3 Oacute;:d3 Ocirc:d4 Ocirc;:d4 Ograve:d2 Ograve;:d2 ' +
  'Omega;:3a9 Omicron;:39f OpenCurlyDoubleQuote;:201c OpenCurlyQuote;:2018 Oslash:d8 Oslash;:d8 ' +
  'Otilde:d5 Otilde;:d5 Ouml:d6 Ouml;:d6 OverBar;:203e Phi;:3a6 Pi;:3a0 Prime;:2033 Psi;:3a8 ' +
  'QUOT:22 QUOT;:22 REG:ae Rho;:3a1 Scaron;:160 Sigma;:3a3 THORN:de THORN;:de Tab;:9 Tau;:3a4 ' +
  'Theta;:398 ThinSpace;:2009 Uacute:da Uacute;:da Ucirc:db Ucirc;:db Ugrave:d9 Ugrave;:d9 ' +
  'UnderBar;:5f Upsilon;:3a5 Uuml:dc Uuml;:dc Verbar;:2016 Vert;:2016 VerticalLine;:7c ' +
  'VeryThinSpace;:200a Xi;:39e Yacute:dd Yacute;:dd Yuml;:178 ZeroWidthSpace;:200b Zeta;:396 ' +
  'aacute:e1 aacute;:e1 acirc:e2 acirc;:e2 acute:b4 acute;:b4 aelig:e6 aelig;:e6 af;:2061 agrave:e0 ' +
  'agrave;:e0 alefsym;:2135 alpha;:3b1 amp:26 amp;:26 and;:2227 ang;:2220 apos;:27 aring:e5 ' +
  'aring;:e5 ast;:2a asymp;:2248 atilde:e3 atilde;:e3 auml:e4 auml;:e4 backprime;:2035 bdquo;:201e ' +
  'beta;:3b2 bprime;:2035 brvbar:a6 brvbar;:a6 bsemi;:204f bsol;:5c bull;:2022 bullet;:2022 ' +
  'cap;:2229 caret;:2041 ccedil:e7 ccedil;:e7 cedil:b8 cedil;:b8 cent:a2 cent;:a2 chi;:3c7 ' +
  'circ;:2c6 clubs;:2663 colon;:3a comma;:2c commat;:40 cong;:2245 copy:a9 copy;:a9 crarr;:21b5 ' +
  'cup;:222a curren:a4 curren;:a4 dArr;:21d3 dagger;:2020 darr;:2193 dash;:2010 ddagger;:2021 ' +
  'deg:b0 deg;:b0 delta;:3b4 diams;:2666 divide:f7 divide;:f7 dollar;:24 eacute:e9 eacute;:e9 ' +
  'ecirc:ea ecirc;:ea egrave:e8 egrave;:e8 empty;:2205 emsp13;:2004 emsp14;:2005 emsp;:2003 ' +
  'ensp;:2002 epsilon;:3b5 equals;:3d equiv;:2261 eta;:3b7 eth:f0 eth;:f0 euml:eb euml;:eb ' +
  'euro;:20ac excl;:21 exist;:2203 fnof;:192 forall;:2200 frac12:bd frac12;:bd frac14:bc frac14;:bc ' +
  'frac34:be frac34;:be frasl;:2044 gamma;:3b3 ge;:2265 grave;:60 gt:3e gt;:3e hArr;:21d4 ' +
  'hairsp;:200a harr;:2194 hearts;:2665 hellip;:2026 horbar;:2015 hybull;:2043 hyphen;:2010 ' +
  'iacute:ed iacute;:ed ic;:2063 icirc:ee icirc;:ee iexcl:a1 iexcl;:a1 igrave:ec igrave;:ec ' +
  'image;:2111 infin;:221e int;:222b iota;:3b9 iquest:bf iquest;:bf isin;:2208 it;:2062 iuml:ef ' +
  'iuml;:ef kappa;:3ba lArr;:21d0 lambda;:3bb lang;:27e8 laquo:ab laquo;:ab larr;:2190 lbrace;:7b ' +
  'lbrack;:5b lceil;:2308 lcub;:7b ldquo;:201c ldquor;:201e le;:2264 lfloor;:230a lowast;:2217 ' +
  'lowbar;:5f loz;:25ca lpar;:28 lrm;:200e lsaquo;:2039 lsqb;:5b lsquo;:2018 lsquor;:201a lt:3c ' +
  'lt;:3c macr:af macr;:af mdash;:2014 micro:b5 micro;:b5 midast;:2a middot:b7 middot;:b7 ' +
  'minus;:2212 mldr;:2026 mu;:3bc nabla;:2207 nbsp:a0 nbsp;:a0 ndash;:2013 ne;:2260 ni;:220b ' +
  'nldr;:2025 not:ac not;:ac notin;:2209 nsub;:2284 ntilde:f1 ntilde;:f1 nu;:3bd num;:23 ' +
  'numsp;:2007 oacute:f3 oacute;:f3 ocirc:f4 ocirc;:f4 oelig;:153 ograve:f2 ograve;:f2 oline;:203e ' +
  'omega;:3c9 omicron;:3bf oplus;:2295 or;:2228 ordf:aa ordf;:aa ordm:ba ordm;:ba oslash:f8 ' +
  'oslash;:f8 otilde:f5 otilde;:f5 otimes;:2297 ouml:f6 ouml;:f6 para:b6 para;:b6 part;:2202 ' +
  'percnt;:25 period;:2e permil;:2030 perp;:22a5 pertenk;:2031 phi;:3c6 pi;:3c0 piv;:3d6 plus;:2b ' +
  'plusmn:b1 plusmn;:b1 pound:a3 pound;:a3 prime;:2032 prod;:220f prop;:221d psi;:3c8 puncsp;:2008 ' +
  'qprime;:2057 quest;:3f quot:22 quot;:22 rArr;:21d2 radic;:221a rang;:27e9 raquo:bb raquo;:bb ' +
  'rarr;:2192 rbrace;:7d rbrack;:5d rceil;:2309 rcub;:7d rdquo;:201d rdquor;:201d real;:211c reg:ae ' +
  'reg;:ae rfloor;:230b rho;:3c1 rlm;:200f rpar;:29 rsaquo;:203a rsqb;:5d rsquo;:2019 rsquor;:2019 ' +
  'sbquo;:201a scaron;:161 sdot;:22c5 sect:a7 sect;:a7 semi;:3b shy:ad shy;:ad sigma;:3c3 ' +
  'sigmaf;:3c2 sim;:223c sol;:2f spades;:2660 sub;:2282 sube;:2286 sum;:2211 sup1:b9 sup1;:b9 ' +
  'sup2:b2 sup2;:b2 sup3:b3 sup3;:b3 sup;:2283 supe;:2287 szlig:df szlig;:df tau;:3c4 there4;:2234 ' +
  'theta;:3b8 thetasym;:3d1 thinsp;:2009 thorn:fe thorn;:fe tilde;:2dc times:d7 times;:d7 ' +
  'tprime;:2034 trade;:2122 uArr;:21d1 uacute:fa uacute;:fa uarr;:2191 ucirc:fb ucirc;:fb ugrave:f9 ' +
  'ugrave;:f9 uml:a8 uml;:a8 upsih;:3d2 upsilon;:3c5 uuml:fc uuml;:fc verbar;:7c vert;:7c ' +
  'weierp;:2118 xi;:3be yacute:fd yacute;:fd yen:a5 yen;:a5 yuml:ff yuml;:ff zeta;:3b6 zwj;:200d ' +
  'zwnj;:200c ';

const UPPER =
  'AACUTE;:c1 ACIRC;:c2 ACUTE;:b4 AELIG;:c6 AF;:2061 AGRAVE;:c0 ALEFSYM;:2135 ALPHA;:391 AND;:2227 ' +
  'ANG;:2220 APOS;:27 ARING;:c5 AST;:2a ASYMP;:2248 ATILDE;:c3 AUML;:c4 BACKPRIME;:2035 BDQUO;:201e ' +
  'BETA;:392 BPRIME;:2035 BRVBAR;:a6 BSEMI;:204f BSOL;:5c BULL;:2022 BULLET;:2022 CAP;:2229 ' +
  'CARET;:2041 CCEDIL;:c7 CEDIL;:b8 CENT;:a2 CHI;:3a7 CIRC;:2c6 CLUBS;:2663 COLON;:3a COMMA;:2c ' +
  'COMMAT;:40 CONG;:2245 CRARR;:21b5 CUP;:222a CURREN;:a4 DAGGER;:2020 DARR;:2193 DASH;:2010 ' +
  'DDAGGER;:2021 DEG;:b0 DELTA;:394 DIAMS;:2666 DIVIDE;:f7 DOLLAR;:24 EACUTE;:c9 ECIRC;:ca ' +
  'EGRAVE;:c8 EMPTY;:2205 EMSP13;:2004 EMSP14;:2005 EMSP;:2003 ENSP;:2002 EPSILON;:395 EQUALS;:3d ' +
  'EQUIV;:2261 ETA;:397 EUML;:cb EURO;:20ac EXCL;:21 EXIST;:2203 FNOF;:191 FORALL;:2200 FRAC12;:bd ' +
  'FRAC14;:bc FRAC34;:be FRASL;:2044 GAMMA;:393 GE;:2265 GRAVE;:60 HAIRSP;:200a HARR;:2194 ' +
  'HEARTS;:2665 HELLIP;:2026 HORBAR;:2015 HYBULL;:2043 HYPHEN;:2010 IACUTE;:cd IC;:2063 ICIRC;:ce ' +
  'IEXCL;:a1 IGRAVE;:cc IMAGE;:2111 INFIN;:221e INT;:222b IOTA;:399 IQUEST;:bf ISIN;:2208 IT;:2062 ' +
  'IUML;:cf KAPPA;:39a LAMBDA;:39b LANG;:27e8 LAQUO;:ab LARR;:2190 LBRACE;:7b LBRACK;:5b ' +
  'LCEIL;:2308 LCUB;:7b LDQUO;:201c LDQUOR;:201e LE;:2264 LFLOOR;:230a LOWAST;:2217 LOWBAR;:5f ' +
  'LOZ;:25ca LPAR;:28 LRM;:200e LSAQUO;:2039 LSQB;:5b LSQUO;:2018 LSQUOR;:201a MACR;:af MDASH;:2014 ' +
  'MICRO;:39c MIDAST;:2a MIDDOT;:b7 MINUS;:2212 MLDR;:2026 MU;:39c NABLA;:2207 NBSP;:a0 NDASH;:2013 ' +
  'NE;:2260 NI;:220b NLDR;:2025 NOT;:ac NOTIN;:2209 NSUB;:2284 NTILDE;:d1 NU;:39d NUM;:23 ' +
  'NUMSP;:2007 OACUTE;:d3 OCIRC;:d4 OELIG;:152 OGRAVE;:d2 OLINE;:203e OMEGA;:3a9 OMICRON;:39f ' +
  'OPLUS;:2295 OR;:2228 ORDF;:aa ORDM;:ba OSLASH;:d8 OTILDE;:d5 OTIMES;:2297 OUML;:d6 PARA;:b6 ' +
  'PART;:2202 PERCNT;:25 PERIOD;:2e PERMIL;:2030 PERP;:22a5 PERTENK;:2031 PHI;:3a6 PI;:3a0 PIV;:3a0 ' +
  'PLUS;:2b PLUSMN;:b1 POUND;:a3 PRIME;:2032 PROD;:220f PROP;:221d PSI;:3a8 PUNCSP;:2008 ' +
  'QPRIME;:2057 QUEST;:3f RADIC;:221a RANG;:27e9 RAQUO;:bb RARR;:2192 RBRACE;:7d RBRACK;:5d ' +
  'RCEIL;:2309 RCUB;:7d RDQUO;:201d RDQUOR;:201d REAL;:211c RFLOOR;:230b RHO;:3a1 RLM;:200f ' +
  'RPAR;:29 RSAQUO;:203a RSQB;:5d RSQUO;:2019 RSQUOR;:2019 SBQUO;:201a SCARON;:160 SDOT;:22c5 ' +
  'SECT;:a7 SEMI;:3b SHY;:ad SIGMA;:3a3 SIGMAF;:3a3 SIM;:223c SOL;:2f SPADES;:2660 SUB;:2282 ' +
  'SUBE;:2286 SUM;:2211 SUP1;:b9 SUP2;:b2 SUP3;:b3 SUP;:2283 SUPE;:2287 SZLIG;:53+53 TAU;:3a4 ' +
  'THERE4;:2234 THETA;:398 THETASYM;:398 THINSP;:2009 TILDE;:2dc TIMES;:d7 TPRIME;:2034 UACUTE;:da ' +
  'UARR;:2191 UCIRC;:db UGRAVE;:d9 UML;:a8 UPSIH;:3d2 UPSILON;:3a5 UUML;:dc VERBAR;:7c VERT;:7c ' +
  'WEIERP;:2118 XI;:39e YACUTE;:dd YEN;:a5 YUML;:178 ZETA;:396 ZWJ;:200d ZWNJ;:200c ';

function parse(table: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const entry of table.split(' ')) {
    if (entry === '') continue;
    const at = entry.lastIndexOf(':');
    const text = String.fromCodePoint(
      ...entry
        .slice(at + 1)
        .split('+')
        .map((h) => Number.parseInt(h, 16)),
    );
    map.set(entry.slice(0, at), text);
  }
  return map;
}

/** Entity name (with its ';' when the name has one) → replacement text. */
export const HTML_ENTITIES: ReadonlyMap<string, string> = parse(NAMED);
/** ftfy's all-caps variants (name with ';') → replacement text. */
export const FTFY_UPPER_ENTITIES: ReadonlyMap<string, string> = parse(UPPER);
