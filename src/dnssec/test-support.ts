/**
 * Test support (not shipped behaviour): a little signed hierarchy built with signZone, and a fetch
 * function that answers from it the way the lab's non-validating resolver does (DS from the parent
 * side of a cut, NSEC proofs in negative answers, RRSIGs with every RRset).
 */
import type { Answer, Nsec3Answer } from 'dns-packet';
import { canonicalNameCompare } from './canonical.js';
import { dsForKey, zoneKeyFromSeed } from './keys.js';
import type { ZoneKey } from './keys.js';
import { base32hex, nsec3Hash } from './nsec3.js';
import { signZone } from './sign.js';
import type { Nsec3Parameters, SignatureWindow } from './sign.js';
import type { DnssecFetch, FetchResult } from './validate.js';
import { isAtOrBelow, normalizeName, parentOf } from './wire.js';

export interface TestZone {
  origin: string;
  records: Answer[];
  keys?: { ksk: ZoneKey; zsk: ZoneKey };
}

function apexRecords(origin: string): Answer[] {
  return [
    {
      name: origin,
      type: 'SOA',
      ttl: 3600,
      class: 'IN',
      data: {
        mname: `ns1.${origin}`,
        rname: `hostmaster.${origin}`,
        serial: 1,
        refresh: 3600,
        retry: 600,
        expire: 86400,
        minimum: 300,
      },
    },
    { name: origin, type: 'NS', ttl: 3600, class: 'IN', data: `ns1.${origin}` },
    { name: `ns1.${origin}`, type: 'A', ttl: 3600, class: 'IN', data: '127.0.53.10' },
    { name: origin, type: 'A', ttl: 300, class: 'IN', data: '127.16.0.1' },
  ];
}

function keysFor(origin: string): { ksk: ZoneKey; zsk: ZoneKey } {
  return {
    ksk: zoneKeyFromSeed(origin, 'ksk', `test/${origin}/ksk`),
    zsk: zoneKeyFromSeed(origin, 'zsk', `test/${origin}/zsk`),
  };
}

/**
 * `test` (signed; anchor) with children good.test (signed, DS), unsigned.test (no DS),
 * expired.test and bad.test (DS, broken signatures), mismatch.test (DS of another key),
 * inside.test (records in the `test` zone itself, not a cut) and deep.test below an empty
 * non-terminal `ent.test` (sub.ent.test, signed, DS).
 */
export function buildHierarchy(
  window: SignatureWindow,
  options: { nsec3?: Nsec3Parameters } = {},
): { zones: TestZone[]; anchorKsk: ZoneKey } {
  const children: Array<{
    origin: string;
    signed: boolean;
    ds: boolean;
    corrupt?: 'expired' | 'bad_signature';
    wrongDs?: boolean;
  }> = [
    { origin: 'good.test', signed: true, ds: true },
    { origin: 'unsigned.test', signed: false, ds: false },
    { origin: 'expired.test', signed: true, ds: true, corrupt: 'expired' },
    { origin: 'bad.test', signed: true, ds: true, corrupt: 'bad_signature' },
    { origin: 'mismatch.test', signed: true, ds: true, wrongDs: true },
    { origin: 'sub.ent.test', signed: true, ds: true },
  ];
  const zones: TestZone[] = [];
  const parentRecords: Answer[] = [
    ...apexRecords('test'),
    { name: 'inside.test', type: 'TXT', ttl: 300, class: 'IN', data: 'v=spf1 -all' },
  ];
  for (const child of children) {
    const keys = keysFor(child.origin);
    const own = apexRecords(child.origin);
    zones.push({
      origin: child.origin,
      records: child.signed
        ? signZone(own, child.origin, keys, window, child.corrupt ? { corrupt: child.corrupt } : {})
        : own,
      ...(child.signed ? { keys } : {}),
    });
    parentRecords.push({ name: child.origin, type: 'NS', ttl: 3600, class: 'IN', data: `ns1.${child.origin}` });
    parentRecords.push({ name: `ns1.${child.origin}`, type: 'A', ttl: 3600, class: 'IN', data: '127.0.53.11' });
    if (child.ds) {
      const dsKey = child.wrongDs ? zoneKeyFromSeed(child.origin, 'ksk', 'some other key') : keys.ksk;
      parentRecords.push(dsForKey(child.origin, dsKey.dnskey));
    }
  }
  const testKeys = keysFor('test');
  const denial = options.nsec3 ? { nsec3: options.nsec3 } : {};
  zones.unshift({ origin: 'test', records: signZone(parentRecords, 'test', testKeys, window, denial), keys: testKeys });
  return { zones, anchorKsk: testKeys.ksk };
}

