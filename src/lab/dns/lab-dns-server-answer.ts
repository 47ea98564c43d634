/**
 * The answering algorithm of the lab DNS server: RFC 1034 section 4.3.2 over indexed zones, with the
 * DNSSEC additions of RFC 4035 section 3.1 (RRSIGs, NSEC denial, DS from the parent side) and
 * RFC 8482 for ANY. Pure functions: the caller decides the scope (the zones of one name server, or the
 * whole lab for a resolver) and turns the result into flags.
 */
import type { Answer, NsecAnswer, StringAnswer } from 'dns-packet';
import { RCODE } from './lab-dns-server-wire.js';
import { coveringNsec, isAtOrBelow, parentName } from './lab-dns-server-zone.js';
import type { IndexedZone, NameNode } from './lab-dns-server-zone.js';
import { canonicalName } from '../../core/names.js';

/** Longest CNAME chain followed before giving up (loops and runaway chains stop here). */
export const MAX_CNAME_CHAIN = 8;

/** Which zones a lookup may use. */
export interface ZoneScope {
  /** The zone in scope whose origin is the closest enclosing one for `name`, if any. */
  closestZone(name: string): IndexedZone | undefined;
}

/** The outcome of a lookup, before header flags are set. */
export interface LookupReply {
  rcode: number;
  /** True when the data came from zone data (authoritative), false for referrals. */
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

type ZoneStep =
  | { kind: 'answer'; records: Answer[]; authority: Answer[] }
  | { kind: 'cname'; records: Answer[]; authority: Answer[]; target: string }
  | { kind: 'nodata'; authority: Answer[] }
  | { kind: 'nxdomain'; authority: Answer[] }
  | { kind: 'referral'; authority: Answer[]; glue: Answer[] };

/**
 * Answers `qname`/`qtype` within `scope`. Returns undefined when no zone in scope encloses the name.
 * `recursive` selects resolver semantics: chains cross into any zone in scope, a chain that leaves
 * the lab ends in NXDOMAIN, and lame delegations or CNAME loops give SERVFAIL.
 */
export function lookup(
  qname: string,
  qtype: string,
  dnssecOk: boolean,
  scope: ZoneScope,
  recursive: boolean,
): LookupReply | undefined {
  const answers: Answer[] = [];
  const authorities: Answer[] = [];
  const seen = new Set<string>();
  let name = qname;
  for (let step = 0; ; step++) {
    const zone = zoneForQuery(name, qtype, scope);
    if (zone === undefined) {
      if (step === 0) return undefined;
      // The chain left every zone in scope: a resolver finds nothing there; an authoritative server
      // simply stops (the client follows the target itself).
      return reply(recursive ? RCODE.NXDOMAIN : RCODE.NOERROR, answers, authorities);
    }
    seen.add(name);
    const result = lookupInZone(zone, name, qtype, dnssecOk);
    switch (result.kind) {
      case 'answer':
        answers.push(...result.records);
        authorities.push(...result.authority);
        return reply(RCODE.NOERROR, answers, authorities);
      case 'nodata':
        authorities.push(...result.authority);
        return reply(RCODE.NOERROR, answers, authorities);
      case 'nxdomain':
        authorities.push(...result.authority);
        return reply(RCODE.NXDOMAIN, answers, authorities);
      case 'referral':
        if (step === 0 && !recursive) {
          return {
            rcode: RCODE.NOERROR,
            authoritative: false,
            answers: [],
            authorities: result.authority,
            additionals: result.glue,
          };
        }
        // A resolver whose lab has no zone behind a delegation cannot resolve it (lame delegation).
        if (recursive) return reply(RCODE.SERVFAIL, [], []);
        return reply(RCODE.NOERROR, answers, authorities);
      case 'cname':
        answers.push(...result.records);
        authorities.push(...result.authority);
        if (seen.has(result.target) || step + 1 >= MAX_CNAME_CHAIN) {
          return recursive ? reply(RCODE.SERVFAIL, [], []) : reply(RCODE.NOERROR, answers, authorities);
        }
        name = result.target;
        break;
    }
  }
}

function reply(rcode: number, answers: Answer[], authorities: Answer[]): LookupReply {
  return { rcode, authoritative: true, answers, authorities, additionals: [] };
}

/**
 * The zone that answers: the closest enclosing one, except that DS for a zone apex is answered by the
 * parent zone when it is in scope (RFC 4035 section 3.1.4.1).
 */
function zoneForQuery(name: string, qtype: string, scope: ZoneScope): IndexedZone | undefined {
  const zone = scope.closestZone(name);
  if (zone === undefined || qtype !== 'DS' || zone.origin !== name) return zone;
  const parent = parentName(name);
  const parentZone = parent === undefined ? undefined : scope.closestZone(parent);
  return parentZone ?? zone;
}

function lookupInZone(zone: IndexedZone, name: string, qtype: string, dnssecOk: boolean): ZoneStep {
  // RFC 1034 4.3.2 step 3b: a delegation on the way down from the apex ends in a referral, except
  // that DS at the cut itself belongs to the parent side (RFC 4035 section 2.4).
  if (zone.cuts.size > 0) {
    const cut = firstCutAbove(zone, name, qtype);
    if (cut !== undefined) return referral(zone, cut, dnssecOk);
  }

  const node = zone.nodes.get(name);
  if (node !== undefined) return matchNode(zone, node, name, name, qtype, dnssecOk, []);

  if (zone.emptyNonTerminals.has(name)) {
    // An empty non-terminal exists (RFC 4592 section 2.2.2): NODATA, denied by the covering NSEC.
    return { kind: 'nodata', authority: [...soaAuthority(zone, dnssecOk), ...nsecCovering(zone, name, dnssecOk)] };
  }

  const encloser = closestEncloser(zone, name);
  const wildcardName = encloser === '' ? '*' : `*.${encloser}`;
  const wildcard = zone.nodes.get(wildcardName);
  const covering = nsecCovering(zone, name, dnssecOk);
  if (wildcard !== undefined) {
    // RFC 4035 section 3.1.3.3/3.1.3.4: a wildcard answer carries the NSEC proving the query name
    // itself does not exist.
    return matchNode(zone, wildcard, wildcardName, name, qtype, dnssecOk, covering);
  }
  const denial = [...covering];
  for (const record of nsecCovering(zone, wildcardName, dnssecOk)) {
    if (!denial.includes(record)) denial.push(record);
  }
  return { kind: 'nxdomain', authority: [...soaAuthority(zone, dnssecOk), ...denial] };
}

/**
 * Answers from one node. `owner` is where the data lives; `queryName` is what the client asked (they
 * differ for wildcard expansion, where the owner is rewritten and RRSIGs are copied unchanged: their
 * labels field tells a validator the answer was expanded, RFC 4035 section 5.3.4).
 */
function matchNode(
  zone: IndexedZone,
  node: NameNode,
  owner: string,
  queryName: string,
  qtype: string,
  dnssecOk: boolean,
  proof: Answer[],
): ZoneStep {
  const expand = owner !== queryName;
  const rrsetType = qtype === 'ANY' ? anyChoice(node) : qtype;
  if (qtype === 'RRSIG' && node.sigs.size > 0) {
    const sigs = [...node.sigs.values()].flat();
    return { kind: 'answer', records: expand ? rename(sigs, queryName) : sigs, authority: proof };
  }
  const rrset = rrsetType === undefined ? undefined : node.rrsets.get(rrsetType);
  if (rrset !== undefined && rrsetType !== undefined) {
    const records = withSigs(node, rrset, rrsetType, dnssecOk);
    return { kind: 'answer', records: expand ? rename(records, queryName) : records, authority: proof };
  }
  const cname = node.rrsets.get('CNAME');
  if (cname !== undefined && cname[0] !== undefined) {
    const records = withSigs(node, cname, 'CNAME', dnssecOk);
    const target = canonicalName((cname[0] as StringAnswer).data);
    return { kind: 'cname', records: expand ? rename(records, queryName) : records, authority: proof, target };
  }
  // NODATA: the NSEC at the owner shows which types exist (RFC 4035 section 3.1.3.1, 3.1.3.4).
  const authority = [...soaAuthority(zone, dnssecOk), ...proof];
  if (dnssecOk) {
    for (const record of withSigs(node, node.rrsets.get('NSEC') ?? [], 'NSEC', true)) {
      if (!authority.includes(record)) authority.push(record);
    }
  }
  return { kind: 'nodata', authority };
}

/** RFC 8482 section 4.1: answer ANY with one RRset that exists at the name (the first in zone order). */
function anyChoice(node: NameNode): string | undefined {
  for (const type of node.rrsets.keys()) {
    if (type !== 'NSEC') return type;
  }
  return undefined;
}

function withSigs(node: NameNode, rrset: Answer[], type: string, dnssecOk: boolean): Answer[] {
  if (!dnssecOk) return rrset;
  const sigs = node.sigs.get(type);
  return sigs === undefined ? rrset : [...rrset, ...sigs];
}

function rename(records: Answer[], name: string): Answer[] {
  return records.map((record) => ({ ...record, name }) as Answer);
}

function soaAuthority(zone: IndexedZone, dnssecOk: boolean): Answer[] {
  if (!dnssecOk) return [zone.negativeSoa];
  const sigs = zone.nodes.get(zone.origin)?.sigs.get('SOA') ?? [];
  return [zone.negativeSoa, ...sigs];
}

function nsecCovering(zone: IndexedZone, name: string, dnssecOk: boolean): Answer[] {
  if (!dnssecOk) return [];
  const nsec: NsecAnswer | undefined = coveringNsec(zone, name);
  if (nsec === undefined) return [];
  const sigs = zone.nodes.get(nsec.name)?.sigs.get('NSEC') ?? [];
  return [nsec, ...sigs];
}

/** The longest existing ancestor of a name that does not exist (RFC 4592 section 3.3.1). */
function closestEncloser(zone: IndexedZone, name: string): string {
  let candidate = parentName(name);
  while (candidate !== undefined && candidate !== zone.origin) {
    if (zone.nodes.has(candidate) || zone.emptyNonTerminals.has(candidate)) return candidate;
    candidate = parentName(candidate);
  }
  return zone.origin;
}

/** The highest delegation point between the apex (exclusive) and `name` (inclusive), if any. */
function firstCutAbove(zone: IndexedZone, name: string, qtype: string): string | undefined {
  if (name === zone.origin || !isAtOrBelow(name, zone.origin)) return undefined;
  // Ancestors from just below the apex down to the name itself.
  const chain: string[] = [];
  let candidate: string | undefined = name;
  while (candidate !== undefined && candidate !== zone.origin) {
    chain.push(candidate);
    candidate = parentName(candidate);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const cut = chain[i]!;
    if (!zone.cuts.has(cut)) continue;
    if (cut === name && qtype === 'DS') return undefined;
    return cut;
  }
  return undefined;
}

/** A referral to the child of the cut: NS, DS or the NSEC proving no DS when DO, and glue. */
function referral(zone: IndexedZone, cut: string, dnssecOk: boolean): ZoneStep {
  const node = zone.nodes.get(cut)!;
  const ns = node.rrsets.get('NS') ?? [];
  const authority: Answer[] = [...ns];
  if (dnssecOk) {
    const ds = node.rrsets.get('DS');
    // RFC 4035 section 3.1.4: a signed parent either returns the DS RRset or proves there is none.
    if (ds !== undefined) authority.push(...withSigs(node, ds, 'DS', true));
    else authority.push(...withSigs(node, node.rrsets.get('NSEC') ?? [], 'NSEC', true));
  }
  const glue: Answer[] = [];
  for (const record of ns) {
    const target = canonicalName((record as StringAnswer).data);
    if (!isAtOrBelow(target, zone.origin)) continue;
    const hostNode = zone.nodes.get(target);
    if (hostNode === undefined) continue;
    glue.push(...(hostNode.rrsets.get('A') ?? []), ...(hostNode.rrsets.get('AAAA') ?? []));
  }
  return { kind: 'referral', authority, glue };
}
