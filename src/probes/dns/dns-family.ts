/**
 * The DNS probe family: what its probes share for one target. Questions one target's probes ask twice
 * go on the wire once (memoizing-client.ts); questions about names outside the target are shared by the
 * whole scan (scan-wide-cache.ts); Certificate Transparency names are grouped by target once per scan.
 */
import type { ProbeFamily } from '../../core/contract.js';
import type { TrustAnchor } from '../../dnssec/trust-anchor.js';
import type { DnsClient, DnsServer } from '../../net/dns/dns-client.types.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { ctNamesByDomain } from './discovery.probe.js';
import { memoizingClient } from './memoizing-client.js';
import { scanWideCache } from './scan-wide-cache.js';

/** The scan settings the DNS family reads. */
export interface DnsScanOptions {
  client: DnsClient;
  resolver: DnsServer;
  nameServerPort: number;
  trustAnchors: TrustAnchor[];
  timeoutMs: number;
  retries: number;
  /** Labels for wordlist discovery; null to skip it. */
  wordlist: readonly string[] | null;
  /** Host names from Certificate Transparency (`--ct FILE`). */
  ctNames: readonly string[];
  /** Try permutations of discovered names (`--permutations`). */
  permutations?: boolean;
  now?: () => number;
}

/** One target's DNS context: the probe context plus the scan settings DNS probes need. */
export interface DnsFamilyContext extends DnsProbeContext {
  /**
   * The scan's plain client, for the wordlist's many one-off questions: the per-target memo in front of
   * `client` would only add bookkeeping for names asked once.
   */
  scanClient: DnsClient;
  trustAnchors: TrustAnchor[];
  wordlist: readonly string[] | null;
  /** Certificate Transparency names at or below this target. */
  ctNames: readonly string[];
  permutations: boolean;
}

export const DNS_FAMILY = 'dns';

export const dnsFamily: ProbeFamily<DnsScanOptions, DnsFamilyContext> = {
  id: DNS_FAMILY,
  prepare(settings, domains) {
    const queryOptions = { timeoutMs: settings.timeoutMs, retries: settings.retries };
    const now = settings.now ?? (() => Math.floor(Date.now() / 1000));
    const ctByDomain = ctNamesByDomain(settings.ctNames, domains);
    const shared = scanWideCache(settings.client);
    return {
      forTarget: (domain) => ({
        client: memoizingClient(shared.forTarget(domain)),
        scanClient: settings.client,
        resolver: settings.resolver,
        nameServerPort: settings.nameServerPort,
        queryOptions,
        now,
        trustAnchors: settings.trustAnchors,
        wordlist: settings.wordlist,
        ctNames: ctByDomain.get(domain) ?? [],
        permutations: settings.permutations === true,
      }),
    };
  },
};