export interface FetchOptions {
  /** Drop NSEC records (and their RRSIGs) from negative answers. */
  stripNsec?: boolean;
  /** Fail every look-up for this name. */
  failName?: string;
}

/** A resolver over in-memory zones; the log records every question asked. */
export function zoneFetch(zones: TestZone[], options: FetchOptions = {}): DnssecFetch & { log: string[] } {
  const log: string[] = [];
  const fetch = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA'): Promise<FetchResult> => {
    log.push(`${name} ${type}`);
    const qname = normalizeName(name);
    if (qname === options.failName) return { ok: false, reason: 'timeout' };
    // DS lives on the parent side of a cut (RFC 4035 section 3.1.4.1).
    const candidates = zones.filter((z) => isAtOrBelow(qname, z.origin) && !(type === 'DS' && z.origin === qname));
    const zone = candidates.sort((a, b) => b.origin.length - a.origin.length)[0];
    if (zone === undefined) return { ok: true, rcode: 'REFUSED', answers: [], authorities: [] };
    const at = zone.records.filter((rr) => normalizeName(rr.name) === qname);
    const answers = at.filter((rr) => rr.type === type || (rr.type === 'RRSIG' && rr.data.typeCovered === type));
    if (answers.some((rr) => rr.type === type)) return { ok: true, rcode: 'NOERROR', answers, authorities: [] };

    const soa = zone.records.filter(
      (rr) =>
        normalizeName(rr.name) === zone.origin &&
        (rr.type === 'SOA' || (rr.type === 'RRSIG' && rr.data.typeCovered === 'SOA')),
    );
    const nsecs = zone.records.filter((rr) => rr.type === 'NSEC');
    const exists =
      at.length > 0 || zone.records.some((rr) => isAtOrBelow(rr.name, qname) && normalizeName(rr.name) !== qname);
    let proofOwner: string | undefined;
    if (at.length > 0) proofOwner = qname;
    else {
      const owners = nsecs.map((rr) => normalizeName(rr.name)).sort(canonicalNameCompare);
      proofOwner = owners.filter((o) => canonicalNameCompare(o, qname) < 0).pop() ?? owners[owners.length - 1];
    }
    const nsec3s = zone.records.filter((rr): rr is Nsec3Answer => rr.type === 'NSEC3');
    const proofOwners = nsec3s.length > 0 ? nsec3ProofOwners(nsec3s, zone.origin, qname, !exists) : [proofOwner];
    const proofType = nsec3s.length > 0 ? 'NSEC3' : 'NSEC';
    const proof = options.stripNsec
      ? []
      : zone.records.filter(
          (rr) =>
            proofOwners.includes(normalizeName(rr.name)) &&
            (rr.type === proofType || (rr.type === 'RRSIG' && rr.data.typeCovered === proofType)),
        );
    return { ok: true, rcode: exists ? 'NOERROR' : 'NXDOMAIN', answers: [], authorities: [...soa, ...proof] };
  };
  return Object.assign(fetch, { log });
}

/**
 * Owners of the NSEC3 records an authoritative server returns for `qname` (RFC 5155 section 7.2): the
 * matching record, or the closest encloser proof (plus, for NXDOMAIN, the record covering the wildcard).
 */
function nsec3ProofOwners(nsec3s: Nsec3Answer[], origin: string, qname: string, nxdomain: boolean): string[] {
  const { salt, iterations } = nsec3s[0]!.data;
  const hashes = nsec3s.map((rr) => normalizeName(rr.name).split('.')[0]!).sort();
  const hashOf = (name: string): string => base32hex(nsec3Hash(name, salt, iterations));
  const owner = (hash: string): string => `${hash}.${origin}`;
  const matching = (name: string): string | undefined =>
    hashes.includes(hashOf(name)) ? owner(hashOf(name)) : undefined;
  const covering = (name: string): string => {
    const h = hashOf(name);
    return owner(hashes.filter((x) => x < h).pop() ?? hashes[hashes.length - 1]!);
  };
  const match = matching(qname);
  if (match !== undefined) return [match];
  let nextCloser = qname;
  let encloser = parentOf(qname);
  while (matching(encloser) === undefined && encloser !== origin) {
    nextCloser = encloser;
    encloser = parentOf(encloser);
  }
  const owners = [matching(encloser) ?? owner(hashOf(encloser)), covering(nextCloser)];
  if (nxdomain) owners.push(covering(`*.${encloser}`));
  return [...new Set(owners)];
}
