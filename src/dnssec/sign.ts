/**
 * Zone signing for the lab: RRSIGs over RRsets (RFC 4034 section 3, RFC 4035 section 2) and an NSEC
 * chain (RFC 4034 section 4) or an NSEC3 chain (RFC 5155), with algorithm 13 keys.
 */
import { sign } from 'node:crypto';
import type { Answer, Nsec3Answer, NsecAnswer, RrsigAnswer, RrsigData } from 'dns-packet';
import { canonicalNameCompare } from './canonical.js';
import type { ZoneKey } from './keys.js';
import { base32hex, NSEC3_OPT_OUT, NSEC3_SHA1, nsec3Hash } from './nsec3.js';
import { classOf, isAtOrBelow, normalizeName, parentOf, rrsigLabelCount, rrsigSignedData } from './wire.js';

/** Signature validity window, unix seconds. */
export interface SignatureWindow {
  inception: number;
  expiration: number;
}

/** Deliberate breakage for the lab's bogus zones. */
export interface SignZoneOptions {
  /**
   * 'expired': every RRset is signed with a window that ended just before `window.inception`.
   * 'bad_signature': the signatures over the zone's data (everything but the DNSKEY RRset) are
   * altered so they do not verify.
   */
  corrupt?: 'expired' | 'bad_signature';
  /** Deny existence with NSEC3 (RFC 5155) instead of NSEC. */
  nsec3?: Nsec3Parameters;
}

/** NSEC3 chain parameters (RFC 5155 section 3.1). */
export interface Nsec3Parameters {
  salt: Buffer;
  iterations: number;
  /** Leave unsigned delegations out of the chain (RFC 5155 section 6). */
  optOut?: boolean;
}

/**
 * Signs one RRset (all records of one owner, type and class) with `key` (RFC 4034 section 3.1.8.1).
 * The RRSIG carries the RRset's TTL as original TTL and, for a wildcard owner `*.x`, the label count
 * without the `*` (RFC 4034 section 3.1.3).
 */
