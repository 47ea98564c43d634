/**
 * Loads what the reputation probe family needs at scan start: every threat-feed entry in the store, built
 * into the prefix index, and the networks each organization declares (given to its first domain's target).
 * Only when the plan runs the IP reputation probe: `--only dns_health` does not read a million rows.
 */
import type { FeedListing } from '../core/reputation.js';
import { parseNetwork } from '../intel/reputation/network.js';
import { buildPrefixIndex, type IndexEntry } from '../intel/reputation/prefix-index.js';
import type { ReputationData } from '../probes/reputation/reputation-family.js';
import type { Store } from '../store/database.js';
import type { PortfolioTarget } from './scan-session.js';

/** The index over stored entries (rows whose network does not parse are a corrupt store: they throw). */
export function reputationIndexData(entries: readonly FeedListing[], networksByDomain: Record<string, string[]>) {
  const indexed: IndexEntry[] = entries.map((entry) => {
    const network = parseNetwork(entry.network);
    if (network === null) throw new Error(`feed ${entry.feed}: stored network "${entry.network}" does not parse`);
    return { ...entry, network };
  });
  const data: ReputationData = {
    index: buildPrefixIndex(indexed),
    feedCount: new Set(entries.map((e) => e.feed)).size,
    networksByDomain,
  };
  return data;
}

/**
 * Reads feeds and declared networks from `store`; sets each organization's networks on its first target.
 * A store with no feeds gives data with `feedCount` 0 (the probe is then not assessed, saying why).
 */
export async function loadReputationData(store: Store, targets: PortfolioTarget[]): Promise<ReputationData> {
  const [entries, networks, feeds] = await Promise.all([
    store.reputation.allEntries(),
    store.reputation.allNetworks(),
    store.reputation.listFeeds(),
  ]);
  const networksByDomain: Record<string, string[]> = {};
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.organizationId)) continue;
    seen.add(target.organizationId);
    const declared = networks.get(target.organizationId) ?? [];
    if (declared.length === 0) continue;
    networksByDomain[target.domain] = declared;
    target.networks = declared;
  }
  return { ...reputationIndexData(entries, networksByDomain), feedCount: feeds.length };
}
