/**
 * NSEC3 (RFC 5155): hashed owner names, and the proof a validator checks before it believes that a
 * delegation has no DS (section 8.9): a matching NSEC3 whose bitmap shows NS without DS, or a closest
 * encloser proof (section 8.3) whose next closer name is covered by an Opt-Out NSEC3 (section 6).
 * Signatures are not checked here; the caller verifies every record a proof uses.
 */
import { createHash } from 'node:crypto';
import type { Answer, Nsec3Answer } from 'dns-packet';
import { canonicalNameWire, labelsOf, normalizeName } from './wire.js';

/** RFC 5155 section 11: the only hash algorithm defined, SHA-1. */
export const NSEC3_SHA1 = 1;
/** RFC 5155 section 3.1.2.1: the Opt-Out flag; every other flag bit must be clear (section 8.2). */
export const NSEC3_OPT_OUT = 0x01;
/**
 * RFC 9276 section 3.2 lets a validator treat NSEC3 records with more iterations than it supports as
 * insecure (or fail); 150 is the limit deployed validators used when it was written. Above it Vitals
 * does not evaluate the proof: the verdict is "not assessed", never "unsigned".
 */
export const NSEC3_MAX_ITERATIONS = 150;

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/** The hashed owner name of `name` (RFC 5155 section 5): IH(salt, x, k), SHA-1 over canonical wire form. */
export function nsec3Hash(name: string, salt: Buffer, iterations: number): Buffer {
  let digest = createHash('sha1').update(canonicalNameWire(name)).update(salt).digest();
  for (let i = 0; i < iterations; i++) digest = createHash('sha1').update(digest).update(salt).digest();
  return digest;
}

