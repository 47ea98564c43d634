/**
 * A "known-ish" TLD list: enough to tell `clinic.health` from `invoice.pdf` without shipping the whole
 * IANA root zone. Country codes are ISO 3166-1 alpha-2 as delegated in the root zone.
 */

const GENERIC = `com net org info biz edu gov mil int arpa name pro mobi asia tel travel jobs museum aero coop cat
post xxx io co ai app dev cloud tech online site website store shop blog news media email link click
live life world today space xyz top club vip win bid loan work digital network systems solutions
services software company group global agency health healthcare care clinic hospital doctor dental
dentist medical pharmacy surgery vision insurance insure fitness bank finance financial money
capital credit creditcard cards cash fund investments exchange market markets trade trading law
legal lawyer attorney consulting management partners center institute foundation charity ngo
security secure hosting host server domains web page wiki chat social support help email mail biz
design studio art photo pics video tv movie music radio games game bet casino poker porn sex adult
sexy london nyc paris berlin tokyo moscow amsterdam google amazon microsoft apple su eu onion i2p
test`;

const COUNTRY = `ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs bt
bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es
et fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id
ie il im in iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv
ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr
nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl
sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va
vc ve vg vi vn vu wf ws ye yt za zm zw`;

/**
 * TLDs that are also common file extensions (`setup.py`, `notes.md`, `run.sh`, `data.zip`, `clip.mov`):
 * a bare `x.md` is most likely a file, so the domain extractor needs URL context for these. `.cc` and `.ai`
 * are left out on purpose: carding shops and startups use them far more than C++ and Illustrator files
 * appear in forum text.
 */
export const FILE_LIKE_TLDS: ReadonlySet<string> = new Set([
  'py',
  'sh',
  'md',
  'rs',
  'pl',
  'ps',
  'so',
  'zip',
  'mov',
  'mk',
]);

/** Every TLD the extractors accept (lower case). */
export const KNOWN_TLDS: ReadonlySet<string> = new Set(
  `${GENERIC} ${COUNTRY} zip mov`.split(/\s+/).filter((t) => t !== ''),
);

/** True when `tld` (any case) is in the known list or is an IDN A-label (`xn--…`). */
export function isKnownTld(tld: string): boolean {
  const lower = tld.toLowerCase();
  return KNOWN_TLDS.has(lower) || /^xn--[a-z0-9-]{2,59}$/.test(lower);
}
