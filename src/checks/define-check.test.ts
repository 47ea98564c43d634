/**
 * Compile-time guarantees of defineCheck: each `@ts-expect-error` below fails the build (`npm test` runs
 * tsc) the day the mistake it marks compiles again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyOutcome } from '../core/types.js';
import { probeRef } from '../core/contract.js';
import type { dnsInfraProbe, emailAuthProbe } from '../probes/dns/dns-probes.js';
import { defineCheck } from './define-check.js';

test('a check only declares catalogue ids and only emits the ids it declares', () => {
  const check = defineCheck({
    id: 'test.caa',
    factor: 'dns_health',
    description: 'compile-time test',
    reads: [probeRef<typeof dnsInfraProbe>('dns-infra')],
    findings: ['dns.caa.missing'],
    controls: ['dns.caa.present'],
    judge: (target, [obs]) => {
      const out = emptyOutcome<'dns.caa.missing', 'dns.caa.present'>();
      // The probe's result is typed: a DNS infrastructure observation, not `any`.
      // @ts-expect-error: the observation has no `spf` field
      void obs.spf;
      // @ts-expect-error: dns.wildcard exists in the catalogue but this check does not declare it
      out.findings.push({ type: 'dns.wildcard', asset: { host: target.domain }, evidence: {} });
      return out;
    },
  });
  defineCheck({
    id: 'test.unknown',
    factor: 'dns_health',
    description: 'compile-time test',
    reads: [],
    // @ts-expect-error: not a finding id of the catalogue
    findings: ['dns.caa.missin'],
    // @ts-expect-error: not a control id of the catalogue
    controls: ['dns.caa.presnt'],
    judge: () => emptyOutcome<never, never>(),
  });
  assert.deepEqual(check.findings, ['dns.caa.missing']);
});

test('a check names the probes it reads by a typed reference, never by the probe object', () => {
  const ref = probeRef<typeof emailAuthProbe>('email-auth');
  // @ts-expect-error: not the id of that probe
  probeRef<typeof emailAuthProbe>('email-auht');
  // @ts-expect-error: the probe's type is required (without it the results would be untyped)
  probeRef('email-auth');
  defineCheck({
    id: 'test.object',
    factor: 'dns_health',
    description: 'compile-time test',
    // @ts-expect-error: a probe object is no reference (reading it would load the probe's network code)
    reads: [{} as typeof emailAuthProbe],
    findings: [],
    controls: [],
    judge: () => emptyOutcome<never, never>(),
  });
  assert.deepEqual(ref, { probe: 'email-auth' });
});
