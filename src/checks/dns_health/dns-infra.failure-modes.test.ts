import { probeDnsInfra } from '../../probes/dns/dns-infra.probe.js';
import { checkDnsInfra } from './dns-infra.check.js';
import { failureModeTable } from './failure-modes.test-support.js';

failureModeTable({
  label: 'CAA, wildcard, name servers and dangling CNAMEs',
  run: async (ctx) => checkDnsInfra(await probeDnsInfra('clinic.example', ctx, { knownNames: ['www.clinic.example'] })),
  // NODATA for a random label proves the name exists (RFC 4592 section 2.2): a wildcard, not a failure.
  absence: { nodata: ['dns.caa.missing', 'dns.wildcard'], nxdomain: [] },
  notAssessed: [
    'dns.caa.missing',
    'dns.wildcard',
    'dns.ns.single',
    'dns.axfr.open',
    'dns.resolver.open',
    'dns.version_disclosed',
    'dns.cname.dangling',
  ],
});
