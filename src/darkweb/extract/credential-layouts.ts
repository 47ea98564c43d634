/**
 * Where the secrets of credential dumps sit, in every layout leak posts use (issue #9 sections 2 and 3):
 *
 *   combo       `email:pass`, `email;pass`, `email|pass|…`, tab, comma or space separated, with bullets
 *               (`- `, `* `, `> `, `1. `) before; `user:pass` lines of a list
 *   ulp         `https://site/login:email:pass`, `site.test:user:pass` (URL:login:pass lists) and
 *               `login:pass@https://site`
 *   url         `scheme://user:pass@host` user info in any URL
 *   table       CSV/TSV/pipe tables whose header names a password or hash column
 *   labelled    `login: bob password: hunter2` on one line, `"password": "…"` (JSON) and `pass=…`
 *   block       stealer-log blocks: `URL:`/`Host:` then `Username:`/`Login:`/`USER:` then `Password:`/`PASS:`
 *               on the lines that follow (RedLine, Raccoon, Vidar, Lumma write them so)
 *   inline      a pair inside a sentence: `try bob@clinic.test:Hunter2 on the portal`
 *
 * The finder returns where each secret is, so the caller masks it before anything is stored or
 * indexed, and the login, so it can count the pair. It reads every line (a secret past a cap would
 * be stored in clear); each pattern is linear in its line, and lines over MAX_LINE are only searched
 * for inline pairs and URL user info.
 */
import { isValidDomain } from './domain.js';
import { EMAIL_SOURCE, isValidEmail, normalizeEmail } from './email.js';

/** The layout a pair was written in (see the module comment). */
export type CredentialLayout = 'combo' | 'ulp' | 'url' | 'table' | 'labelled' | 'block' | 'inline';

/** One credential pair: the login (e-mail or user name) and where its secret is. */
export interface CredentialPair {
  layout: CredentialLayout;
  /** The login as written (an e-mail address or a user name); empty when a block had none. */
  login: string;
  loginStart: number;
  /** The secret (password or password hash) as written. */
  secret: string;
  secretStart: number;
  secretEnd: number;
  /** The site the pair is for, when the layout names one (ULP lists, stealer blocks, URL user info). */
  url?: string;
}

const MAX_SECRET_LENGTH = 256;
/** Longer lines are not read as dump lines (a dump line is short; a minified blob is not a dump). */
const MAX_LINE = 2048;
/** How many lines after a login label a password label may follow in a stealer block. */
const BLOCK_REACH = 4;

const EMAIL_EXACT = new RegExp(`^${EMAIL_SOURCE}$`, 'i');
const EMAIL_AT_START = new RegExp(`^${EMAIL_SOURCE}(?=:)`, 'i');
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
/**
 * What a chat or IRC client writes before a message: a time (`[06:11:16]`, `06:35`, `Nov 21 17:54:15`)
 * and a nick in angle brackets (`<@k1ng>`, `< k1ng>`), so `<vex> bob@clinic.test | pw` is a combo line.
 */
const CHAT_PREFIX =
  String.raw`(?:(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?|[A-Z][a-z]{2}[ \t]+\d{1,2}[ \t]+\d{1,2}:\d{2}(?::\d{2})?)[ \t]+)?` +
  String.raw`<[ @+%&~]?[^<>\s]{1,32}>[ \t]+`;
const BULLET = new RegExp(String.raw`^[ \t]*(?:${CHAT_PREFIX})?(?:[-*•>]+[ \t]+|\d{1,6}[.)][ \t]+|\[\d{1,6}\][ \t]*)?`);
/** Before a label of a block line: spaces, a chat prefix, a bullet. */
const LINE_LEAD = String.raw`^[ \t]*(?:${CHAT_PREFIX})?(?:[-*•>]+[ \t]*)?`;
const SCHEME = /^[a-z][a-z0-9+.-]{1,15}:\/\//i;
/** Words that stand before a colon in ordinary posts and are not user names ("Price:0.4BTC"). */
const LABEL_WORDS = new Set(
  (
    'price cost contact tox jabber xmpp telegram session size records rows date time btc xmr usdt eth ' +
    'total count format sample samples type status note notes ref id url host site http https ftp mailto ' +
    'escrow deposit revenue country region state city zip phone fax tel email mail user username login ' +
    'pass password pwd subject from to cc re fw fwd dx icd mrn dob ssn npi'
  ).split(' '),
);

