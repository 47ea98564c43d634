/**
 * Typed result of the DNS infrastructure probe (dns-infra.probe.ts): what the domain's name servers,
 * apex records and aliases look like from outside. Every look-up is a ProbeAttempt, so a timeout is
 * never confused with absence; the checks in src/checks/dns_health/dns-infra.check.ts judge it.
 */
import type { Answer } from 'dns-packet';
import type { ProbeAttempt } from '../../core/types.js';

/** A parsed reply to one look-up through the resolver (NOERROR or NXDOMAIN; other rcodes are not_assessed). */
export interface DnsLookup {
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** Answer-section records, already filtered to the queried name and its CNAME chain. */
  answers: Answer[];
}

/** One name in the apex NS set, with its addresses as seen through the resolver. */
export interface NameServerName {
  /** Lower case, no trailing dot. */
  name: string;
  a: ProbeAttempt<DnsLookup>;
  aaaa: ProbeAttempt<DnsLookup>;
}

/** Outcome of a zone-transfer attempt against one name-server address. */
export type AxfrObservation =
  /**
   * `records`: the zone as transferred, opening SOA first, closing SOA not repeated; `recordCount` = records.length.
   */
  { allowed: true; recordCount: number; records: Answer[] } | { allowed: false; reason: 'refused' };

/** Reply to a CHAOS-class TXT query (version.bind or id.server), RD clear. */
export interface ChaosTxtObservation {
  rcode: string;
  /** TXT strings answered for the queried name (empty when refused or absent). */
  texts: string[];
}

/**
 * Reply to the open-resolver test: a recursive (RD) query for a name outside the organization's
 * zones. Criterion (RFC 5358 §4): the server is an open resolver when it answers with RA set and
 * rcode NOERROR or NXDOMAIN; REFUSED, or RA clear, means it does not recurse for us.
 */
export interface RecursionObservation {
  queryName: string;
  rcode: string;
  ra: boolean;
  aa: boolean;
  answerCount: number;
}

/** Everything probed on one name-server address at the name-server port. */
export interface NameServerAddressProbe {
  ip: string;
  port: number;
  /** NS names (from the apex NS set) that resolve to this address, sorted. */
  names: string[];
  axfr: ProbeAttempt<AxfrObservation>;
  versionBind: ProbeAttempt<ChaosTxtObservation>;
  idServer: ProbeAttempt<ChaosTxtObservation>;
  recursion: ProbeAttempt<RecursionObservation>;
}

/** Where a discovered name's CNAME chain ends, followed through the resolver. */
export interface CnameChainObservation {
  /** The discovered name (lower case). */
  name: string;
  /** CNAME targets in order (empty when the name is not an alias). */
  chain: string[];
  /** The last name of the chain (the name itself when not an alias) and what the resolver said of it. */
  final: { name: string; rcode: 'NOERROR' | 'NXDOMAIN'; addressCount: number };
}

/** The typed result of {@link probeDnsInfra}. */
export interface DnsInfraObservation {
  /** Apex, lower case, no trailing dot. */
  domain: string;
  ns: ProbeAttempt<DnsLookup>;
  nameServers: NameServerName[];
  soa: ProbeAttempt<DnsLookup>;
  caa: ProbeAttempt<DnsLookup>;
  /** A and AAAA of a random 20-character label under the apex: an answer means a wildcard. */
  wildcard: { label: string; a: ProbeAttempt<DnsLookup>; aaaa: ProbeAttempt<DnsLookup> };
  nameServerAddresses: NameServerAddressProbe[];
  /** Name-server addresses past the probe's bound: never asked for a transfer, version or recursion. */
  unprobedAddresses: { ip: string; names: string[] }[];
  /** One entry per discovered name (and per CNAME owner learnt from an open AXFR) under the apex. */
  cnames: { name: string; result: ProbeAttempt<CnameChainObservation> }[];
  /**
   * Names whose CNAME chain was not followed although one might exist: discovery could not resolve them
   * (the apex stands for failed NS, MX, zone-transfer or wildcard look-ups, which hide names), or they
   * came past the bound on chased names. One entry per name, reasons joined.
   */
  unchased: UnchasedName[];
}

/** A name the dangling-CNAME check could not cover, and why. */
export interface UnchasedName {
  name: string;
  reason: string;
}
