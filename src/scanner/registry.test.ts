import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type AnyCheck, probeRef, type Registry } from '../core/contract.js';
import { emptyOutcome } from '../core/types.js';
import { listFindingTypes } from '../catalogue/catalogue.js';
import type { emailAuthProbe } from '../probes/dns/dns-probes.js';
import { REGISTRY } from './registry.js';
import { registryProblems } from './registry-validation.js';

describe('scan registry', () => {
  test('the built-in registry is consistent with itself and the catalogue', () => {
    assert.deepEqual(registryProblems(REGISTRY, { complete: true }), []);
  });

  test('every catalogue finding of each scanned factor has exactly one check declaring it', () => {
    const declared = REGISTRY.checks.flatMap((c) => c.findings);
    const factors = [
      'dns_health',
      'tls',
      'network_security',
      'ip_reputation',
      'patching_cadence',
      'application_security',
    ] as const;
    const catalogue = factors.flatMap((factor) => listFindingTypes({ factor }).map((f) => f.id));
    assert.deepEqual([...declared].sort(), [...catalogue].sort());
  });

  test('a check that declares an id the catalogue lacks, or of another factor, is refused', () => {
    // Given: ids that are not dns_health catalogue ids (typed as any check: defineCheck would not compile)
    const bad: AnyCheck = {
      id: 'test.bad',
      factor: 'dns_health',
      description: 'declares ids it may not emit',
      reads: [probeRef<typeof emailAuthProbe>('email-auth')],
      findings: ['dns.no_such_finding', 'darkweb.mention'],
      controls: ['dns.no_such_control'],
      judge: () => emptyOutcome(),
    };
    const registry: Registry = { ...REGISTRY, checks: [bad] };
    // Then: each problem is named
    const problems = registryProblems(registry);
    assert.ok(
      problems.some((p) => p.includes('"dns.no_such_finding", not in the catalogue')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('"darkweb.mention" of factor hacker_chatter')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('control "dns.no_such_control"')),
      problems.join('\n'),
    );
  });

  test('a complete registry must emit every catalogue finding of the factors it scans', () => {
    const registry: Registry = { ...REGISTRY, checks: REGISTRY.checks.filter((c) => c.id !== 'dns.mx') };
    assert.deepEqual(registryProblems(registry), []);
    assert.deepEqual(registryProblems(registry, { complete: true }), [
      'catalogue finding "dns.mx.missing" (dns_health) is emitted by no check',
    ]);
  });

  test('names are unique across factors, probes and checks; probes and reads must be registered', () => {
    const clash: AnyCheck = { ...REGISTRY.checks[0]!, id: 'email-auth' };
    const orphan: AnyCheck = { ...REGISTRY.checks[0]!, id: 'test.orphan' };
    const registry: Registry = {
      families: [],
      probes: [REGISTRY.probes[0]!],
      checks: [clash, { ...orphan, findings: [] }],
    };
    const problems = registryProblems(registry);
    assert.ok(problems.includes('probe "discovery": no family "dns" is registered'), problems.join('\n'));
    assert.ok(problems.includes('check "test.orphan" reads probe "email-auth", which is not registered'));
    const named: Registry = { ...REGISTRY, checks: [...REGISTRY.checks, { ...clash, findings: [] }] };
    assert.ok(registryProblems(named).includes('check "email-auth" has the name of a probe'));
  });

  test('a finding type has one owner: two checks may not declare it', () => {
    const copy = { ...REGISTRY.checks.find((c) => c.id === 'dns.mx')!, id: 'dns.mx.again' };
    const problems = registryProblems({ ...REGISTRY, checks: [...REGISTRY.checks, copy] });
    assert.deepEqual(problems, ['finding "dns.mx.missing" is declared by checks "dns.mx" and "dns.mx.again"']);
  });
});
