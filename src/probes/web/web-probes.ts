/**
 * The web family's probes in the contract of core/contract.ts: one probe that fetches every discovered
 * host's HTTP and HTTPS endpoints (web.probe.ts).
 */
import { defineProbe, type ProbeTarget } from '../../core/contract.js';
import { discoveryProbe } from '../dns/dns-probes.js';
import { WEB_FAMILY, type WebFamilyContext } from './web-family.js';
import { probeWeb } from './web.probe.js';

export const webProbe = defineProbe({
  id: 'web',
  family: WEB_FAMILY,
  description: 'HTTP and HTTPS of every discovered host: headers, cookies, redirects, pages, sensitive paths, scripts',
  inputs: [discoveryProbe],
  run: async (target: ProbeTarget, ctx: WebFamilyContext, [discovery]) => ({
    status: 'completed' as const,
    result: await probeWeb(target.domain, discovery.assets, ctx),
  }),
});
