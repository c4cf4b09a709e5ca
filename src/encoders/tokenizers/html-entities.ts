/**
 * HTML character-reference names for the text cleanup of ImageBind's CLIP tokenizer
 * (html-unescape.ts), generated from CPython 3.11 `html.entities.html5` and encoded as
 * `name:hex[+hex]` (the code points of the replacement text), space-separated.
 *
 * NAMED holds the HTML5 names used in text: the 106 legacy names that Python also accepts
 * without a semicolon (`&amp`, `&eacute`), all 252 HTML 4 names, and every HTML5 name that
 * stands for one character of Basic Latin, Latin-1, Latin Extended-A/B (`&sacute;`), Greek,
 * Cyrillic, General Punctuation (`&hyphen;`), Currency Symbols or Letterlike Symbols: 775 of
 * the 2,231 names. The rest (mathematical operators, arrows, script and double-struck letters,
 * two-character sequences such as `&NotNestedGreaterGreater;`) are left as text
 * (models/README.md "CLIP BPE tokenizer").
 *
 * UPPER is ftfy's extra table (ftfy/chardata.py `_build_html_entities`, ftfy 6.3.1): the
 * all-caps spelling of each lower-case name above that Python's full table does not already
 * decode, mapped to the upper-cased text (`&EACUTE;` → É).
 *
 * Regenerate: for k in names: f"{k}:{'+'.join('%x' % ord(c) for c in html5[k])}".
 */

