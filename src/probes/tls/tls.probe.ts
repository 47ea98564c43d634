/**
 * The TLS probe of one domain: every discovered host with an address, on each configured port (443 and
 * 8443 by default), assessed by tls-endpoint.ts. The address is the one the scanner's resolver gave
 * discovery (never the OS's); SNI is the host name. Endpoints run a bounded number at a time.
 */
import { isIP } from 'node:net';
import type { DiscoveryObservation } from '../dns/discovery.types.js';
import { assessEndpoint } from './tls-endpoint.js';
import type { TlsFamilyContext } from './tls-family.js';
import type { TlsEndpointRef, TlsObservation } from './tls.types.js';

/** One address per host (IPv4 first, then the lowest): each endpoint costs tens of connections. */
export function tlsEndpoints(discovery: DiscoveryObservation, ports: readonly number[]): TlsEndpointRef[] {
  const refs: TlsEndpointRef[] = [];
  const seen = new Set<string>();
  for (const asset of discovery.assets) {
    if (seen.has(asset.host)) continue;
    seen.add(asset.host);
    const addresses = [...asset.addresses].sort((a, b) => isIP(a) - isIP(b) || a.localeCompare(b));
    const address = addresses[0];
    if (address === undefined) continue;
    for (const port of ports) refs.push({ host: asset.host, address, port });
  }
  return refs;
}

export async function probeTls(
  domain: string,
  ctx: TlsFamilyContext,
  discovery: DiscoveryObservation,
): Promise<TlsObservation> {
  const refs = tlsEndpoints(discovery, ctx.ports);
  const endpoints = await Promise.all(
    refs.map(async (ref) => {
      await ctx.slots.acquire();
      try {
        return await assessEndpoint(ref, ctx.endpoint);
      } finally {
        ctx.slots.release();
      }
    }),
  );
  return { domain, ports: [...ctx.ports], endpoints };
}
