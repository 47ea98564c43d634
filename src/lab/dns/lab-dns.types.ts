/**
 * Data model of the lab's DNS: zones as plain record lists (dns-packet answers, already signed where
 * the zone is signed) and the name servers that serve them. The lab's world generator builds these;
 * the lab DNS server (lab-dns-server.ts) serves them over UDP and TCP.
 */
import type { Answer } from 'dns-packet';

export interface LabZone {
  /** Zone apex without trailing dot, lower case: 'northwind-clinic.test', or 'test' for the parent zone. */
  origin: string;
  /**
   * Every record of the zone: SOA and NS at the apex, data, delegations with DS and glue, and, for a
   * signed zone, DNSKEY, RRSIG and NSEC records. Owner names are absolute, without trailing dot.
   */
  records: Answer[];
  /** Whether any client may transfer the zone (AXFR); otherwise transfers are REFUSED. */
  axfr: 'open' | 'closed';
}

export interface LabNameServer {
  /** Loopback address this server listens on (127.x.y.z). */
  address: string;
  /** Origins of the zones this server is authoritative for. */
  zones: string[];
  /**
   * 'open': answers recursive (RD) queries for names outside its zones, from the whole lab, with RA
   * set (an open resolver). 'refused': REFUSED for names outside its zones, RA clear.
   */
  recursion: 'open' | 'refused';
  /** If set, answered for CHAOS TXT `version.bind` and `id.server`; otherwise those are REFUSED. */
  version?: string;
}

export interface LabDnsConfig {
  /** Port every lab DNS address listens on (53 where it can be bound). */
  port: number;
  zones: LabZone[];
  nameServers: LabNameServer[];
  /**
   * Addresses of the lab's recursive resolvers: they answer for every lab zone with RA set (and DS
   * from the parent side of a zone cut), follow CNAME chains across zones, and do not validate DNSSEC.
   * This is what `vitals scan --resolver` points at.
   */
  resolvers: string[];
}
