/**
 * A DnsClient wrapper for the benchmarks: it counts every query the scanner sends and records each
 * one's (server, name, type, flags), so the very same queries can be replayed with `dig` afterwards.
 * It only observes: every call goes unchanged to the real wire client.
 */
import type { RecordType } from 'dns-packet';
import type {
  AxfrResult,
  DnsClient,
  DnsQueryOptions,
  DnsQueryResult,
  DnsServer,
} from '../src/net/dns/dns-client.types.js';

/** One query as the scanner sent it (the flags that change what a server answers). */
export interface RecordedQuery {
  server: DnsServer;
  name: string;
  type: RecordType;
  qclass: 'IN' | 'CH';
  recursionDesired: boolean;
  dnssecOk: boolean;
  /** CD (RFC 4035 section 3.2.2): the DNSSEC probe asks for data even if it would fail validation. */
  checkingDisabled: boolean;
  tcp: boolean;
}

/** Counters kept by a recording client. */
export interface QueryTally {
  /** Logical queries (a UDP query retried or re-asked over TCP after truncation counts once), AXFR included. */
  queries: number;
  axfr: number;
  /** Queries that ended without a reply, by reason (timeouts here mean the measurement is suspect). */
  failures: Record<string, number>;
}

/** A DnsClient that also exposes what went through it. */
export interface RecordingDnsClient extends DnsClient {
  readonly tally: QueryTally;
  /** Every query in the order sent; empty unless recording was asked for. */
  readonly recorded: RecordedQuery[];
}

/** Wraps `inner`; with `record` true every query is kept in `recorded` (memory: ~150 bytes a query). */
export function createRecordingDnsClient(inner: DnsClient, options: { record: boolean }): RecordingDnsClient {
  const tally: QueryTally = { queries: 0, axfr: 0, failures: {} };
  const recorded: RecordedQuery[] = [];
  const fail = (reason: string): void => {
    tally.failures[reason] = (tally.failures[reason] ?? 0) + 1;
  };
  return {
    tally,
    recorded,
    async query(
      server: DnsServer,
      name: string,
      type: RecordType,
      queryOptions: DnsQueryOptions = {},
    ): Promise<DnsQueryResult> {
      tally.queries += 1;
      if (options.record) {
        recorded.push({
          server: { address: server.address, port: server.port },
          name,
          type,
          qclass: queryOptions.qclass ?? 'IN',
          // Defaults as documented in DnsQueryOptions: RD set, DO and CD clear, UDP first.
          recursionDesired: queryOptions.recursionDesired ?? true,
          dnssecOk: queryOptions.dnssecOk ?? false,
          checkingDisabled: queryOptions.checkingDisabled ?? false,
          tcp: queryOptions.tcp ?? false,
        });
      }
      const result = await inner.query(server, name, type, queryOptions);
      if (!result.ok) fail(result.reason);
      return result;
    },
    async axfr(server: DnsServer, zone: string, axfrOptions?: { timeoutMs?: number }): Promise<AxfrResult> {
      tally.queries += 1;
      tally.axfr += 1;
      if (options.record) {
        recorded.push({
          server: { address: server.address, port: server.port },
          name: zone,
          type: 'AXFR',
          qclass: 'IN',
          // As the wire client sends it: RD at its default (set), over TCP (RFC 5936 section 4.2).
          recursionDesired: true,
          dnssecOk: false,
          checkingDisabled: false,
          tcp: true,
        });
      }
      const result = await inner.axfr(server, zone, axfrOptions);
      // A refused transfer is an answer (most lab zones refuse), not a failure to get one.
      if (!result.ok && result.reason !== 'refused') fail(result.reason);
      return result;
    },
    close: () => inner.close(),
  };
}
