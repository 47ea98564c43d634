/**
 * Looks every address discovery found, and every network the organization declares, up in the scan's
 * threat-feed index. Nothing goes on the wire: the feeds were imported beforehand (`vitals feeds import`).
 */
import { defineProbe, type ProbeTarget } from '../../core/contract.js';
import { parseAddress, parseNetwork } from '../../intel/reputation/network.js';
import { lookupAddress, lookupNetwork, networkCount } from '../../intel/reputation/prefix-index.js';
import { discoveryProbe } from '../dns/dns-probes.js';
import type { ReputationObservation } from './ip-reputation.types.js';
import { REPUTATION_FAMILY, type ReputationContext } from './reputation-family.js';

export const ipReputationProbe = defineProbe({
  id: 'ip-reputation',
  family: REPUTATION_FAMILY,
  description: "threat-feed listings of the discovered hosts' addresses and of the declared networks",
  inputs: [discoveryProbe],
  run: async (_target: ProbeTarget, ctx: ReputationContext, [discovery]) => {
    const data = ctx.data;
    if (data === null || data.feedCount === 0)
      return {
        status: 'not_assessed' as const,
        reason: 'other' as const,
        detail: 'no threat feeds imported (import some with `vitals feeds import FILE`)',
      };
    const { index } = data;
    const result: ReputationObservation = {
      feeds: data.feedCount,
      networks: networkCount(index),
      hosts: discovery.assets.map((asset) => ({
        host: asset.host,
        addresses: asset.addresses.map((address) => {
          const parsed = parseAddress(address);
          return { address, listings: parsed ? lookupAddress(index, parsed.family, parsed.words) : [] };
        }),
      })),
      declaredNetworks: ctx.networks.map((network) => {
        const parsed = parseNetwork(network);
        return { network, listings: parsed ? lookupNetwork(index, parsed) : [] };
      }),
    };
    return { status: 'completed' as const, result };
  },
});
