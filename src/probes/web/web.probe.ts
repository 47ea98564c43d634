/**
 * The web probe: every discovered host with an address, on the HTTP and HTTPS ports of the scan, through
 * the scan's NetworkGuard, at the address discovery resolved (the scanner's resolver, never the OS).
 * Redirects to other hosts of the organization are resolved the same way; redirects elsewhere are
 * recorded and not followed.
 */
import { isAtOrBelow } from '../../core/names.js';
import type { DiscoveredAsset } from '../dns/discovery.types.js';
import { resolveHost } from '../dns/resolve-host.js';
import { type EndpointContext, probeEndpoint } from './endpoint.probe.js';
import { fingerprintEndpoint } from './fingerprint.js';
import type { WebFamilyContext } from './web-family.js';
import type { AnsweredEndpoint, WebEndpoint, WebHost, WebObservation, WebScheme } from './web.types.js';

/** The address to connect to: the first IPv4 address, else the first address. */
export function preferredAddress(addresses: readonly string[]): string | undefined {
  return addresses.find((a) => !a.includes(':')) ?? addresses[0];
}

/** The endpoint context of one target: scope is the target domain and every name below it. */
export function endpointContext(ctx: WebFamilyContext, known: ReadonlyMap<string, string>): EndpointContext {
  const resolved = new Map<string, Promise<string | null>>();
  return {
    guard: ctx.guard,
    limits: ctx.limits,
    maxRedirects: ctx.maxRedirects,
    deep: true,
    secureContext: ctx.secureContext,
    inScope: (host) => isAtOrBelow(host, ctx.domain),
    resolve: (host) => {
      const address = known.get(host);
      if (address !== undefined) return Promise.resolve(address);
      let pending = resolved.get(host);
      if (!pending) {
        pending = resolveHost(
          {
            client: ctx.client,
            resolver: ctx.resolver,
            nameServerPort: 53,
            queryOptions: ctx.queryOptions,
            now: () => Math.floor(Date.now() / 1000),
          },
          host,
        ).then((r) => (r.status === 'exists' ? (preferredAddress(r.addresses) ?? null) : null));
        resolved.set(host, pending);
      }
      return pending;
    },
  };
}

/** Probes one host's endpoints (each holding a slot of the scan-wide cap while it runs). */
export async function probeWebHost(
  ctx: WebFamilyContext,
  endpoints: EndpointContext,
  host: string,
  address: string,
): Promise<WebHost> {
  const plan: Array<[WebScheme, number]> = [
    ...ctx.ports.https.map((p): [WebScheme, number] => ['https', p]),
    ...ctx.ports.http.map((p): [WebScheme, number] => ['http', p]),
  ];
  const results: WebEndpoint[] = await Promise.all(
    plan.map(async ([scheme, port]) => {
      await ctx.slots.acquire();
      try {
        return await probeEndpoint(endpoints, host, address, scheme, port);
      } finally {
        ctx.slots.release();
      }
    }),
  );
  return describeHost(host, address, results);
}

/** A host's endpoints with what they show it runs. */
export function describeHost(host: string, address: string, endpoints: WebEndpoint[]): WebHost {
  const answered = endpoints.filter((e): e is AnsweredEndpoint => e.state === 'answered');
  const products = answered.flatMap(fingerprintEndpoint);
  const unique = products.filter(
    (p, i) => products.findIndex((q) => q.product === p.product && q.version === p.version) === i,
  );
  return {
    host,
    address,
    endpoints,
    products: unique,
    telehealth: unique.some((p) => p.category === 'telehealth'),
  };
}

/** The web observation of one target from discovery's assets. */
export async function probeWeb(
  domain: string,
  assets: readonly DiscoveredAsset[],
  ctx: WebFamilyContext,
): Promise<WebObservation> {
  const known = new Map<string, string>();
  for (const asset of assets) {
    const address = preferredAddress(asset.addresses);
    if (address !== undefined) known.set(asset.host, address);
  }
  const endpoints = endpointContext(ctx, known);
  const hosts = await Promise.all([...known].map(([host, address]) => probeWebHost(ctx, endpoints, host, address)));
  return { domain, hosts };
}
