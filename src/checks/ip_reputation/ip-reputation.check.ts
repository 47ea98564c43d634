/**
 * IP reputation: a host whose address, or a network the organization declares, is on a threat feed gets
 * one finding per category (`iprep.botnet`...), evidence naming every feed, network and listing date.
 * The finding resolves when the address leaves every feed of that category: the next scan's check runs
 * and does not emit it.
 */
import { probeRef } from '../../core/contract.js';
import { type FeedCategory, type FeedListing, REPUTATION_FINDINGS } from '../../core/reputation.js';
import { emptyOutcome } from '../../core/types.js';
import type { ipReputationProbe } from '../../probes/reputation/ip-reputation.probe.js';
import { defineCheck } from '../define-check.js';

const FINDING_OF = REPUTATION_FINDINGS;

type IprepFinding = (typeof FINDING_OF)[FeedCategory];

/** Listings as evidence: address or network, feed, network listed, dates; sorted for stable evidence. */
function evidenceOf(listed: { subject: string; listing: FeedListing }[]) {
  const rows = listed
    .map(({ subject, listing }) => ({
      address: subject,
      feed: listing.feed,
      listed_network: listing.network,
      first_listed: listing.firstListed,
      last_listed: listing.lastListed,
    }))
    .sort((a, b) => a.address.localeCompare(b.address) || a.feed.localeCompare(b.feed));
  return {
    feeds: [...new Set(rows.map((r) => r.feed))].sort(),
    first_listed: rows.map((r) => r.first_listed).sort()[0],
    last_listed: rows
      .map((r) => r.last_listed)
      .sort()
      .at(-1),
    listings: rows,
  };
}

export const ipReputationCheck = defineCheck({
  id: 'iprep.feeds',
  factor: 'ip_reputation',
  description: 'addresses of discovered hosts and declared networks on imported threat feeds',
  reads: [probeRef<typeof ipReputationProbe>('ip-reputation')],
  findings: Object.values(FINDING_OF),
  controls: [],
  judge: (_target, [observation]) => {
    const out = emptyOutcome<IprepFinding, never>();
    const subjects = [
      ...observation.hosts.map((h) => ({
        host: h.host,
        listed: h.addresses.flatMap((a) => a.listings.map((listing) => ({ subject: a.address, listing }))),
      })),
      ...observation.declaredNetworks.map((n) => ({
        host: n.network,
        listed: n.listings.map((listing) => ({ subject: n.network, listing })),
      })),
    ];
    for (const { host, listed } of subjects) {
      const byCategory = new Map<FeedCategory, typeof listed>();
      for (const item of listed)
        byCategory.set(item.listing.category, [...(byCategory.get(item.listing.category) ?? []), item]);
      for (const [category, items] of [...byCategory].sort(([a], [b]) => a.localeCompare(b)))
        out.findings.push({
          type: FINDING_OF[category],
          asset: { host },
          evidence: { category, ...evidenceOf(items) },
        });
    }
    return out;
  },
});