const LOGIN_LABEL =
  String.raw`(?:user(?:[ _-]?name)?|login|log-in|e-?mail(?:[ _-]?address)?|mail|` + String.raw`account|acct|uid|usr)`;
const PASS_LABEL = String.raw`(?:pass(?:word|wd|phrase)?|pwd|pw|psw|mot[ _-]de[ _-]passe|passwort|contrase[nñ]a)`;
const URL_LABEL = String.raw`(?:url|host|hostname|site|website|domain|server|soft|application|app)`;
/** `login: bob password: hunter2` (one line; separators between). */
const SAME_LINE = new RegExp(
  String.raw`\b${LOGIN_LABEL}\s*[:=]\s*(\S{1,254})[\s,;|/]+(?:and\s+)?` +
    String.raw`${PASS_LABEL}\s*[:=]\s*(\S{1,${MAX_SECRET_LENGTH}})`,
  'gi',
);
/** A password line of a block: `Password: x`, `PASS: x`, `pwd = x`. */
const PASS_LINE = new RegExp(String.raw`${LINE_LEAD}${PASS_LABEL}[ \t]*[:=][ \t]*(\S.*?)[ \t]*$`, 'di');
const LOGIN_LINE = new RegExp(String.raw`${LINE_LEAD}${LOGIN_LABEL}[ \t]*[:=][ \t]*(\S+)`, 'i');
const URL_LINE = new RegExp(String.raw`${LINE_LEAD}${URL_LABEL}[ \t]*[:=][ \t]*(\S+)`, 'i');
/**
 * A secret in a configuration file or environment (`DB_PASSWORD=…`, `MAIL_PASS: …`, `export API_SECRET=…`):
 * a key without spaces that names a password or secret.
 */
const ENV_SECRET = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+)?[A-Za-z0-9_.-]*(?:pass(?:word|wd)?|pwd|secret)[A-Za-z0-9_.-]*` +
    String.raw`[ \t]*[=:][ \t]*(\S[^\r\n]*?)[ \t]*$`,
  'di',
);
/**
 * A pair written in prose: `bob@clinic.test / Hunter2!`, `tried bob@clinic.test with Hunter2! on the portal`,
 * `bob@clinic.test pass Hunter2!`; the token must read as a password (prose words after an address do not).
 */
const PROSE_PAIR = new RegExp(
  String.raw`(?<![\w.%+-])(${EMAIL_SOURCE})(?:[ \t]*[/|][ \t]*|[ \t]+(?:with|using|and|pass(?:word)?|pw|pwd)` +
    String.raw`(?:[ \t]+is)?[ \t]*[:=]?[ \t]*)(\S{4,${MAX_SECRET_LENGTH}})`,
  'gi',
);
/** JSON or key=value: `"password": "x"`, `'pwd':'x'`, `password="x"`. */
const QUOTED = new RegExp(
  String.raw`(?<![\w-])["']?${PASS_LABEL}["']?\s*[:=]\s*` +
    String.raw`(?:"([^"\r\n]{1,${MAX_SECRET_LENGTH}})"|'([^'\r\n]{1,${MAX_SECRET_LENGTH}})')`,
  'gi',
);
const QUOTED_LOGIN = new RegExp(String.raw`["']${LOGIN_LABEL}["']?\s*[:=]\s*["']([^"'\r\n]{1,254})["']`, 'i');
/** `scheme://user:pass@host` (RFC 3986 user info). */
const URL_USERINFO = /\b[a-z][a-z0-9+.-]{1,15}:\/\/([^\s:@/]{1,128}):([^\s@/]{1,256})@([^\s/:?#]{1,253})/gi;
/** An e-mail glued to a separator and a token, anywhere in a line. */
const INLINE = new RegExp(String.raw`(?<![\w.%+-])(${EMAIL_SOURCE})[:;|](\S{1,${MAX_SECRET_LENGTH}})`, 'gi');
const HEADER_SECRET =
  /^(?:pass(?:word|wd)?|pwd|pw|psw|password[ _-]?hash|hash|pass[ _-]?hash|hashed[ _-]?password|bcrypt|md5|sha1|ntlm)$/i;
const HEADER_LOGIN = /^(?:e-?mail(?:[ _-]?address)?|login|user(?:[ _-]?name)?|account|usr|uid|mail)$/i;
const HEADER_URL = /^(?:url|host|site|domain|website)$/i;

/** True when `secret` can be a password field: 1-256 characters without whitespace. */
export function isPlausibleSecret(secret: string): boolean {
  return secret.length >= 1 && secret.length <= MAX_SECRET_LENGTH && !/\s/.test(secret);
}

/** Password-hash shapes dumps carry instead of passwords: bcrypt, crypt(3) SHA, argon2, MD5/SHA-1/SHA-256/NTLM hex. */
export function isPasswordHash(secret: string): boolean {
  return (
    /^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/.test(secret) ||
    /^\$(?:1|5|6|y|argon2(?:id|i|d)|pbkdf2[-\w]*|scrypt)\$\S{8,}$/.test(secret) ||
    /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64})$/.test(secret) ||
    /^\{S?SHA\d*\}[A-Za-z0-9+/=]{16,}$/.test(secret)
  );
}

