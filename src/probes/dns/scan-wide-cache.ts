/**
 * Answers shared by a whole scan: questions about names outside the domain being assessed (a hosting
 * provider's name servers, the parent zone's keys, a mail provider's SPF includes, a name server's
 * version) are asked once per scan instead of once per organization. Questions about the target's own
 * names always go to the wire (and are memoized per target on top of this, see memoizing-client.ts).
 * Only successful answers are kept: a timeout is retried by the next organization that asks.
 */
import type { RecordType } from 'dns-packet';
import { isAtOrBelow } from '../../core/names.js';
import type { DnsClient, DnsQueryOptions, DnsQueryResult, DnsServer } from '../../net/dns/dns-client.types.js';
import { questionKey } from './memoizing-client.js';

const LIMIT = 200_000;

export interface ScanWideCache {
  /** A client for assessing `domain`: names outside it are answered from the scan-wide cache. */
  forTarget(domain: string): DnsClient;
}

export function scanWideCache(inner: DnsClient): ScanWideCache {
  const answers = new Map<string, Promise<DnsQueryResult>>();
  const shared = (
    server: DnsServer,
    name: string,
    type: RecordType,
    options: DnsQueryOptions,
  ): Promise<DnsQueryResult> => {
    const key = questionKey(server, name, type, options);
    const hit = answers.get(key);
    if (hit) return hit;
    if (answers.size >= LIMIT) answers.clear();
    const pending = inner.query(server, name, type, options);
    answers.set(key, pending);
    void pending.then((result) => {
      if (!result.ok) answers.delete(key);
    });
    return pending;
  };
  return {
    forTarget(domain) {
      return {
        query: (server, name, type, options = {}) =>
          isAtOrBelow(name, domain) ? inner.query(server, name, type, options) : shared(server, name, type, options),
        axfr: (server, zone, options) => inner.axfr(server, zone, options),
        // The wrapped client belongs to the scan.
        close: async () => undefined,
      };
    },
  };
}
