/**
 * A DNS client that answers a repeated question from memory. The scanner gives each target domain one
 * of these, so probes that ask the same thing (the apex's NS and MX, name-server addresses, a zone
 * transfer) cost one query: probes stay independent without paying for it on the wire.
 */
import type { RecordType } from 'dns-packet';
import type {
  AxfrResult,
  DnsClient,
  DnsQueryOptions,
  DnsQueryResult,
  DnsServer,
} from '../../net/dns/dns-client.types.js';
import { canonicalName } from '../../core/names.js';

export function memoizingClient(inner: DnsClient): DnsClient {
  const queries = new Map<string, Promise<DnsQueryResult>>();
  const transfers = new Map<string, Promise<AxfrResult>>();
  return {
    query(server: DnsServer, name: string, type: RecordType, options: DnsQueryOptions = {}) {
      const key = questionKey(server, name, type, options);
      let pending = queries.get(key);
      if (!pending) {
        pending = inner.query(server, name, type, options);
        queries.set(key, pending);
      }
      return pending;
    },
    axfr(server: DnsServer, zone: string, options?: { timeoutMs?: number }) {
      const key = `${server.address}|${server.port}|${canonicalName(zone)}`;
      let pending = transfers.get(key);
      if (!pending) {
        pending = inner.axfr(server, zone, options);
        transfers.set(key, pending);
      }
      return pending;
    },
    // The shared client belongs to the caller; forgetting is all this one has to do.
    async close() {
      queries.clear();
      transfers.clear();
    },
  };
}

/** Identity of a question: two queries with the same key get the same answer. */
export function questionKey(server: DnsServer, name: string, type: RecordType, options: DnsQueryOptions): string {
  return [
    server.address,
    server.port,
    canonicalName(name),
    type,
    options.qclass ?? 'IN',
    options.recursionDesired ?? true,
    options.dnssecOk ?? false,
    options.checkingDisabled ?? false,
    options.tcp ?? false,
  ].join('|');
}