const NAMED =
  'AElig:c6 AElig;:c6 AMP:26 AMP;:26 Aacute:c1 Aacute;:c1 Abreve;:102 Acirc:c2 Acirc;:c2 Acy;:410 ' +
  'Agrave:c0 Agrave;:c0 Alpha;:391 Amacr;:100 Aogon;:104 ApplyFunction;:2061 Aring:c5 Aring;:c5 ' +
  'Atilde:c3 Atilde;:c3 Auml:c4 Auml;:c4 Bcy;:411 Bernoullis;:212c Beta;:392 Bscr;:212c CHcy;:427 ' +
  'COPY:a9 COPY;:a9 Cacute;:106 CapitalDifferentialD;:2145 Cayleys;:212d Ccaron;:10c Ccedil:c7 ' +
  'Ccedil;:c7 Ccirc;:108 Cdot;:10a Cedilla;:b8 CenterDot;:b7 Cfr;:212d Chi;:3a7 ' +
  'CloseCurlyDoubleQuote;:201d CloseCurlyQuote;:2019 Copf;:2102 DD;:2145 DJcy;:402 DScy;:405 ' +
  'DZcy;:40f Dagger;:2021 Dcaron;:10e Dcy;:414 Delta;:394 DiacriticalAcute;:b4 DiacriticalGrave;:60 ' +
  'DifferentialD;:2146 Dot;:a8 DoubleDot;:a8 Dstrok;:110 ENG;:14a ETH:d0 ETH;:d0 Eacute:c9 ' +
  'Eacute;:c9 Ecaron;:11a Ecirc:ca Ecirc;:ca Ecy;:42d Edot;:116 Egrave:c8 Egrave;:c8 Emacr;:112 ' +
  'Eogon;:118 Epsilon;:395 Escr;:2130 Eta;:397 Euml:cb Euml;:cb ExponentialE;:2147 Fcy;:424 ' +
  'Fouriertrf;:2131 Fscr;:2131 GJcy;:403 GT:3e GT;:3e Gamma;:393 Gammad;:3dc Gbreve;:11e ' +
  'Gcedil;:122 Gcirc;:11c Gcy;:413 Gdot;:120 HARDcy;:42a Hat;:5e Hcirc;:124 Hfr;:210c ' +
  'HilbertSpace;:210b Hopf;:210d Hscr;:210b Hstrok;:126 IEcy;:415 IJlig;:132 IOcy;:401 Iacute:cd ' +
  'Iacute;:cd Icirc:ce Icirc;:ce Icy;:418 Idot;:130 Ifr;:2111 Igrave:cc Igrave;:cc Im;:2111 ' +
  'Imacr;:12a ImaginaryI;:2148 InvisibleComma;:2063 InvisibleTimes;:2062 Iogon;:12e Iota;:399 ' +
  'Iscr;:2110 Itilde;:128 Iukcy;:406 Iuml:cf Iuml;:cf Jcirc;:134 Jcy;:419 Jsercy;:408 Jukcy;:404 ' +
  'KHcy;:425 KJcy;:40c Kappa;:39a Kcedil;:136 Kcy;:41a LJcy;:409 LT:3c LT;:3c Lacute;:139 ' +
  'Lambda;:39b Laplacetrf;:2112 Lcaron;:13d Lcedil;:13b Lcy;:41b Lmidot;:13f Lscr;:2112 Lstrok;:141 ' +
  'Mcy;:41c MediumSpace;:205f Mellintrf;:2133 Mscr;:2133 Mu;:39c NJcy;:40a Nacute;:143 Ncaron;:147 ' +
  'Ncedil;:145 Ncy;:41d NegativeMediumSpace;:200b NegativeThickSpace;:200b NegativeThinSpace;:200b ' +
  'NegativeVeryThinSpace;:200b NewLine;:a NoBreak;:2060 NonBreakingSpace;:a0 Nopf;:2115 Ntilde:d1 ' +
  'Ntilde;:d1 Nu;:39d OElig;:152 Oacute:d3 Oacute;:d3 Ocirc:d4 Ocirc;:d4 Ocy;:41e Odblac;:150 ' +
  'Ograve:d2 Ograve;:d2 Omacr;:14c Omega;:3a9 Omicron;:39f OpenCurlyDoubleQuote;:201c ' +
  'OpenCurlyQuote;:2018 Oslash:d8 Oslash;:d8 Otilde:d5 Otilde;:d5 Ouml:d6 Ouml;:d6 OverBar;:203e ' +
  'Pcy;:41f Phi;:3a6 Pi;:3a0 PlusMinus;:b1 Poincareplane;:210c Popf;:2119 Prime;:2033 Psi;:3a8 ' +
  'QUOT:22 QUOT;:22 Qopf;:211a REG:ae REG;:ae Racute;:154 Rcaron;:158 Rcedil;:156 Rcy;:420 Re;:211c ' +
  'Rfr;:211c Rho;:3a1 Ropf;:211d Rscr;:211b SHCHcy;:429 SHcy;:428 SOFTcy;:42c Sacute;:15a ' +
  'Scaron;:160 Scedil;:15e Scirc;:15c Scy;:421 Sigma;:3a3 THORN:de THORN;:de TRADE;:2122 TSHcy;:40b ' +
  'TScy;:426 Tab;:9 Tau;:3a4 Tcaron;:164 Tcedil;:162 Tcy;:422 Theta;:398 ThinSpace;:2009 ' +
  'Tstrok;:166 Uacute:da Uacute;:da Ubrcy;:40e Ubreve;:16c Ucirc:db Ucirc;:db Ucy;:423 Udblac;:170 ' +
  'Ugrave:d9 Ugrave;:d9 Umacr;:16a UnderBar;:5f Uogon;:172 Upsi;:3d2 Upsilon;:3a5 Uring;:16e ' +
  'Utilde;:168 Uuml:dc Uuml;:dc Vcy;:412 Verbar;:2016 Vert;:2016 VerticalLine;:7c ' +
  'VeryThinSpace;:200a Wcirc;:174 Xi;:39e YAcy;:42f YIcy;:407 YUcy;:42e Yacute:dd Yacute;:dd ' +
  'Ycirc;:176 Ycy;:42b Yuml;:178 ZHcy;:416 Zacute;:179 Zcaron;:17d Zcy;:417 Zdot;:17b ' +
  'ZeroWidthSpace;:200b Zeta;:396 Zfr;:2128 Zopf;:2124 aacute:e1 aacute;:e1 abreve;:103 acirc:e2 ' +
  'acirc;:e2 acute:b4 acute;:b4 acy;:430 aelig:e6 aelig;:e6 af;:2061 agrave:e0 agrave;:e0 ' +
  'alefsym;:2135 aleph;:2135 alpha;:3b1 amacr;:101 amp:26 amp;:26 and;:2227 ang;:2220 angst;:c5 ' +
  'aogon;:105 apos;:27 aring:e5 aring;:e5 ast;:2a asymp;:2248 atilde:e3 atilde;:e3 auml:e4 auml;:e4 ' +
  'backepsilon;:3f6 backprime;:2035 bcy;:431 bdquo;:201e bepsi;:3f6 bernou;:212c beta;:3b2 ' +
  'beth;:2136 bprime;:2035 brvbar:a6 brvbar;:a6 bsemi;:204f bsol;:5c bull;:2022 bullet;:2022 ' +
  'cacute;:107 cap;:2229 caret;:2041 ccaron;:10d ccedil:e7 ccedil;:e7 ccirc;:109 cdot;:10b cedil:b8 ' +
  'cedil;:b8 cent:a2 cent;:a2 centerdot;:b7 chcy;:447 chi;:3c7 circ;:2c6 circledR;:ae clubs;:2663 ' +
  'colon;:3a comma;:2c commat;:40 complexes;:2102 cong;:2245 copy:a9 copy;:a9 copysr;:2117 ' +
  'crarr;:21b5 cup;:222a curren:a4 curren;:a4 dArr;:21d3 dagger;:2020 daleth;:2138 darr;:2193 ' +
  'dash;:2010 dcaron;:10f dcy;:434 dd;:2146 ddagger;:2021 deg:b0 deg;:b0 delta;:3b4 diams;:2666 ' +
  'die;:a8 digamma;:3dd div;:f7 divide:f7 divide;:f7 djcy;:452 dollar;:24 dscy;:455 dstrok;:111 ' +
  'dzcy;:45f eacute:e9 eacute;:e9 ecaron;:11b ecirc:ea ecirc;:ea ecy;:44d edot;:117 ee;:2147 ' +
  'egrave:e8 egrave;:e8 ell;:2113 emacr;:113 empty;:2205 emsp13;:2004 emsp14;:2005 emsp;:2003 ' +
  'eng;:14b ensp;:2002 eogon;:119 epsi;:3b5 epsilon;:3b5 epsiv;:3f5 equals;:3d equiv;:2261 ' +
  'escr;:212f eta;:3b7 eth:f0 eth;:f0 euml:eb euml;:eb euro;:20ac excl;:21 exist;:2203 ' +
  'expectation;:2130 exponentiale;:2147 fcy;:444 fnof;:192 forall;:2200 frac12:bd frac12;:bd ' +
  'frac14:bc frac14;:bc frac34:be frac34;:be frasl;:2044 gacute;:1f5 gamma;:3b3 gammad;:3dd ' +
  'gbreve;:11f gcirc;:11d gcy;:433 gdot;:121 ge;:2265 gimel;:2137 gjcy;:453 grave;:60 gscr;:210a ' +
  'gt:3e gt;:3e hArr;:21d4 hairsp;:200a half;:bd hamilt;:210b hardcy;:44a harr;:2194 hbar;:210f ' +
  'hcirc;:125 hearts;:2665 hellip;:2026 horbar;:2015 hslash;:210f hstrok;:127 hybull;:2043 ' +
  'hyphen;:2010 iacute:ed iacute;:ed ic;:2063 icirc:ee icirc;:ee icy;:438 iecy;:435 iexcl:a1 ' +
  'iexcl;:a1 igrave:ec igrave;:ec ii;:2148 iiota;:2129 ijlig;:133 imacr;:12b image;:2111 ' +
  'imagline;:2110 imagpart;:2111 imath;:131 imped;:1b5 incare;:2105 infin;:221e inodot;:131 ' +
  'int;:222b integers;:2124 iocy;:451 iogon;:12f iota;:3b9 iquest:bf iquest;:bf isin;:2208 it;:2062 ' +
  'itilde;:129 iukcy;:456 iuml:ef iuml;:ef jcirc;:135 jcy;:439 jmath;:237 jsercy;:458 jukcy;:454 ' +
  'kappa;:3ba kappav;:3f0 kcedil;:137 kcy;:43a kgreen;:138 khcy;:445 kjcy;:45c lArr;:21d0 ' +
  'lacute;:13a lagran;:2112 lambda;:3bb lang;:27e8 laquo:ab laquo;:ab larr;:2190 lbrace;:7b ' +
  'lbrack;:5b lcaron;:13e lcedil;:13c lceil;:2308 lcub;:7b lcy;:43b ldquo;:201c ldquor;:201e ' +
  'le;:2264 lfloor;:230a ljcy;:459 lmidot;:140 lowast;:2217 lowbar;:5f loz;:25ca lpar;:28 lrm;:200e ' +
  'lsaquo;:2039 lsqb;:5b lsquo;:2018 lsquor;:201a lstrok;:142 lt:3c lt;:3c macr:af macr;:af ' +
  'mcy;:43c mdash;:2014 mho;:2127 micro:b5 micro;:b5 midast;:2a middot:b7 middot;:b7 minus;:2212 ' +
  'mldr;:2026 mu;:3bc nabla;:2207 nacute;:144 napos;:149 naturals;:2115 nbsp:a0 nbsp;:a0 ' +
  'ncaron;:148 ncedil;:146 ncy;:43d ndash;:2013 ne;:2260 ni;:220b njcy;:45a nldr;:2025 not:ac ' +
  'not;:ac notin;:2209 nsub;:2284 ntilde:f1 ntilde;:f1 nu;:3bd num;:23 numero;:2116 numsp;:2007 ' +
  'oacute:f3 oacute;:f3 ocirc:f4 ocirc;:f4 ocy;:43e odblac;:151 oelig;:153 ograve:f2 ograve;:f2 ' +
  'ohm;:3a9 oline;:203e omacr;:14d omega;:3c9 omicron;:3bf oplus;:2295 or;:2228 order;:2134 ' +
  'orderof;:2134 ordf:aa ordf;:aa ordm:ba ordm;:ba oscr;:2134 oslash:f8 oslash;:f8 otilde:f5 ' +
  'otilde;:f5 otimes;:2297 ouml:f6 ouml;:f6 para:b6 para;:b6 part;:2202 pcy;:43f percnt;:25 ' +
  'period;:2e permil;:2030 perp;:22a5 pertenk;:2031 phi;:3c6 phiv;:3d5 phmmat;:2133 pi;:3c0 ' +
  'piv;:3d6 planck;:210f planckh;:210e plankv;:210f plus;:2b plusmn:b1 plusmn;:b1 pm;:b1 pound:a3 ' +
  'pound;:a3 prime;:2032 primes;:2119 prod;:220f prop;:221d psi;:3c8 puncsp;:2008 qprime;:2057 ' +
  'quaternions;:210d quest;:3f quot:22 quot;:22 rArr;:21d2 racute;:155 radic;:221a rang;:27e9 ' +
  'raquo:bb raquo;:bb rarr;:2192 rationals;:211a rbrace;:7d rbrack;:5d rcaron;:159 rcedil;:157 ' +
  'rceil;:2309 rcub;:7d rcy;:440 rdquo;:201d rdquor;:201d real;:211c realine;:211b realpart;:211c ' +
  'reals;:211d reg:ae reg;:ae rfloor;:230b rho;:3c1 rhov;:3f1 rlm;:200f rpar;:29 rsaquo;:203a ' +
  'rsqb;:5d rsquo;:2019 rsquor;:2019 rx;:211e sacute;:15b sbquo;:201a scaron;:161 scedil;:15f ' +
  'scirc;:15d scy;:441 sdot;:22c5 sect:a7 sect;:a7 semi;:3b shchcy;:449 shcy;:448 shy:ad shy;:ad ' +
  'sigma;:3c3 sigmaf;:3c2 sigmav;:3c2 sim;:223c softcy;:44c sol;:2f spades;:2660 ' +
  'straightepsilon;:3f5 straightphi;:3d5 strns;:af sub;:2282 sube;:2286 sum;:2211 sup1:b9 sup1;:b9 ' +
  'sup2:b2 sup2;:b2 sup3:b3 sup3;:b3 sup;:2283 supe;:2287 szlig:df szlig;:df tau;:3c4 tcaron;:165 ' +
  'tcedil;:163 tcy;:442 there4;:2234 theta;:3b8 thetasym;:3d1 thetav;:3d1 thinsp;:2009 thorn:fe ' +
  'thorn;:fe tilde;:2dc times:d7 times;:d7 tprime;:2034 trade;:2122 tscy;:446 tshcy;:45b ' +
  'tstrok;:167 uArr;:21d1 uacute:fa uacute;:fa uarr;:2191 ubrcy;:45e ubreve;:16d ucirc:fb ucirc;:fb ' +
  'ucy;:443 udblac;:171 ugrave:f9 ugrave;:f9 umacr;:16b uml:a8 uml;:a8 uogon;:173 upsi;:3c5 ' +
  'upsih;:3d2 upsilon;:3c5 uring;:16f utilde;:169 uuml:fc uuml;:fc varepsilon;:3f5 varkappa;:3f0 ' +
  'varphi;:3d5 varpi;:3d6 varrho;:3f1 varsigma;:3c2 vartheta;:3d1 vcy;:432 verbar;:7c vert;:7c ' +
  'wcirc;:175 weierp;:2118 wp;:2118 xi;:3be yacute:fd yacute;:fd yacy;:44f ycirc;:177 ycy;:44b ' +
  'yen:a5 yen;:a5 yicy;:457 yucy;:44e yuml:ff yuml;:ff zacute;:17a zcaron;:17e zcy;:437 zdot;:17c ' +
  'zeetrf;:2128 zeta;:3b6 zhcy;:436 zwj;:200d zwnj;:200c ';

