/**
 * The up-front half of the network policy (the other half is at the socket, src/net/guarded-socket.ts):
 * before any traffic goes to a target's own servers, a target is refused when it is excluded, or when
 * its apex or name servers resolve (A or AAAA) to addresses the policy refuses for a reason the user
 * controls (private ranges without --allow-private, --exclude). Addresses no option opens (multicast,
 * unspecified, reserved) do not refuse the target: nothing is ever sent to them, and the probes that
 * would have are reported not assessed.
 */
import type { AddressPolicy } from '../net/address-policy.js';
import { classifyAddress } from '../net/address-policy.js';
import { excludedNameRule } from '../net/exclusions.js';
import type { DnsProbeContext } from '../probes/dns/dns-probe-context.js';
import { dataOf, resolveHost } from '../probes/dns/resolve-host.js';
import { canonicalName } from '../core/names.js';

const MAX_LISTED = 8;

/** Why `domain` must not be scanned, or null. */
export async function targetRefusal(
  domain: string,
  ctx: DnsProbeContext,
  policy: AddressPolicy,
): Promise<string | null> {
  const exclusions = policy.spec.exclusions;
  const excludedDomain = excludedNameRule(domain, exclusions);
  if (excludedDomain !== undefined)
    return `refusing to scan ${domain}: it is excluded by --exclude (${excludedDomain})`;
  // With private ranges open and nothing excluded, no address can refuse a target: skip the look-ups.
  if (policy.spec.allowPrivate && exclusions.cidrs.length === 0 && exclusions.suffixes.length === 0) return null;
  const [apex, ns] = await Promise.all([
    hostAddresses(ctx, domain),
    ctx.client.query(ctx.resolver, domain, 'NS', ctx.queryOptions),
  ]);
  const hosts = ns.ok
    ? ns.response.answers.filter((a) => a.type === 'NS').map((a) => canonicalName(String(dataOf(a))))
    : [];
  const excludedHost = hosts.find((host) => excludedNameRule(host, exclusions) !== undefined);
  if (excludedHost !== undefined) {
    const rule = excludedNameRule(excludedHost, exclusions);
    return `refusing to scan ${domain}: its name server ${excludedHost} is excluded by --exclude (${rule})`;
  }
  const resolved = await Promise.all(hosts.map(async (host) => [host, await hostAddresses(ctx, host)] as const));
  const problems: string[] = [];
  for (const [host, addresses] of [[domain, apex] as const, ...resolved]) {
    for (const address of addresses) {
      const refusal = policy.refusal(address);
      if (refusal === null || classifyAddress(address).category === 'never') continue;
      problems.push(`${host} resolves to ${address} (${refusal.reason})`);
    }
  }
  if (problems.length === 0) return null;
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  return `refusing to scan ${domain}: ${problems.slice(0, MAX_LISTED).join('; ')}${more}`;
}

async function hostAddresses(ctx: DnsProbeContext, host: string): Promise<string[]> {
  const [a, aaaa] = await Promise.all([resolveHost(ctx, host, 'A'), resolveHost(ctx, host, 'AAAA')]);
  return [...(a.status === 'exists' ? a.addresses : []), ...(aaaa.status === 'exists' ? aaaa.addresses : [])];
}
