/** The TLS family's probe in the contract of core/contract.ts. */
import { defineProbe, type ProbeTarget } from '../../core/contract.js';
import { discoveryProbe } from '../dns/dns-probes.js';
import { TLS_FAMILY, type TlsFamilyContext } from './tls-family.js';
import { probeTls } from './tls.probe.js';

export const tlsEndpointsProbe = defineProbe({
  id: 'tls-endpoints',
  family: TLS_FAMILY,
  description: 'TLS on every discovered host (443 and 8443): versions, suites, preference, groups, certificate chain',
  inputs: [discoveryProbe],
  run: async (target: ProbeTarget, ctx: TlsFamilyContext, [discovery]) => ({
    status: 'completed' as const,
    result: await probeTls(target.domain, ctx, discovery),
  }),
});