const UPPER =
  'AACUTE;:c1 ABREVE;:102 ACIRC;:c2 ACUTE;:b4 ACY;:410 AELIG;:c6 AF;:2061 AGRAVE;:c0 ALEFSYM;:2135 ' +
  'ALEPH;:2135 ALPHA;:391 AMACR;:100 AND;:2227 ANG;:2220 ANGST;:c5 AOGON;:104 APOS;:27 ARING;:c5 ' +
  'AST;:2a ASYMP;:2248 ATILDE;:c3 AUML;:c4 BACKEPSILON;:3f6 BACKPRIME;:2035 BCY;:411 BDQUO;:201e ' +
  'BEPSI;:3f6 BERNOU;:212c BETA;:392 BETH;:2136 BPRIME;:2035 BRVBAR;:a6 BSEMI;:204f BSOL;:5c ' +
  'BULL;:2022 BULLET;:2022 CACUTE;:106 CAP;:2229 CARET;:2041 CCARON;:10c CCEDIL;:c7 CCIRC;:108 ' +
  'CDOT;:10a CEDIL;:b8 CENT;:a2 CENTERDOT;:b7 CHCY;:427 CHI;:3a7 CIRC;:2c6 CLUBS;:2663 COLON;:3a ' +
  'COMMA;:2c COMMAT;:40 COMPLEXES;:2102 CONG;:2245 CRARR;:21b5 CUP;:222a CURREN;:a4 DAGGER;:2020 ' +
  'DALETH;:2138 DARR;:2193 DASH;:2010 DCARON;:10e DCY;:414 DDAGGER;:2021 DEG;:b0 DELTA;:394 ' +
  'DIAMS;:2666 DIE;:a8 DIGAMMA;:3dc DIV;:f7 DIVIDE;:f7 DJCY;:402 DOLLAR;:24 DSCY;:405 DSTROK;:110 ' +
  'DZCY;:40f EACUTE;:c9 ECARON;:11a ECIRC;:ca ECY;:42d EDOT;:116 EE;:2147 EGRAVE;:c8 ELL;:2113 ' +
  'EMACR;:112 EMPTY;:2205 EMSP13;:2004 EMSP14;:2005 EMSP;:2003 ENSP;:2002 EOGON;:118 EPSI;:395 ' +
  'EPSILON;:395 EPSIV;:395 EQUALS;:3d EQUIV;:2261 ESCR;:212f ETA;:397 EUML;:cb EURO;:20ac EXCL;:21 ' +
  'EXIST;:2203 EXPECTATION;:2130 EXPONENTIALE;:2147 FCY;:424 FNOF;:191 FORALL;:2200 FRAC12;:bd ' +
  'FRAC14;:bc FRAC34;:be FRASL;:2044 GACUTE;:1f4 GAMMA;:393 GAMMAD;:3dc GBREVE;:11e GCIRC;:11c ' +
  'GCY;:413 GDOT;:120 GE;:2265 GIMEL;:2137 GJCY;:403 GRAVE;:60 GSCR;:210a HAIRSP;:200a HALF;:bd ' +
  'HAMILT;:210b HARDCY;:42a HARR;:2194 HBAR;:210f HCIRC;:124 HEARTS;:2665 HELLIP;:2026 HORBAR;:2015 ' +
  'HSLASH;:210f HSTROK;:126 HYBULL;:2043 HYPHEN;:2010 IACUTE;:cd IC;:2063 ICIRC;:ce ICY;:418 ' +
  'IECY;:415 IEXCL;:a1 IGRAVE;:cc II;:2148 IIOTA;:2129 IJLIG;:132 IMACR;:12a IMAGE;:2111 ' +
  'IMAGLINE;:2110 IMAGPART;:2111 IMATH;:49 IMPED;:1b5 INCARE;:2105 INFIN;:221e INODOT;:49 INT;:222b ' +
  'INTEGERS;:2124 IOCY;:401 IOGON;:12e IOTA;:399 IQUEST;:bf ISIN;:2208 IT;:2062 ITILDE;:128 ' +
  'IUKCY;:406 IUML;:cf JCIRC;:134 JCY;:419 JMATH;:237 JSERCY;:408 JUKCY;:404 KAPPA;:39a KAPPAV;:39a ' +
  'KCEDIL;:136 KCY;:41a KGREEN;:138 KHCY;:425 KJCY;:40c LACUTE;:139 LAGRAN;:2112 LAMBDA;:39b ' +
  'LANG;:27e8 LAQUO;:ab LARR;:2190 LBRACE;:7b LBRACK;:5b LCARON;:13d LCEDIL;:13b LCEIL;:2308 ' +
  'LCUB;:7b LCY;:41b LDQUO;:201c LDQUOR;:201e LE;:2264 LFLOOR;:230a LJCY;:409 LMIDOT;:13f ' +
  'LOWAST;:2217 LOWBAR;:5f LOZ;:25ca LPAR;:28 LRM;:200e LSAQUO;:2039 LSQB;:5b LSQUO;:2018 ' +
  'LSQUOR;:201a LSTROK;:141 MACR;:af MCY;:41c MDASH;:2014 MHO;:2127 MICRO;:39c MIDAST;:2a ' +
  'MIDDOT;:b7 MINUS;:2212 MLDR;:2026 MU;:39c NABLA;:2207 NACUTE;:143 NAPOS;:2bc+4e NATURALS;:2115 ' +
  'NBSP;:a0 NCARON;:147 NCEDIL;:145 NCY;:41d NDASH;:2013 NE;:2260 NI;:220b NJCY;:40a NLDR;:2025 ' +
  'NOT;:ac NOTIN;:2209 NSUB;:2284 NTILDE;:d1 NU;:39d NUM;:23 NUMERO;:2116 NUMSP;:2007 OACUTE;:d3 ' +
  'OCIRC;:d4 OCY;:41e ODBLAC;:150 OELIG;:152 OGRAVE;:d2 OHM;:3a9 OLINE;:203e OMACR;:14c OMEGA;:3a9 ' +
  'OMICRON;:39f OPLUS;:2295 OR;:2228 ORDER;:2134 ORDEROF;:2134 ORDF;:aa ORDM;:ba OSCR;:2134 ' +
  'OSLASH;:d8 OTILDE;:d5 OTIMES;:2297 OUML;:d6 PARA;:b6 PART;:2202 PCY;:41f PERCNT;:25 PERIOD;:2e ' +
  'PERMIL;:2030 PERP;:22a5 PERTENK;:2031 PHI;:3a6 PHIV;:3a6 PHMMAT;:2133 PI;:3a0 PIV;:3a0 ' +
  'PLANCK;:210f PLANCKH;:210e PLANKV;:210f PLUS;:2b PLUSMN;:b1 PM;:b1 POUND;:a3 PRIME;:2032 ' +
  'PRIMES;:2119 PROD;:220f PROP;:221d PSI;:3a8 PUNCSP;:2008 QPRIME;:2057 QUATERNIONS;:210d ' +
  'QUEST;:3f RACUTE;:154 RADIC;:221a RANG;:27e9 RAQUO;:bb RARR;:2192 RATIONALS;:211a RBRACE;:7d ' +
  'RBRACK;:5d RCARON;:158 RCEDIL;:156 RCEIL;:2309 RCUB;:7d RCY;:420 RDQUO;:201d RDQUOR;:201d ' +
  'REAL;:211c REALINE;:211b REALPART;:211c REALS;:211d RFLOOR;:230b RHO;:3a1 RHOV;:3a1 RLM;:200f ' +
  'RPAR;:29 RSAQUO;:203a RSQB;:5d RSQUO;:2019 RSQUOR;:2019 RX;:211e SACUTE;:15a SBQUO;:201a ' +
  'SCARON;:160 SCEDIL;:15e SCIRC;:15c SCY;:421 SDOT;:22c5 SECT;:a7 SEMI;:3b SHCHCY;:429 SHCY;:428 ' +
  'SHY;:ad SIGMA;:3a3 SIGMAF;:3a3 SIGMAV;:3a3 SIM;:223c SOFTCY;:42c SOL;:2f SPADES;:2660 ' +
  'STRAIGHTEPSILON;:395 STRAIGHTPHI;:3a6 STRNS;:af SUB;:2282 SUBE;:2286 SUM;:2211 SUP1;:b9 SUP2;:b2 ' +
  'SUP3;:b3 SUP;:2283 SUPE;:2287 SZLIG;:53+53 TAU;:3a4 TCARON;:164 TCEDIL;:162 TCY;:422 ' +
  'THERE4;:2234 THETA;:398 THETASYM;:398 THETAV;:398 THINSP;:2009 TILDE;:2dc TIMES;:d7 TPRIME;:2034 ' +
  'TSCY;:426 TSHCY;:40b TSTROK;:166 UACUTE;:da UARR;:2191 UBRCY;:40e UBREVE;:16c UCIRC;:db UCY;:423 ' +
  'UDBLAC;:170 UGRAVE;:d9 UMACR;:16a UML;:a8 UOGON;:172 UPSI;:3a5 UPSIH;:3d2 UPSILON;:3a5 ' +
  'URING;:16e UTILDE;:168 UUML;:dc VAREPSILON;:395 VARKAPPA;:39a VARPHI;:3a6 VARPI;:3a0 VARRHO;:3a1 ' +
  'VARSIGMA;:3a3 VARTHETA;:398 VCY;:412 VERBAR;:7c VERT;:7c WCIRC;:174 WEIERP;:2118 WP;:2118 ' +
  'XI;:39e YACUTE;:dd YACY;:42f YCIRC;:176 YCY;:42b YEN;:a5 YICY;:407 YUCY;:42e YUML;:178 ' +
  'ZACUTE;:179 ZCARON;:17d ZCY;:417 ZDOT;:17b ZEETRF;:2128 ZETA;:396 ZHCY;:416 ZWJ;:200d ZWNJ;:200c ';

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