export function signRRset(rrset: Answer[], key: ZoneKey, window: SignatureWindow): RrsigAnswer {
  const first = rrset[0];
  if (first === undefined) throw new Error('signRRset: empty RRset');
  if (first.type === 'RRSIG' || first.type === 'OPT') throw new Error(`signRRset: cannot sign ${first.type}`);
  const owner = normalizeName(first.name);
  for (const rr of rrset) {
    if (normalizeName(rr.name) !== owner || rr.type !== first.type || classOf(rr) !== classOf(first)) {
      throw new Error('signRRset: records of different owners, types or classes are not one RRset');
    }
  }
  if (!isAtOrBelow(owner, key.owner)) throw new Error(`signRRset: ${owner} is outside zone ${key.owner}`);
  if (
    !Number.isInteger(window.inception) ||
    !Number.isInteger(window.expiration) ||
    window.expiration <= window.inception
  ) {
    throw new Error('signRRset: the window must have integer inception < expiration');
  }
  // RFC 2181 section 5.2: an RRset has one TTL; if the caller mixed TTLs, the smallest is the safe one.
  const ttl = Math.min(...rrset.map((rr) => rttl(rr)));
  const unsigned: RrsigData = {
    typeCovered: first.type,
    algorithm: key.algorithm,
    labels: rrsigLabelCount(owner),
    originalTTL: ttl,
    expiration: window.expiration >>> 0,
    inception: window.inception >>> 0,
    keyTag: key.keyTag,
    signersName: key.owner,
    signature: Buffer.alloc(0),
  };
  const signature = sign('sha256', rrsigSignedData(unsigned, rrset), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return { name: owner, type: 'RRSIG', ttl, class: 'IN', data: { ...unsigned, signature } };
}

/** Types a delegation point may show in its NSEC bitmap (RFC 4035 section 2.3, RFC 4034 4.1.2). */
const DELEGATION_TYPES = new Set(['NS', 'DS']);

/** Types recomputed by signZone, dropped from its input. */
const GENERATED_TYPES = new Set(['RRSIG', 'NSEC', 'NSEC3', 'NSEC3PARAM']);

/**
 * Signs a zone: returns `records` plus the two DNSKEYs, an NSEC (or, with `options.nsec3`, NSEC3)
 * chain over the authoritative names and RRSIGs for every authoritative RRset (DNSKEY by the KSK,
 * the rest by the ZSK). Delegation NS
 * and glue are not signed; names below a zone cut are neither signed nor in the chain (RFC 4035
 * section 2.2). Existing RRSIG/NSEC records in the input are dropped and recomputed.
 */
export function signZone(
  records: Answer[],
  origin: string,
  keys: { ksk: ZoneKey; zsk: ZoneKey },
  window: SignatureWindow,
  options: SignZoneOptions = {},
): Answer[] {
  const apex = normalizeName(origin);
  if (keys.ksk.owner !== apex || keys.zsk.owner !== apex) throw new Error(`signZone: keys must belong to ${apex}`);
  const data = records.filter((rr) => !GENERATED_TYPES.has(rr.type));
  for (const rr of data) {
    if (!isAtOrBelow(rr.name, apex)) throw new Error(`signZone: ${rr.name} is outside zone ${apex}`);
    if (rr.type === 'OPT') throw new Error('signZone: OPT is not zone data');
  }
  const soa = data.find((rr) => rr.type === 'SOA' && normalizeName(rr.name) === apex);
  if (soa === undefined || soa.type !== 'SOA') throw new Error(`signZone: no SOA at ${apex}`);

  const withKeys = [...data];
  for (const key of [keys.ksk, keys.zsk]) {
    const present = withKeys.some(
      (rr) =>
        rr.type === 'DNSKEY' &&
        normalizeName(rr.name) === apex &&
        rr.data.key.equals(key.publicKey) &&
        rr.data.flags === key.flags,
    );
    if (!present) withKeys.push(key.dnskey);
  }

  const byOwner = groupByOwner(withKeys);
  const cuts = [...byOwner.entries()]
    .filter(([owner, types]) => owner !== apex && types.has('NS'))
    .map(([owner]) => owner);
  const isOccluded = (owner: string): boolean => cuts.some((cut) => owner !== cut && isAtOrBelow(owner, cut));
  const isCut = (owner: string): boolean => cuts.includes(owner);

  const sigWindow = options.corrupt === 'expired' ? expiredWindow(window) : window;
  // RFC 9077 section 3 (updating RFC 4034 section 4): NSEC TTL = min(SOA TTL, SOA MINIMUM).
  const nsecTtl = Math.min(rttl(soa), soa.data.minimum ?? rttl(soa));

  const owners = [...byOwner.keys()].filter((o) => !isOccluded(o)).sort(canonicalNameCompare);
  const typesAt = (owner: string): string[] =>
    [...byOwner.get(owner)!.keys()].filter((t) => !isCut(owner) || DELEGATION_TYPES.has(t));
  const nsecs: Array<NsecAnswer | Nsec3Answer> = options.nsec3
    ? nsec3Chain(owners, apex, typesAt, options.nsec3, nsecTtl)
    : owners.map((owner, i) => ({
        name: owner,
        type: 'NSEC',
        ttl: nsecTtl,
        class: 'IN',
        data: { nextDomain: owners[i + 1] ?? apex, rrtypes: sortTypes([...typesAt(owner), 'RRSIG', 'NSEC']) },
      }));

  const rrsigs: RrsigAnswer[] = [];
  for (const owner of owners) {
    for (const [type, rrset] of byOwner.get(owner)!) {
      // A delegation's NS (and anything else at the cut but DS) belongs to the child (RFC 4035 2.2).
      if (isCut(owner) && type !== 'DS') continue;
      const key = type === 'DNSKEY' && owner === apex ? keys.ksk : keys.zsk;
      rrsigs.push(signRRset(rrset, key, sigWindow));
    }
  }
  for (const nsec of nsecs) rrsigs.push(signRRset([nsec], keys.zsk, sigWindow));

  if (options.corrupt === 'bad_signature') {
    for (const rrsig of rrsigs)
      if (rrsig.data.typeCovered !== 'DNSKEY') rrsig.data.signature = flipped(rrsig.data.signature);
  }
  return [...withKeys, ...nsecs, ...rrsigs];
}

/**
 * The NSEC3 chain of a zone (RFC 5155 section 7.1): one record per authoritative name and empty
 * non-terminal, ordered by hash, each pointing at the next hash. With Opt-Out, unsigned delegations
 * (NS without DS) and the empty non-terminals that lead only to them are left out.
 */
function nsec3Chain(
  owners: string[],
  apex: string,
  typesAt: (owner: string) => string[],
  params: Nsec3Parameters,
  ttl: number,
): Nsec3Answer[] {
  const unsignedCut = (owner: string): boolean => {
    const types = typesAt(owner);
    return owner !== apex && types.includes('NS') && !types.includes('DS');
  };
  const included = owners.filter((o) => !(params.optOut && unsignedCut(o)));
  const existing = new Set(owners);
  const names = new Map<string, string[]>();
  for (const owner of included) {
    // RRSIG is listed where signed data lives: not at an unsigned delegation.
    names.set(owner, unsignedCut(owner) ? typesAt(owner) : [...typesAt(owner), 'RRSIG']);
    for (let above = parentOf(owner); above !== apex && isAtOrBelow(above, apex); above = parentOf(above)) {
      if (!names.has(above) && !existing.has(above)) names.set(above, []);
    }
  }
  const hashed = [...names.entries()]
    .map(([name, types]) => ({ hash: nsec3Hash(name, params.salt, params.iterations), types }))
    .sort((a, b) => Buffer.compare(a.hash, b.hash));
  return hashed.map(({ hash, types }, i) => ({
    name: `${base32hex(hash)}.${apex}`,
    type: 'NSEC3',
    ttl,
    class: 'IN',
    data: {
      algorithm: NSEC3_SHA1,
      flags: params.optOut ? NSEC3_OPT_OUT : 0,
      iterations: params.iterations,
      salt: params.salt,
      nextDomain: hashed[(i + 1) % hashed.length]!.hash,
      rrtypes: sortTypes(types),
    },
  }));
}

function rttl(rr: Answer): number {
  return 'ttl' in rr && typeof rr.ttl === 'number' ? rr.ttl : 0;
}

/** owner -> type -> RRset, keeping the input order within an RRset. */
function groupByOwner(records: Answer[]): Map<string, Map<string, Answer[]>> {
  const byOwner = new Map<string, Map<string, Answer[]>>();
  for (const rr of records) {
    const owner = normalizeName(rr.name);
    let types = byOwner.get(owner);
    if (types === undefined) byOwner.set(owner, (types = new Map()));
    const set = types.get(rr.type);
    if (set === undefined) types.set(rr.type, [rr]);
    else set.push(rr);
  }
  return byOwner;
}

function sortTypes(types: string[]): string[] {
  return [...new Set(types)].sort();
}

/** A window of the same length that ended one second before the given one began. */
function expiredWindow(window: SignatureWindow): SignatureWindow {
  const span = Math.max(window.expiration - window.inception, 3600);
  return { inception: window.inception - span, expiration: window.inception - 1 };
}

/** The signature with its first and last octets inverted: same length, never verifies. */
function flipped(signature: Buffer): Buffer {
  const copy = Buffer.from(signature);
  if (copy.length > 0) {
    copy[0] = copy[0]! ^ 0xff;
    copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff;
  }
  return copy;
}
