/**
 * The dns_health checks in the contract of core/contract.ts, in report order. Each wraps one judge of
 * the check modules beside this file, so findings are exactly what those modules produce; a new check
 * is its own `<name>.check.ts` exporting a `defineCheck` (docs/DESIGN.md, "Adding a check").
 */
import type { CheckOutcome } from '../../core/types.js';
import { emptyOutcome } from '../../core/types.js';
import { probeRef } from '../../core/contract.js';
import type { dnsInfraProbe, dnssecProbe, emailAuthProbe } from '../../probes/dns/dns-probes.js';
import { defineCheck, type CatalogueOutcome } from '../define-check.js';
import {
  judgeCaa,
  judgeDanglingCnames,
  judgeNameServerAddresses,
  judgeNameServerDiversity,
  judgeWildcard,
} from './dns-infra.check.js';
import { checkDnssec } from './dnssec.check.js';
import { checkDkim, checkDmarc, checkMx, checkSpf } from './email-auth.check.js';
import { judgeSpfIncludes } from './spf-include.check.js';

/** The probes these checks read, by id (a type-only import: checks never load probe code). */
const emailAuth = probeRef<typeof emailAuthProbe>('email-auth');
const dnsInfra = probeRef<typeof dnsInfraProbe>('dns-infra');
const dnssec = probeRef<typeof dnssecProbe>('dnssec');

/** Runs a judge written against a mutable catalogue outcome; the scanner holds it to the declared ids. */
function filled<F extends string, C extends string>(fill: (out: CatalogueOutcome) => void): CheckOutcome<F, C> {
  const out = emptyOutcome<F, C>();
  fill(out as CatalogueOutcome);
  return out;
}

export const spfCheck = defineCheck({
  id: 'dns.spf',
  factor: 'dns_health',
  description:
    'SPF record, syntax, final all, include and redirect targets, look-up, void look-up and MX limits (RFC 7208)',
  reads: [emailAuth],
  findings: [
    'dns.spf.missing',
    'dns.spf.multiple_records',
    'dns.spf.syntax_error',
    'dns.spf.permissive_all',
    'dns.spf.softfail_all',
    'dns.spf.too_many_lookups',
    'dns.spf.void_lookups',
    'dns.spf.include_broken',
    'dns.spf.too_many_mx',
  ],
  controls: ['dns.spf.hardfail'],
  judge: (_target, [obs]) =>
    filled((out) => {
      checkSpf(obs, { host: obs.domain }, out);
      const reach = judgeSpfIncludes(obs);
      out.findings.push(...reach.findings);
      out.notAssessed.push(...reach.notAssessed);
      // A broken include or an mx term over the limit is a permerror on the way: -all is never reached.
      if (reach.findings.length > 0) out.controls = out.controls.filter((c) => c.control !== 'dns.spf.hardfail');
    }),
});

export const dmarcCheck = defineCheck({
  id: 'dns.dmarc',
  factor: 'dns_health',
  description: 'DMARC record, policy, pct and reporting (RFC 7489)',
  reads: [emailAuth],
  findings: [
    'dns.dmarc.missing',
    'dns.dmarc.policy_none',
    'dns.dmarc.syntax_error',
    'dns.dmarc.partial_pct',
    'dns.dmarc.no_reporting',
  ],
  controls: ['dns.dmarc.reject'],
  judge: (_target, [obs]) => filled((out) => checkDmarc(obs, { host: obs.domain }, out)),
});

export const dkimCheck = defineCheck({
  id: 'dns.dkim',
  factor: 'dns_health',
  description: 'DKIM keys at common selectors and their strength (RFC 6376, RFC 8301)',
  reads: [emailAuth],
  findings: ['dns.dkim.not_found', 'dns.dkim.weak_key'],
  controls: ['dns.dkim.strong_key'],
  judge: (_target, [obs]) => filled((out) => checkDkim(obs, { host: obs.domain }, out)),
});

export const mxCheck = defineCheck({
  id: 'dns.mx',
  factor: 'dns_health',
  description: 'MX records of the apex (RFC 5321, null MX RFC 7505)',
  reads: [emailAuth],
  findings: ['dns.mx.missing'],
  controls: [],
  judge: (_target, [obs]) => filled((out) => checkMx(obs, { host: obs.domain }, out)),
});

export const caaCheck = defineCheck({
  id: 'dns.caa',
  factor: 'dns_health',
  description: 'CAA records at the apex (RFC 8659)',
  reads: [dnsInfra],
  findings: ['dns.caa.missing'],
  controls: ['dns.caa.present'],
  judge: (_target, [obs]) => filled((out) => judgeCaa(obs, out)),
});

export const wildcardCheck = defineCheck({
  id: 'dns.wildcard',
  factor: 'dns_health',
  description: 'a wildcard record under the apex (RFC 4592)',
  reads: [dnsInfra],
  findings: ['dns.wildcard'],
  controls: [],
  judge: (_target, [obs]) => filled((out) => judgeWildcard(obs, out)),
});

export const nameServerDiversityCheck = defineCheck({
  id: 'dns.ns',
  factor: 'dns_health',
  description: 'at least two name servers in different networks (RFC 1034, RFC 2182)',
  reads: [dnsInfra],
  findings: ['dns.ns.single'],
  controls: [],
  judge: (_target, [obs]) => filled((out) => judgeNameServerDiversity(obs, out)),
});

export const nameServerExposureCheck = defineCheck({
  id: 'dns.ns.exposure',
  factor: 'dns_health',
  description: 'zone transfer, open recursion and version disclosure on each name-server address',
  reads: [dnsInfra],
  findings: ['dns.axfr.open', 'dns.resolver.open', 'dns.version_disclosed'],
  controls: [],
  judge: (_target, [obs]) => filled((out) => judgeNameServerAddresses(obs, out)),
});

export const danglingCnameCheck = defineCheck({
  id: 'dns.cname',
  factor: 'dns_health',
  description: 'discovered aliases whose CNAME chain ends in a name that does not exist',
  reads: [dnsInfra],
  findings: ['dns.cname.dangling'],
  controls: [],
  judge: (_target, [obs]) => filled((out) => judgeDanglingCnames(obs, out)),
});

export const dnssecCheck = defineCheck({
  id: 'dns.dnssec',
  factor: 'dns_health',
  description: 'DNSSEC chain of trust: secure, unsigned or bogus (RFC 4035)',
  reads: [dnssec],
  findings: ['dns.dnssec.unsigned', 'dns.dnssec.invalid'],
  controls: ['dns.dnssec.valid'],
  judge: (target, [validation]) => checkDnssec(target.domain, { status: 'completed', result: validation }),
});