/** Base 32 with the extended hex alphabet (RFC 4648 section 7), lower case, no padding: sorts like the bytes. */
export function base32hex(bytes: Buffer): string {
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

/** An NSEC3 record of one zone, its owner hash and next hash in base32hex. */
interface Nsec3Entry {
  rr: Nsec3Answer;
  hash: string;
  next: string;
  types: Set<string>;
  optOut: boolean;
}

/** The verdict of an NSEC3 proof that `name` has no DS in `zone`; `used` lists the records to verify. */
export type Nsec3NoDsProof =
  /** A matching NSEC3 shows NS without DS: an insecure delegation (RFC 5155 section 8.9). */
  | { kind: 'insecure_delegation'; used: Nsec3Answer[]; detail: string }
  /** An Opt-Out NSEC3 covers the next closer name: any delegation there is unsigned (sections 6, 8.9). */
  | { kind: 'opt_out'; used: Nsec3Answer[]; detail: string }
  /** A matching NSEC3 without NS: the name belongs to the zone itself (no cut here). */
  | { kind: 'not_a_cut'; used: Nsec3Answer[]; detail: string }
  | { kind: 'bogus'; reason: string; detail: string }
  /** Parameters Vitals does not evaluate (unknown algorithm or flags, iterations over the cap). */
  | { kind: 'unevaluated'; reason: string };

/** Judges the NSEC3 records of a NODATA answer to "DS at `name`" from the signed zone `zone`. */
export function proveNoDsWithNsec3(name: string, zone: string, records: readonly Answer[]): Nsec3NoDsProof {
  const qname = normalizeName(name);
  const apex = normalizeName(zone);
  const shaped = records.filter(
    (rr): rr is Nsec3Answer => rr.type === 'NSEC3' && isNsec3Shape(rr.data) && hashLabelOf(rr.name, apex) !== null,
  );
  if (shaped.length === 0) {
    return { kind: 'bogus', reason: 'missing NSEC3 proof of no DS', detail: `no NSEC3 of ${apex} in the answer` };
  }
  // RFC 5155 section 8.2: records with an unknown hash algorithm or flag must be ignored.
  const supported = shaped.filter((rr) => rr.data.algorithm === NSEC3_SHA1 && (rr.data.flags & ~NSEC3_OPT_OUT) === 0);
  const first = supported[0];
  if (first === undefined) {
    return { kind: 'unevaluated', reason: `the NSEC3 records of ${apex} use an unsupported hash algorithm or flags` };
  }
  const { salt, iterations } = first.data;
  if (iterations > NSEC3_MAX_ITERATIONS) {
    return {
      kind: 'unevaluated',
      reason:
        `the NSEC3 denial of ${apex} uses ${iterations} iterations, above the cap of ${NSEC3_MAX_ITERATIONS} ` +
        '(RFC 9276 section 3.2): not evaluated, so the zone is not assessed rather than called unsigned',
    };
  }
  // One chain has one set of parameters (RFC 5155 section 7.1); records of another chain prove nothing here.
  const entries: Nsec3Entry[] = supported
    .filter((rr) => rr.data.iterations === iterations && rr.data.salt.equals(salt))
    .map((rr) => ({
      rr,
      hash: hashLabelOf(rr.name, apex)!,
      next: base32hex(rr.data.nextDomain),
      types: new Set(rr.data.rrtypes),
      optOut: (rr.data.flags & NSEC3_OPT_OUT) !== 0,
    }));
  const hashOf = (n: string): string => base32hex(nsec3Hash(n, salt, iterations));
  const matching = (n: string): Nsec3Entry | undefined => {
    const h = hashOf(n);
    return entries.find((e) => e.hash === h);
  };

  const match = matching(qname);
  if (match !== undefined) return judgeMatch(qname, apex, match);

  // Closest encloser proof (RFC 5155 section 8.3): the longest existing ancestor, and the next closer
  // name (one label longer, towards the query name) covered by an NSEC3.
  const labels = labelsOf(qname);
  const apexDepth = labelsOf(apex).length;
  for (let depth = labels.length - 1; depth >= apexDepth; depth--) {
    const encloser = depth === 0 ? '.' : labels.slice(labels.length - depth).join('.');
    const enclosing = matching(encloser);
    if (enclosing === undefined) continue;
    if (enclosing.types.has('DNAME') || (enclosing.types.has('NS') && !enclosing.types.has('SOA'))) {
      return {
        kind: 'bogus',
        reason: 'NSEC3 closest encloser is a delegation',
        detail: `the NSEC3 for ${encloser} shows a zone cut above ${qname}: ${apex} cannot deny it`,
      };
    }
    const nextCloser = labels.slice(labels.length - depth - 1).join('.');
    const nextHash = hashOf(nextCloser);
    const cover = entries.find((e) => covers(e, nextHash));
    if (cover === undefined) {
      return {
        kind: 'bogus',
        reason: 'NSEC3 proof does not cover the next closer name',
        detail: `no NSEC3 of ${apex} covers ${nextCloser} (hash ${nextHash})`,
      };
    }
    if (!cover.optOut) {
      return {
        kind: 'bogus',
        reason: 'NSEC3 proof denies the name',
        detail: `the NSEC3 at ${cover.rr.name} proves ${nextCloser} does not exist, yet the DS answer was NOERROR`,
      };
    }
    return {
      kind: 'opt_out',
      used: [enclosing.rr, cover.rr],
      detail: `the Opt-Out NSEC3 at ${normalizeName(cover.rr.name)} covers ${nextCloser}, closest encloser ${encloser}`,
    };
  }
  return {
    kind: 'bogus',
    reason: 'missing NSEC3 closest encloser proof',
    detail: `no NSEC3 of ${apex} matches ${qname} or any of its ancestors`,
  };
}

function judgeMatch(qname: string, apex: string, match: Nsec3Entry): Nsec3NoDsProof {
  const where = `NSEC3 for ${qname} in ${apex}`;
  if (match.types.has('DS') || match.types.has('CNAME')) {
    const listed = match.types.has('DS') ? 'DS' : 'CNAME';
    return { kind: 'bogus', reason: 'NSEC3 contradicts the missing DS', detail: `${where} lists ${listed}` };
  }
  if (match.types.has('SOA')) {
    return { kind: 'bogus', reason: 'DS denial from the child side', detail: `${where} is a zone apex's NSEC3` };
  }
  if (match.types.has('NS'))
    return { kind: 'insecure_delegation', used: [match.rr], detail: `${where} shows NS, no DS` };
  return { kind: 'not_a_cut', used: [match.rr], detail: `${where} shows no NS: ${qname} is inside ${apex}` };
}

/** RFC 5155 section 1.3: an NSEC3 covers the hashes strictly between its owner hash and next hash (wrapping). */
function covers(entry: Nsec3Entry, hash: string): boolean {
  if (entry.hash < entry.next) return entry.hash < hash && hash < entry.next;
  // The last record of the chain wraps to the first (or a one-record chain covers all but its owner).
  return hash > entry.hash || hash < entry.next;
}

/** The base32hex hash label of an NSEC3 owner directly below `apex`, or null for any other owner. */
function hashLabelOf(owner: string, apex: string): string | null {
  const labels = labelsOf(owner);
  const rest = labels.slice(1).join('.') || '.';
  if (labels.length !== labelsOf(apex).length + 1 || rest !== apex) return null;
  const label = labels[0]!;
  return /^[0-9a-v]{32}$/.test(label) ? label : null;
}

function isNsec3Shape(d: unknown): boolean {
  if (d === null || typeof d !== 'object') return false;
  const r = d as Record<string, unknown>;
  return (
    typeof r.algorithm === 'number' &&
    typeof r.flags === 'number' &&
    typeof r.iterations === 'number' &&
    Buffer.isBuffer(r.salt) &&
    Buffer.isBuffer(r.nextDomain) &&
    r.nextDomain.length === 20 &&
    Array.isArray(r.rrtypes) &&
    r.rrtypes.every((t) => typeof t === 'string')
  );
}
