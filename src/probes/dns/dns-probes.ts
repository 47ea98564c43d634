/**
 * The DNS family's probes in the contract of core/contract.ts. Each wraps the probe module that does
 * the work; the results are exactly what those modules return.
 */
import { defineProbe, type ProbeTarget } from '../../core/contract.js';
import type { ProbeAttempt } from '../../core/types.js';
import { DNS_FAMILY, type DnsFamilyContext } from './dns-family.js';
import { discoverAssets } from './discovery.probe.js';
import { probeDnsInfra } from './dns-infra.probe.js';
import { probeDnssec } from './dnssec.probe.js';
import { probeEmailAuth } from './email-auth.probe.js';

function completed<T>(result: T): ProbeAttempt<T> {
  return { status: 'completed', result };
}

export const discoveryProbe = defineProbe({
  id: 'discovery',
  family: DNS_FAMILY,
  description: 'assets: apex, NS and MX hosts, zone transfers, CT names, the wordlist, CNAME targets, permutations',
  inputs: [],
  run: async (target: ProbeTarget, ctx: DnsFamilyContext) =>
    completed(
      await discoverAssets(target.domain, ctx, {
        wordlist: ctx.wordlist,
        ctNames: ctx.ctNames,
        wordlistClient: ctx.scanClient,
        permutations: ctx.permutations,
      }),
    ),
});

export const emailAuthProbe = defineProbe({
  id: 'email-auth',
  family: DNS_FAMILY,
  description: 'SPF tree, DMARC, DKIM selectors and MX of the apex',
  inputs: [],
  run: async (target: ProbeTarget, ctx: DnsFamilyContext) => completed(await probeEmailAuth(target.domain, ctx)),
});

export const dnsInfraProbe = defineProbe({
  id: 'dns-infra',
  family: DNS_FAMILY,
  description: 'NS, SOA, CAA, wildcard, zone transfer, CHAOS version and recursion per name server, CNAME chains',
  inputs: [discoveryProbe],
  run: async (target: ProbeTarget, ctx: DnsFamilyContext, [discovery]) => {
    // Aliases, and the in-zone targets CNAME following found (their own chain was never asked for).
    const knownNames = discovery.assets
      .filter((a) => a.cnameChain.length > 0 || a.discoveredBy.includes('cname'))
      .map((a) => a.host);
    // A host that one look-up failed on but another resolved is known, alias or not; failures at the
    // apex stand for NS, MX, zone-transfer or wildcard look-ups, which may hide other names.
    const resolved = new Set(discovery.assets.map((a) => a.host));
    const discoveryFailures = discovery.failures.filter((f) => f.name === discovery.domain || !resolved.has(f.name));
    return completed(await probeDnsInfra(target.domain, ctx, { knownNames, discoveryFailures }));
  },
});

export const dnssecProbe = defineProbe({
  id: 'dnssec',
  family: DNS_FAMILY,
  description: 'DNSSEC chain of trust of the apex from the configured trust anchors',
  inputs: [],
  run: (target: ProbeTarget, ctx: DnsFamilyContext) => probeDnssec(target.domain, ctx, ctx.trustAnchors),
});
