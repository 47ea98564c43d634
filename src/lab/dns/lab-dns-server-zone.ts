/**
 * Indexes a lab zone for O(1) answering: owner name → type → RRset, RRSIGs by covered type, the set of
 * empty non-terminals, the delegation points and the NSEC chain in canonical order.
 */
import type { Answer, NsecAnswer, RrsigAnswer, SoaAnswer } from 'dns-packet';
import { canonicalNameCompare } from '../../dnssec/canonical.js';
import type { LabZone } from './lab-dns.types.js';
import { canonicalName } from '../../core/names.js';

/** The records owned by one name, grouped by type (RRSIGs grouped by the type they cover). */
export interface NameNode {
  rrsets: Map<string, Answer[]>;
  sigs: Map<string, Answer[]>;
}

/** A zone ready for lookups. Built once per `replaceZone`, never mutated afterwards. */
export interface IndexedZone {
  origin: string;
  axfr: 'open' | 'closed';
  /** Every record as given (normalized owner names), for AXFR. */
  records: readonly Answer[];
  soa: SoaAnswer;
  /** The SOA as it goes into negative answers: TTL = min(TTL, MINIMUM) (RFC 2308 section 3). */
  negativeSoa: SoaAnswer;
  nodes: Map<string, NameNode>;
  /** Names that own nothing but have descendants (RFC 4592 section 2.2.2: they exist). */
  emptyNonTerminals: Set<string>;
  /** Non-apex owners of NS records: zone cuts (RFC 1034 section 4.2.1). */
  cuts: Set<string>;
  /** NSEC records sorted by owner in canonical order (RFC 4034 section 6.1). */
  nsecChain: NsecAnswer[];
}

/** The parent of a name ('' for a single label; undefined for the root). */
export function parentName(name: string): string | undefined {
  if (name === '') return undefined;
  const dot = name.indexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1);
}

/** Whether `name` equals `ancestor` or lies below it. */
export function isAtOrBelow(name: string, ancestor: string): boolean {
  if (ancestor === '') return true;
  return name === ancestor || name.endsWith(`.${ancestor}`);
}

/**
 * Builds the index of a zone. Throws on data that cannot be served (no SOA at the apex, owners outside
 * the zone): those are bugs in the lab's world, better caught at start-up than answered wrongly.
 */
export function indexZone(zone: LabZone): IndexedZone {
  const origin = canonicalName(zone.origin);
  const nodes = new Map<string, NameNode>();
  const records: Answer[] = [];
  for (const given of zone.records) {
    const name = canonicalName(given.name);
    if (!isAtOrBelow(name, origin)) {
      throw new Error(`lab zone ${origin}: record ${given.name} ${given.type} lies outside the zone`);
    }
    const record = name === given.name ? given : ({ ...given, name } as Answer);
    records.push(record);
    let node = nodes.get(name);
    if (node === undefined) {
      node = { rrsets: new Map(), sigs: new Map() };
      nodes.set(name, node);
    }
    const group = record.type === 'RRSIG' ? node.sigs : node.rrsets;
    const key = record.type === 'RRSIG' ? (record as RrsigAnswer).data.typeCovered.toUpperCase() : record.type;
    const list = group.get(key);
    if (list === undefined) group.set(key, [record]);
    else list.push(record);
  }

  const soa = nodes.get(origin)?.rrsets.get('SOA')?.[0] as SoaAnswer | undefined;
  if (soa === undefined) throw new Error(`lab zone ${origin}: no SOA record at the apex`);
  const negativeTtl = Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0);
  const negativeSoa: SoaAnswer = { ...soa, ttl: negativeTtl };

  const emptyNonTerminals = new Set<string>();
  const cuts = new Set<string>();
  const nsecChain: NsecAnswer[] = [];
  for (const [name, node] of nodes) {
    if (name !== origin && node.rrsets.has('NS')) cuts.add(name);
    const nsec = node.rrsets.get('NSEC');
    if (nsec !== undefined) nsecChain.push(...(nsec as NsecAnswer[]));
    // Every ancestor between the owner and the apex exists, even if it owns nothing.
    let ancestor = parentName(name);
    while (ancestor !== undefined && ancestor !== origin && isAtOrBelow(ancestor, origin)) {
      if (!nodes.has(ancestor)) emptyNonTerminals.add(ancestor);
      ancestor = parentName(ancestor);
    }
  }
  nsecChain.sort((a, b) => canonicalNameCompare(a.name, b.name));

  return { origin, axfr: zone.axfr, records, soa, negativeSoa, nodes, emptyNonTerminals, cuts, nsecChain };
}

/**
 * The NSEC whose owner is the canonical predecessor of `name` (or `name` itself): the record that
 * covers a name that does not exist (RFC 4035 section 3.1.3.2). Binary search over the sorted chain.
 */
export function coveringNsec(zone: IndexedZone, name: string): NsecAnswer | undefined {
  const chain = zone.nsecChain;
  let lo = 0;
  let hi = chain.length - 1;
  let found: NsecAnswer | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const candidate = chain[mid]!;
    if (canonicalNameCompare(candidate.name, name) <= 0) {
      found = candidate;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // Before the first owner (cannot happen in a chain that starts at the apex): the last NSEC wraps.
  return found ?? chain[chain.length - 1];
}