/**
 * A secret that reads as a chosen password (6+ characters, a letter, and a digit or a symbol inside
 * it: "Hunter2!", "p@ssword", not "wrote:" or "(admin)") or as a password hash.
 */
function looksLikePassword(secret: string): boolean {
  if (isPasswordHash(secret)) return true;
  const core = secret.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  return (
    secret.length >= 6 &&
    /\p{L}/u.test(core) &&
    (/\d/.test(core) || /[^\p{L}\p{N}]/u.test(core)) &&
    !/^\d+(?:[.,]\d+)?[a-z]{0,4}$/i.test(core)
  );
}

function isEmail(text: string): boolean {
  return EMAIL_EXACT.test(text) && isValidEmail(normalizeEmail(text));
}

/** A login field: an e-mail, or a user name that is not a word posts put before a colon. */
function isLogin(text: string): boolean {
  return isEmail(text) || (USER_NAME.test(text) && /[A-Za-z]/.test(text) && !LABEL_WORDS.has(text.toLowerCase()));
}

/** A site field of a ULP line: a URL with a scheme, or a host name (with a path or port) under a real TLD. */
function isSite(text: string): boolean {
  if (SCHEME.test(text)) return true;
  const host = text.split(/[/:?#]/, 1)[0]!.toLowerCase();
  return host.includes('.') && isValidDomain(host.startsWith('www.') ? host.slice(4) : host);
}

/** Strips sentence punctuation a writer put after an inline pair ("…:Hunter2." ends the sentence). */
function trimTrailingPunctuation(secret: string): string {
  return secret.replace(/[.,;!?)\]'"]+$/, '') || secret;
}

interface Line {
  text: string;
  start: number;
}

function* linesOf(text: string): Generator<Line> {
  let start = 0;
  // Every line is read, however long the dump: a secret past any cap would be stored in clear.
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    yield { text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, start };
    start = end + 1;
  }
}

type Emit = (pair: CredentialPair) => void;

/** Splits a field list on `separator`, keeping each field's offset in the line. */
function fieldsOf(line: string, separator: RegExp, maxFields = 64): Field[] | undefined {
  const fields: Field[] = [];
  let cursor = 0;
  separator.lastIndex = 0;
  for (let m = separator.exec(line); m !== null; m = separator.exec(line)) {
    if (fields.length + 1 >= maxFields) return undefined;
    if (m[0] === '') {
      separator.lastIndex++;
      continue;
    }
    fields.push(trimmedField(line, cursor, m.index));
    cursor = m.index + m[0].length;
  }
  fields.push(trimmedField(line, cursor, line.length));
  return fields;
}

function trimmedField(line: string, from: number, to: number): Field {
  let a = from;
  let b = to;
  while (a < b && (line[a] === ' ' || line[a] === '\t')) a++;
  while (b > a && (line[b - 1] === ' ' || line[b - 1] === '\t')) b--;
  return { text: line.slice(a, b), start: a };
}

/**
 * Field separators of combo and ULP lines other than ':', most deliberate first. `char` is the one
 * character each pattern needs: testing for it is exact and much cheaper than trying the pattern at
 * every position of every line (this runs on every line of every ingested document).
 */
const SEPARATORS: readonly { char: string; pattern: RegExp; maxFields: number; loose: boolean }[] = [
  { char: '\t', pattern: /\t/g, maxFields: 3, loose: false },
  { char: '|', pattern: /[ \t]*\|[ \t]*/g, maxFields: 16, loose: false },
  { char: ';', pattern: /;/g, maxFields: 8, loose: false },
  // Commas and spaces also separate words of prose: a lone line needs a secret that reads as a password.
  { char: ',', pattern: /[ \t]*,[ \t]*/g, maxFields: 3, loose: true },
  { char: ' ', pattern: / +/g, maxFields: 3, loose: true },
];

/**
 * A combo or ULP line (one pair a line, no labels). `inList`: a neighbouring line has the same shape,
 * so the line is part of a dump rather than prose.
 */
function comboLine(line: Line, emit: Emit, inList: boolean): boolean {
  const bullet = BULLET.exec(line.text)![0].length;
  const body = line.text.slice(bullet).trimEnd();
  if (body === '' || body.length > MAX_LINE) return false;
  const at = (offset: number): number => line.start + bullet + offset;
  const pairOf = (layout: CredentialLayout, login: Field, secret: Field, url?: string): CredentialPair => {
    const pair: CredentialPair = {
      layout,
      login: login.text,
      loginStart: at(login.start),
      secret: secret.text,
      secretStart: at(secret.start),
      secretEnd: at(secret.start + secret.text.length),
    };
    if (url !== undefined) pair.url = url;
    return pair;
  };
  for (const { char, pattern, maxFields, loose } of SEPARATORS) {
    if (!body.includes(char)) continue;
    const fields = fieldsOf(body, pattern, maxFields);
    if (fields === undefined) return false;
    const [a, b, c] = fields;
    if (a === undefined || b === undefined || b.text === '' || !isPlausibleSecret(b.text)) return false;
    const trusted = !loose || inList || looksLikePassword(b.text);
    if (isEmail(a.text) && (fields.length === 2 || pattern.source.includes('|')) && trusted) {
      emit(pairOf('combo', a, b));
      return true;
    }
    if (c !== undefined && fields.length === 3 && c.text !== '' && isPlausibleSecret(c.text) && isSite(a.text)) {
      if (isLogin(b.text) && (!loose || inList || looksLikePassword(c.text))) {
        emit(pairOf('ulp', b, c, a.text));
        return true;
      }
    }
    // `email;pass;with;semicolons`: the first field is the login, the rest the secret (old combo lists).
    if (pattern.source === ';' && isEmail(a.text) && !/\s/.test(body)) {
      emit(pairOf('combo', a, { text: body.slice(b.start), start: b.start }));
      return true;
    }
    return false;
  }
  if (!body.includes(':')) return false;
  return colonLine(body, emit, inList, pairOf);
}

interface Field {
  text: string;
  start: number;
}

/** `email:pass`, `url:login:pass`, `login:pass@url` and `user:pass` (no whitespace in the line). */
function colonLine(
  body: string,
  emit: Emit,
  inList: boolean,
  pairOf: (layout: CredentialLayout, login: Field, secret: Field, url?: string) => CredentialPair,
): boolean {
  const field = (from: number, to: number): Field => ({ text: body.slice(from, to), start: from });
  // login:pass@https://site — the site after the last '@' has a scheme or a path, or is a host name
  // under a real TLD after a user name ("jdoe:pw@mail.clinic.test"): the host is the account's owner,
  // not part of the secret.
  const lastAt = body.lastIndexOf('@');
  if (lastAt > 0) {
    const site = body.slice(lastAt + 1);
    const firstAt = body.indexOf('@');
    const colon = body.indexOf(':', firstAt < lastAt ? firstAt + 1 : 0);
    const bareHost = firstAt === lastAt && !site.includes(':') && isSite(site);
    if (colon > 0 && colon < lastAt && (SCHEME.test(site) || (site.includes('/') && isSite(site)) || bareHost)) {
      const login = field(0, colon);
      if (isLogin(login.text) && colon + 1 < lastAt) {
        emit(pairOf('ulp', login, field(colon + 1, lastAt), site));
        return true;
      }
    }
  }
  // email:pass (the secret may hold ':' too).
  const email = EMAIL_AT_START.exec(body);
  if (email !== null && isEmail(email[0])) {
    if (email[0].length + 1 >= body.length) return false;
    emit(pairOf('combo', field(0, email[0].length), field(email[0].length + 1, body.length)));
    return true;
  }
  // url:login:pass, split from the right (a URL holds ':' in its scheme and port).
  const last = body.lastIndexOf(':');
  const middle = body.lastIndexOf(':', last - 1);
  if (middle > 0 && last + 1 < body.length) {
    const login = field(middle + 1, last);
    if (isSite(body.slice(0, middle)) && isLogin(login.text)) {
      emit(pairOf('ulp', login, field(last + 1, body.length), body.slice(0, middle)));
      return true;
    }
  }
  // user:pass, in a list of such lines or with a secret that reads as a password or a hash.
  const colon = body.indexOf(':');
  const login = field(0, colon);
  const secret = field(colon + 1, body.length);
  if (secret.text !== '' && isLogin(login.text) && !SCHEME.test(body) && (inList || looksLikePassword(secret.text))) {
    emit(pairOf('combo', login, secret));
    return true;
  }
  return false;
}

/** CSV/TSV/pipe tables whose header names the secret column. Returns the lines consumed after the header. */
function tableAt(lines: Line[], index: number, emit: Emit): number {
  const header = lines[index]!;
  for (const separator of [/\t/g, /[ \t]*\|[ \t]*/g, /[ \t]*;[ \t]*/g, /[ \t]*,[ \t]*/g]) {
    separator.lastIndex = 0;
    if (!separator.test(header.text)) continue;
    const headerFields = fieldsOf(header.text.replace(/^\s*\|/, ' ').replace(/\|\s*$/, ' '), separator);
    if (headerFields === undefined) return 0;
    const names = headerFields.map((f) => f.text.replace(/^["'`]|["'`]$/g, '').trim());
    // A header is a row of short column names, not a sentence that says "password".
    if (names.length < 2 || names.some((n) => n.length > 40 || n.split(/\s+/).length > 3)) return 0;
    const secretColumn = names.findIndex((n) => HEADER_SECRET.test(n));
    if (secretColumn < 0) return 0;
    const loginColumn = names.findIndex((n) => HEADER_LOGIN.test(n));
    const urlColumn = names.findIndex((n) => HEADER_URL.test(n));
    let consumed = 0;
    for (let i = index + 1; i < lines.length; i++) {
      const row = lines[i]!;
      if (row.text.trim() === '' || /^[\s|:+-]+$/.test(row.text)) {
        if (row.text.trim() === '') break;
        consumed++;
        continue;
      }
      const padded = row.text.replace(/^(\s*)\|/, '$1 ').replace(/\|(\s*)$/, ' $1');
      const fields = fieldsOf(padded, separator);
      if (fields === undefined || fields.length < Math.max(2, names.length - 1)) break;
      consumed++;
      const secret = fields[secretColumn];
      if (secret === undefined || secret.text === '' || secret.text.length > MAX_SECRET_LENGTH) continue;
      const value = secret.text.replace(/^"(.*)"$/, '$1');
      const offset = secret.start + secret.text.indexOf(value);
      const login = loginColumn >= 0 ? fields[loginColumn] : undefined;
      const pair: CredentialPair = {
        layout: 'table',
        login: login?.text.replace(/^"(.*)"$/, '$1') ?? '',
        loginStart: row.start + (login?.start ?? 0),
        secret: value,
        secretStart: row.start + offset,
        secretEnd: row.start + offset + value.length,
      };
      const url = urlColumn >= 0 ? fields[urlColumn]?.text : undefined;
      if (url !== undefined && url !== '') pair.url = url;
      emit(pair);
    }
    return consumed;
  }
  return 0;
}

/** `Password: x` lines, with the login and URL lines of the same block above them. */
function blockPassword(lines: Line[], index: number, emit: Emit): boolean {
  const line = lines[index]!;
  const m = PASS_LINE.exec(line.text);
  if (m === null) return false;
  const secret = m[1]!;
  if (secret.length > MAX_SECRET_LENGTH) return false;
  const secretStart = line.start + m.indices![1]![0];
  const pair: CredentialPair = {
    layout: 'block',
    login: '',
    loginStart: line.start,
    secret,
    secretStart,
    secretEnd: secretStart + secret.length,
  };
  for (let back = index - 1; back >= 0 && back >= index - BLOCK_REACH; back--) {
    const above = lines[back]!;
    if (above.text.trim() === '') break;
    const login = LOGIN_LINE.exec(above.text);
    if (login !== null && pair.login === '') {
      pair.login = login[1]!;
      pair.loginStart = above.start + above.text.indexOf(login[1]!, login[0].length - login[1]!.length);
      continue;
    }
    const url = URL_LINE.exec(above.text);
    if (url !== null && pair.url === undefined) pair.url = url[1]!;
  }
  emit(pair);
  return true;
}

/** A line shaped like one entry of a dump: two or three tokens joined by one separator. */
const DUMP_SHAPED = /^[ \t]*(?:[-*•>]+[ \t]+)?[^\s:;|,]{1,254}[:;|,\t ]\S{1,256}(?:[:;|,\t ]\S{1,256})?[ \t]*$/;
/** Header cells that can name a secret column (cheap test before a line is split as a table header). */
const HEADER_HINT = /pass|pwd|pw\b|psw|contrase|hash|bcrypt|md5|sha1|ntlm/i;

/** A span of text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** What the scan found: the pairs (one per secret) and the spans to mask (every secret; sorted, disjoint). */
export interface CredentialScan {
  pairs: CredentialPair[];
  masks: Span[];
}

/** Sorted, disjoint union of `spans`. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}

/** True when [start, end) overlaps one of `merged` (sorted, disjoint): a binary search. */
export function overlapsAny(merged: readonly Span[], start: number, end: number): boolean {
  let low = 0;
  let high = merged.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (merged[mid]!.end <= start) low = mid + 1;
    else high = mid;
  }
  const candidate = merged[low];
  return candidate !== undefined && candidate.start < end;
}

/** Every credential pair in `text` and the spans of their secrets. */
export function scanCredentials(text: string): CredentialScan {
  const found: CredentialPair[] = [];
  const emit: Emit = (pair) => {
    if (pair.secret !== '' && pair.secretEnd > pair.secretStart) found.push(pair);
  };
  const lines = [...linesOf(text)];
  const shaped = lines.map((l) => l.text.length <= MAX_LINE && DUMP_SHAPED.test(l.text));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.text.trim() === '') continue;
    if (line.text.length > MAX_LINE) {
      sameLine(line, emit);
      continue;
    }
    if (HEADER_HINT.test(line.text) || /secret/i.test(line.text)) {
      const consumed = tableAt(lines, i, emit);
      if (consumed > 0) {
        i += consumed;
        continue;
      }
      if (blockPassword(lines, i, emit) || envSecret(line, emit)) continue;
    }
    const inList = shaped[i]! && ((shaped[i - 1] ?? false) || (shaped[i + 1] ?? false));
    if (comboLine(line, emit, inList)) continue;
    sameLine(line, emit);
  }
  if (text.includes('://')) urlUserInfo(text, emit);
  if (text.includes('@')) {
    inline(text, emit);
    prosePairs(text, emit);
  }
  if (/["']/.test(text) && HEADER_HINT.test(text)) quoted(text, emit);
  const masks = mergeSpans(found.map((p) => ({ start: p.secretStart, end: p.secretEnd })));
  // `user:pass@host` holds `pass@host`, which reads as an address followed by more: a login inside
  // another pair's secret is that secret, never a pair of its own (its "e-mail" would leak the password).
  const pairs = found.filter(
    (p) => p.login === '' || !overlapsAny(masks, p.loginStart, p.loginStart + p.login.length) || p.layout === 'table',
  );
  return { pairs: dedupe(pairs), masks };
}

/** Every credential pair in `text`, in order of the secret's position, without overlapping secrets. */
export function findCredentialPairs(text: string): CredentialPair[] {
  return scanCredentials(text).pairs;
}

function envSecret(line: Line, emit: Emit): boolean {
  const m = ENV_SECRET.exec(line.text);
  if (m === null || m[1]!.length > MAX_SECRET_LENGTH) return false;
  const value = m[1]!.replace(/^(["'])(.*)\1$/, '$2');
  const start = line.start + m.indices![1]![0] + (m[1]!.length === value.length ? 0 : 1);
  emit({
    layout: 'labelled',
    login: '',
    loginStart: start,
    secret: value,
    secretStart: start,
    secretEnd: start + value.length,
  });
  return true;
}

function prosePairs(text: string, emit: Emit): void {
  PROSE_PAIR.lastIndex = 0;
  for (let m = PROSE_PAIR.exec(text); m !== null; m = PROSE_PAIR.exec(text)) {
    const token = m[2]!;
    const secret = trimTrailingPunctuation(token);
    // Another address or a link after the first is a list, not a password.
    if (!isEmail(m[1]!) || !looksLikePassword(secret) || secret.includes('@') || /^(?:https?:|www\.)/i.test(secret))
      continue;
    const secretStart = m.index + m[0].length - token.length;
    emit({
      layout: 'inline',
      login: m[1]!,
      loginStart: m.index,
      secret,
      secretStart,
      secretEnd: secretStart + token.length,
    });
  }
}

function sameLine(line: Line, emit: Emit): void {
  // Every pair of this layout has a ':' or '=' after its label; most prose lines have neither.
  if (!line.text.includes(':') && !line.text.includes('=')) return;
  SAME_LINE.lastIndex = 0;
  for (let m = SAME_LINE.exec(line.text); m !== null; m = SAME_LINE.exec(line.text)) {
    const secret = trimTrailingPunctuation(m[2]!);
    const secretOffset = m.index + m[0].length - m[2]!.length;
    const loginOffset = m.index + m[0].indexOf(m[1]!);
    emit({
      layout: 'labelled',
      login: m[1]!,
      loginStart: line.start + loginOffset,
      secret,
      secretStart: line.start + secretOffset,
      secretEnd: line.start + secretOffset + secret.length,
    });
  }
}

function urlUserInfo(text: string, emit: Emit): void {
  URL_USERINFO.lastIndex = 0;
  for (let m = URL_USERINFO.exec(text); m !== null; m = URL_USERINFO.exec(text)) {
    const loginStart = m.index + m[0].indexOf('://') + 3;
    const secretStart = loginStart + m[1]!.length + 1;
    emit({
      layout: 'url',
      login: m[1]!,
      loginStart,
      secret: m[2]!,
      secretStart,
      secretEnd: secretStart + m[2]!.length,
      url: m[3]!,
    });
  }
}

function inline(text: string, emit: Emit): void {
  INLINE.lastIndex = 0;
  for (let m = INLINE.exec(text); m !== null; m = INLINE.exec(text)) {
    if (!isEmail(m[1]!)) continue;
    const secretStart = m.index + m[1]!.length + 1;
    // The mask covers the whole token; the secret counted is the token without sentence punctuation.
    const secret = trimTrailingPunctuation(m[2]!);
    emit({
      layout: 'inline',
      login: m[1]!,
      loginStart: m.index,
      secret,
      secretStart,
      secretEnd: secretStart + m[2]!.length,
    });
  }
}

function quoted(text: string, emit: Emit): void {
  QUOTED.lastIndex = 0;
  for (let m = QUOTED.exec(text); m !== null; m = QUOTED.exec(text)) {
    const secret = m[1] ?? m[2]!;
    const secretStart = m.index + m[0].length - secret.length - 1;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    let lineEnd = text.indexOf('\n', m.index);
    if (lineEnd === -1) lineEnd = text.length;
    const login = QUOTED_LOGIN.exec(text.slice(lineStart, lineEnd));
    emit({
      layout: 'labelled',
      login: login?.[1] ?? '',
      loginStart: login === null ? secretStart : lineStart + login.index,
      secret,
      secretStart,
      secretEnd: secretStart + secret.length,
    });
  }
}

/** One pair per secret span; where layouts overlap, the earliest-found (most specific) layout wins. */
function dedupe(pairs: CredentialPair[]): CredentialPair[] {
  const sorted = [...pairs].sort((a, b) => a.secretStart - b.secretStart || b.secretEnd - a.secretEnd);
  const kept: CredentialPair[] = [];
  let reach = -1;
  for (const pair of sorted) {
    if (pair.secretStart < reach) continue;
    kept.push(pair);
    reach = pair.secretEnd;
  }
  return kept;
}

/** True when `login` is an e-mail address (the pairs that count toward an organization's leaked addresses). */
export function isEmailLogin(login: string): boolean {
  return isEmail(login);
}
