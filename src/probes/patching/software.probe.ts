/**
 * Collects the software other probes saw and matches each version against the vulnerability data. Today
 * the DNS infrastructure probe's CHAOS version.bind answers (BIND versions of the organization's own name
 * servers); a probe that reads banners or headers (ports, web) adds its typed observations here: one more
 * input and one more collector below (`SoftwareObservation`, core/software.ts, is the shape they share).
 */
import { defineProbe, type ProbeTarget } from '../../core/contract.js';
import type { SoftwareObservation } from '../../core/software.js';
import { readSoftwareBanner } from '../../intel/vulns/banner.js';
import { matchSoftware } from '../../intel/vulns/vuln-data.js';
import { dnsInfraProbe } from '../dns/dns-probes.js';
import type { DnsInfraObservation } from '../dns/dns-infra.types.js';
import { PATCHING_FAMILY, type PatchingContext } from './patching-family.js';
import type { SoftwareReport } from './software.types.js';

/** Software named in name servers' version.bind answers. */
export function softwareFromDnsInfra(infra: DnsInfraObservation): SoftwareObservation[] {
  const out: SoftwareObservation[] = [];
  for (const server of infra.nameServerAddresses) {
    if (server.versionBind.status !== 'completed' || server.versionBind.result.rcode !== 'NOERROR') continue;
    const location = { host: server.names[0] ?? server.ip, ip: server.ip, port: server.port };
    for (const text of server.versionBind.result.texts.slice(0, 4)) {
      const observation = readSoftwareBanner(text.slice(0, 256), 'version.bind', location);
      if (observation) {
        out.push(observation);
        break;
      }
    }
  }
  return out;
}

export const softwareProbe = defineProbe({
  id: 'software',
  family: PATCHING_FAMILY,
  description: 'software versions other probes saw (BIND version.bind today), matched against the CVE and KEV data',
  inputs: [dnsInfraProbe],
  run: async (_target: ProbeTarget, ctx: PatchingContext, [infra]) => {
    const result: SoftwareReport = {
      dataDated: ctx.db.dated,
      software: softwareFromDnsInfra(infra).map((observation) => ({
        observation,
        matches: matchSoftware(observation, ctx.db),
      })),
    };
    return { status: 'completed' as const, result };
  },
});
