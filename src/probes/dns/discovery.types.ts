/** Typed result of asset discovery for one organization domain. */

/** How an asset was found. */
export const DISCOVERY_SOURCES = ['apex', 'wordlist', 'axfr', 'cname', 'ct', 'ns', 'mx', 'permutation'] as const;
export type DiscoverySource = (typeof DISCOVERY_SOURCES)[number];

export interface DiscoveredAsset {
  /** Host name, lower case, no trailing dot. */
  host: string;
  /** A and AAAA addresses the host resolves to (after following CNAMEs). */
  addresses: string[];
  /** CNAME chain from the host, in order, when it is an alias. */
  cnameChain: string[];
  /** Every way this host was found. */
  discoveredBy: DiscoverySource[];
}

export interface NameServerInfo {
  host: string;
  addresses: string[];
}

export interface DiscoveryObservation {
  domain: string;
  /** Addresses a random, surely nonexistent label resolved to: a wildcard is configured when non-empty. */
  wildcardAddresses: string[];
  nameServers: NameServerInfo[];
  assets: DiscoveredAsset[];
  /** Number of DNS queries discovery sent. */
  queries: number;
  /** Look-ups that failed (timeouts, garbage): discovery may be incomplete for these names. */
  failures: Array<{ name: string; reason: string }>;
  /** With permutations on: how many candidates were resolved, or why none were (a wildcard). */
  permutations?: { tried: number; skipped: string | null };
}

/** One entry of the JSON array crt.sh returns (only the fields Vitals reads). */
export interface CtLogEntry {
  name_value?: string;
  common_name?: string;
}
