/**
 * DNSSEC trust anchors in zone-file presentation format, as unbound's `trust-anchor-file` reads them:
 * DS (RFC 4034 section 5.3) or DNSKEY (RFC 4034 section 2.2) records.
 */
import type { Answer, DnskeyData, DsData } from 'dns-packet';
import { computeKeyTag, DS_DIGESTS } from './keys.js';
import { labelsOf, normalizeName } from './wire.js';

/** A configured anchor: the DS or DNSKEY record a validator trusts for `owner`. */
export type TrustAnchor =
  | { owner: string; type: 'DS'; keyTag: number; algorithm: number; digestType: number; digest: Buffer }
  | {
      owner: string;
      type: 'DNSKEY';
      flags: number;
      protocol: number;
      algorithm: number;
      publicKey: Buffer;
      keyTag: number;
    };

/** The IANA root zone KSKs (KSK-2017 and KSK-2024) as DS records (https://data.iana.org/root-anchors/). */
export const IANA_ROOT_TRUST_ANCHORS = `; IANA root zone trust anchors
; (https://data.iana.org/root-anchors/root-anchors.xml)
; KSK-2017
. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
; KSK-2024
. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
`;

/** Bounds on hostile or mistaken input. */
const MAX_TEXT = 1_000_000;
const MAX_ANCHORS = 1000;

/**
 * Parses trust anchors. Accepts comments (`;`), blank lines, `$ORIGIN` and `$TTL`, an owner (`@`,
 * absolute, or relative to $ORIGIN; omitted = previous owner), optional TTL and class IN in either
 * order, the type DS or DNSKEY, and RDATA whose hex or base64 may be split by spaces and span lines
 * inside parentheses. Throws an Error naming the line for anything else.
 */
export function parseTrustAnchors(text: string): TrustAnchor[] {
  if (text.length > MAX_TEXT) throw new Error('trust anchor text is too large');
  const anchors: TrustAnchor[] = [];
  let origin: string | undefined;
  let previousOwner: string | undefined;

  for (const entry of logicalLines(text)) {
    const { tokens, line, startsWithBlank } = entry;
    const fail = (msg: string): never => {
      throw new Error(`trust anchor line ${line}: ${msg}`);
    };
    const head = tokens[0];
    if (head === undefined) continue;

    if (head.startsWith('$')) {
      const directive = head.toUpperCase();
      if (directive === '$ORIGIN') {
        const arg = tokens[1];
        if (arg === undefined || tokens.length !== 2 || !arg.endsWith('.')) fail('$ORIGIN needs one absolute name');
        origin = checkName(arg!, fail);
      } else if (directive === '$TTL') {
        if (tokens.length !== 2 || !isTtl(tokens[1]!)) fail('$TTL needs one TTL value');
      } else {
        fail(`unsupported directive ${head}`);
      }
      continue;
    }

    let i = 0;
    let owner: string;
    if (startsWithBlank) {
      if (previousOwner === undefined) fail('no owner name and no previous owner');
      owner = previousOwner!;
    } else {
      owner = ownerName(head, origin, fail);
      i = 1;
    }
    previousOwner = owner;

    // Optional TTL and class, in either order (RFC 1035 section 5.1).
    for (let k = 0; k < 2; k++) {
      const t = tokens[i];
      if (t === undefined) break;
      if (isTtl(t)) i++;
      else if (t.toUpperCase() === 'IN') i++;
      else if (/^(CH|CS|HS|CLASS\d+)$/i.test(t)) fail(`class ${t} is not IN`);
    }
    const type = tokens[i]?.toUpperCase();
    if (type === undefined) fail('missing record type');
    const rdata = tokens.slice(i + 1);
    if (type === 'DS') anchors.push(parseDs(owner, rdata, fail));
    else if (type === 'DNSKEY') anchors.push(parseDnskey(owner, rdata, fail));
    else fail(`record type ${tokens[i]} is not DS or DNSKEY`);
    if (anchors.length > MAX_ANCHORS) fail(`more than ${MAX_ANCHORS} anchors`);
  }
  return anchors;
}

/** One trust anchor in presentation format, e.g. `test. IN DS 12345 13 2 ABCD...`. */
export function formatTrustAnchor(anchor: TrustAnchor | Answer): string {
  const a = 'owner' in anchor ? anchor : anchorFromRecord(anchor);
  const owner = a.owner === '.' ? '.' : `${a.owner}.`;
  if (a.type === 'DS') {
    return `${owner} IN DS ${a.keyTag} ${a.algorithm} ${a.digestType} ${a.digest.toString('hex').toUpperCase()}`;
  }
  return `${owner} IN DNSKEY ${a.flags} ${a.protocol} ${a.algorithm} ${a.publicKey.toString('base64')}`;
}

/** A DS or DNSKEY record (dns-packet form) as a TrustAnchor. */
export function anchorFromRecord(rr: Answer): TrustAnchor {
  const owner = normalizeName(rr.name);
  if (rr.type === 'DS') {
    const d: DsData = rr.data;
    return {
      owner,
      type: 'DS',
      keyTag: d.keyTag,
      algorithm: d.algorithm,
      digestType: d.digestType,
      digest: Buffer.from(d.digest),
    };
  }
  if (rr.type === 'DNSKEY') {
    const d: DnskeyData = rr.data;
    return {
      owner,
      type: 'DNSKEY',
      flags: d.flags,
      protocol: 3,
      algorithm: d.algorithm,
      publicKey: Buffer.from(d.key),
      keyTag: computeKeyTag(d),
    };
  }
  throw new Error(`a trust anchor is a DS or DNSKEY record, not ${rr.type}`);
}

