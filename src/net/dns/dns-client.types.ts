/**
 * Contract of the DNS wire client (implemented in dns-client.ts). Probes depend on this type only,
 * so every probe can be pointed at any DNS server: the lab's, a test's, or the one the user gave.
 */
import type { Answer, RecordType } from 'dns-packet';

/** A DNS server to ask: an IP literal and a port. */
export interface DnsServer {
  address: string;
  port: number;
}

export interface DnsQueryOptions {
  /** Per-attempt timeout in milliseconds (default 2000). */
  timeoutMs?: number;
  /** Extra attempts after a timeout (default 1). */
  retries?: number;
  /** Set the EDNS0 DO bit so the server returns RRSIG/NSEC records (default false). */
  dnssecOk?: boolean;
  /** RD flag (default true). Set false when asking an authoritative server directly. */
  recursionDesired?: boolean;
  /**
   * CD flag (RFC 4035 3.2.2): ask a validating resolver for the data even when it fails validation, so
   * Vitals can judge DNSSEC itself instead of getting SERVFAIL for a bogus zone (default false).
   */
  checkingDisabled?: boolean;
  /** Query class (default IN; CH for version.bind and id.server). */
  qclass?: 'IN' | 'CH';
  /** Skip UDP and ask over TCP straight away (default false; TCP is always used after a truncated UDP reply). */
  tcp?: boolean;
}

export interface DnsResponse {
  /** 'NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', ... */
  rcode: string;
  flags: { aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean };
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  transport: 'udp' | 'tcp';
  /** The server that answered. */
  server: DnsServer;
}

/** `policy_refused`: the scan's network policy (src/net/address-policy.ts) or a scan-wide budget stopped it. */
export type DnsFailureReason = 'timeout' | 'malformed_reply' | 'network_error' | 'policy_refused';

/** A query either yields a parsed response or a typed failure; it never throws for network trouble. */
export type DnsQueryResult =
  | { ok: true; response: DnsResponse }
  | { ok: false; reason: DnsFailureReason; detail: string; server: DnsServer };

export type AxfrResult =
  | { ok: true; records: Answer[] }
  | { ok: false; reason: DnsFailureReason | 'refused'; detail: string; server: DnsServer };

export interface DnsClient {
  query(server: DnsServer, name: string, type: RecordType, options?: DnsQueryOptions): Promise<DnsQueryResult>;
  /** Zone transfer over TCP; handles multi-message transfers (ends at the second SOA). */
  axfr(server: DnsServer, zone: string, options?: { timeoutMs?: number }): Promise<AxfrResult>;
  /** Releases sockets. */
  close(): Promise<void>;
}
