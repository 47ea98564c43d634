/**
 * The ports family's probes: `ports` (TCP connect scan of every discovered address) and `services`
 * (what answers on each open port, by protocol exchange).
 */
import { defineProbe, type ProbeTarget } from '../../core/contract.js';
import { discoveryProbe } from '../dns/dns-probes.js';
import type { DiscoveryObservation } from '../dns/discovery.types.js';
import { scanAddress } from './connect-scan.js';
import { PORTS_FAMILY, type PortsFamilyContext } from './ports-family.js';
import type { AddressServices, PortScanObservation, PortService, ServiceObservation } from './ports.types.js';
import { identifyService } from './services/identify.js';

/** Each address once, with every discovered host that resolves to it, in discovery order. */
export function addressesOf(discovery: DiscoveryObservation): Array<{ address: string; hosts: string[] }> {
  const byAddress = new Map<string, string[]>();
  for (const asset of discovery.assets)
    for (const address of asset.addresses) {
      const hosts = byAddress.get(address) ?? [];
      if (!hosts.includes(asset.host)) hosts.push(asset.host);
      byAddress.set(address, hosts);
    }
  return [...byAddress].map(([address, hosts]) => ({ address, hosts }));
}

export const portsProbe = defineProbe({
  id: 'ports',
  family: PORTS_FAMILY,
  description: 'TCP connect scan of the port list on every discovered address (open, closed, filtered as nmap -sT)',
  inputs: [discoveryProbe],
  run: async (_target: ProbeTarget, ctx: PortsFamilyContext, [discovery]) => {
    const all = addressesOf(discovery);
    if (all.length > ctx.tuning.maxAddresses)
      return {
        status: 'not_assessed',
        reason: 'other',
        detail: `${all.length} addresses, more than the ${ctx.tuning.maxAddresses} one target may have scanned`,
      };
    const addresses = await Promise.all(
      all.map(({ address, hosts }) => scanAddress(ctx.guard, address, hosts, ctx.ports, ctx.tuning, ctx.connections)),
    );
    const result: PortScanObservation = { ports: [...ctx.ports], addresses };
    return { status: 'completed', result };
  },
});

export const servicesProbe = defineProbe({
  id: 'services',
  family: PORTS_FAMILY,
  description: 'the service on each open port, named by speaking its protocol (SSH, RDP, SMB, DICOM, HL7...)',
  inputs: [portsProbe],
  run: async (_target: ProbeTarget, ctx: PortsFamilyContext, [scan]) => {
    const addresses = await Promise.all(
      scan.addresses.map(async (a): Promise<AddressServices> => {
        const services = await Promise.all(
          a.open.map(async (port): Promise<PortService> => {
            await ctx.identifications.acquire();
            try {
              return await identifyService(
                { guard: ctx.guard, address: a.address, port, tuning: ctx.tuning },
                ctx.tuning.identifyBudgetMs,
              );
            } finally {
              ctx.identifications.release();
            }
          }),
        );
        return {
          address: a.address,
          hosts: a.hosts,
          refused: a.refused,
          undecided: a.failed.map((f) => f.port),
          services,
        };
      }),
    );
    const result: ServiceObservation = { addresses };
    return { status: 'completed', result };
  },
});