type Fail = (msg: string) => never;

interface LogicalLine {
  tokens: string[];
  /** 1-based line the entry starts on. */
  line: number;
  /** The entry began with blank space: the owner is the previous one (RFC 1035 section 5.1). */
  startsWithBlank: boolean;
}

/** Splits into entries: strips comments, joins lines inside parentheses (RFC 1035 section 5.1). */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const lines = text.split(/\r?\n/);
  let current: LogicalLine | undefined;
  let depth = 0;
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const body = stripComment(raw);
    if (body.includes('"'))
      throw new Error(`trust anchor line ${lineNo}: quoted strings do not occur in DS or DNSKEY records`);
    if (current === undefined) {
      if (body.trim() === '') return;
      current = { tokens: [], line: lineNo, startsWithBlank: /^[ \t]/.test(body) };
    }
    for (const ch of body) {
      if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth < 0) throw new Error(`trust anchor line ${lineNo}: unbalanced ')'`);
      }
    }
    if (depth > 1) throw new Error(`trust anchor line ${lineNo}: nested parentheses`);
    current.tokens.push(
      ...body
        .replace(/[()]/g, ' ')
        .split(/[ \t]+/)
        .filter((t) => t !== ''),
    );
    if (depth === 0) {
      out.push(current);
      current = undefined;
    }
  });
  if (current !== undefined) throw new Error(`trust anchor line ${current.line}: '(' is never closed`);
  return out;
}

function stripComment(line: string): string {
  const at = line.indexOf(';');
  return at === -1 ? line : line.slice(0, at);
}

function isTtl(t: string): boolean {
  // A number, or BIND's unit form such as 1h30m.
  return /^\d+$/.test(t) || /^(\d+[smhdw])+$/i.test(t);
}

function ownerName(token: string, origin: string | undefined, fail: Fail): string {
  if (token === '@') {
    if (origin === undefined) fail('@ used without $ORIGIN');
    return origin!;
  }
  if (token.endsWith('.')) return checkName(token, fail);
  // A relative name: below $ORIGIN if there is one; otherwise taken as absolute, as is common in
  // hand-written anchors (`test IN DS ...`).
  const full = origin === undefined || origin === '.' ? token : `${token}.${origin}`;
  return checkName(full, fail);
}

function checkName(name: string, fail: Fail): string {
  if (name === '.') return '.';
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed.split('.').some((l) => l === '')) fail(`empty label in name ${name}`);
  if (!/^[A-Za-z0-9_*.-]+$/.test(trimmed)) fail(`invalid characters in name ${name}`);
  const labels = labelsOf(trimmed);
  if (labels.some((l) => l.length > 63)) fail(`label longer than 63 octets in ${name}`);
  if (trimmed.length > 253) fail(`name longer than 253 characters: ${name}`);
  return normalizeName(trimmed);
}

function parseUint(token: string | undefined, max: number, what: string, fail: Fail): number {
  if (token === undefined || !/^\d+$/.test(token)) fail(`${what} must be a number, got ${token ?? 'nothing'}`);
  const n = Number(token);
  if (n > max) fail(`${what} ${token} is out of range (0-${max})`);
  return n;
}

/** RFC 4034 section 5.3: key tag, algorithm, digest type, hex digest (whitespace allowed). */
function parseDs(owner: string, rdata: string[], fail: Fail): TrustAnchor {
  const keyTag = parseUint(rdata[0], 0xffff, 'key tag', fail);
  const algorithm = parseUint(rdata[1], 0xff, 'algorithm', fail);
  const digestType = parseUint(rdata[2], 0xff, 'digest type', fail);
  const hex = rdata.slice(3).join('');
  if (hex === '') fail('DS digest is missing');
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0) fail('DS digest is not hexadecimal');
  const digest = Buffer.from(hex, 'hex');
  const expected = DS_DIGESTS[digestType]?.length;
  if (expected !== undefined && digest.length !== expected) {
    fail(`DS digest type ${digestType} needs ${expected} octets, got ${digest.length}`);
  }
  return { owner, type: 'DS', keyTag, algorithm, digestType, digest };
}

/** RFC 4034 section 2.2: flags, protocol (3), algorithm, base64 key (whitespace allowed). */
function parseDnskey(owner: string, rdata: string[], fail: Fail): TrustAnchor {
  const flags = parseUint(rdata[0], 0xffff, 'flags', fail);
  const protocol = parseUint(rdata[1], 0xff, 'protocol', fail);
  if (protocol !== 3) fail(`DNSKEY protocol must be 3, got ${protocol}`);
  const algorithm = parseUint(rdata[2], 0xff, 'algorithm', fail);
  const b64 = rdata.slice(3).join('');
  if (b64 === '') fail('DNSKEY public key is missing');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) fail('DNSKEY public key is not base64');
  const publicKey = Buffer.from(b64, 'base64');
  const keyTag = computeKeyTag({ flags, algorithm, key: publicKey });
  return { owner, type: 'DNSKEY', flags, protocol, algorithm, publicKey, keyTag };
}
