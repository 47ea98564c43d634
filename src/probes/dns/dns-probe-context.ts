/**
 * What every DNS probe gets: a wire client, the recursive resolver to ask (the user's `--resolver`,
 * or the lab's), and the port to use when it talks to an organization's name servers directly.
 */
import type { DnsClient, DnsQueryOptions, DnsServer } from '../../net/dns/dns-client.types.js';

export interface DnsProbeContext {
  client: DnsClient;
  /** Recursive resolver for ordinary look-ups (RD set). */
  resolver: DnsServer;
  /**
   * Port of authoritative name servers when queried directly (AXFR, version.bind, open-resolver test).
   * 53 on the internet; the lab may use another port when it cannot bind 53.
   */
  nameServerPort: number;
  /** Default per-query options (timeout, retries). */
  queryOptions: DnsQueryOptions;
  /** Unix time in seconds used for signature validity (injectable for tests). */
  now: () => number;
}
