import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REGISTRY } from './registry.js';
import { planScan, ScanSelectionError } from './scan-plan.js';

const ids = (items: readonly { id: string }[]): string[] => items.map((i) => i.id);
const ALL_CHECKS = ids(REGISTRY.checks);
const DNS_CHECKS = ids(REGISTRY.checks.filter((c) => c.factor === 'dns_health'));
const DNS_PROBES = ['discovery', 'email-auth', 'dns-infra', 'dnssec'];

describe('scan plan (--only / --skip)', () => {
  test('without a selection every probe and check runs, in registry order', () => {
    const plan = planScan(REGISTRY);
    assert.deepEqual(ids(plan.probes), [
      ...DNS_PROBES,
      'tls-endpoints',
      'ports',
      'services',
      'ip-reputation',
      'web',
      'software',
    ]);
    assert.deepEqual(ids(plan.checks), ALL_CHECKS);
  });

  test('--only a factor runs its checks and the probes they read', () => {
    const plan = planScan(REGISTRY, { only: ['dns_health'] });
    assert.deepEqual(ids(plan.checks), DNS_CHECKS);
    assert.deepEqual(ids(plan.probes), DNS_PROBES);
    const tls = planScan(REGISTRY, { only: ['tls'] });
    assert.deepEqual(ids(tls.checks), ['tls.protocols', 'tls.ciphers', 'tls.certificate']);
    assert.deepEqual(ids(tls.probes), ['discovery', 'tls-endpoints']);
    const network = planScan(REGISTRY, { only: ['network_security'] });
    assert.deepEqual(
      ids(network.checks),
      ALL_CHECKS.filter((c) => c.startsWith('net.')),
    );
    assert.deepEqual(ids(network.probes), ['discovery', 'ports', 'services']);
  });

  test('--only a check runs it and only the probes it needs', () => {
    assert.deepEqual(ids(planScan(REGISTRY, { only: ['dns.spf'] }).probes), ['email-auth']);
    const caa = planScan(REGISTRY, { only: ['dns.caa'] });
    assert.deepEqual(ids(caa.checks), ['dns.caa']);
    // dns-infra needs discovery's names (dangling CNAMEs): discovery runs first.
    assert.deepEqual(ids(caa.probes), ['discovery', 'dns-infra']);
  });

  test('--only a probe runs it with the checks that read nothing else', () => {
    const plan = planScan(REGISTRY, { only: ['email-auth'] });
    assert.deepEqual(ids(plan.probes), ['email-auth']);
    assert.deepEqual(ids(plan.checks), ['dns.spf', 'dns.dmarc', 'dns.dkim', 'dns.mx']);
    const discovery = planScan(REGISTRY, { only: ['discovery'] });
    assert.deepEqual([ids(discovery.probes), ids(discovery.checks)], [['discovery'], []]);
  });

  test('--skip a check leaves its probe to the other checks that read it', () => {
    const plan = planScan(REGISTRY, { skip: ['dns.dkim', 'dns.dnssec'] });
    assert.deepEqual(
      ids(plan.checks),
      ALL_CHECKS.filter((c) => c !== 'dns.dkim' && c !== 'dns.dnssec'),
    );
    // No check reads the DNSSEC probe any more: it does not run.
    assert.deepEqual(ids(plan.probes), [
      'discovery',
      'email-auth',
      'dns-infra',
      'tls-endpoints',
      'ports',
      'services',
      'ip-reputation',
      'web',
      'software',
    ]);
  });

  test('--skip a probe removes the probes that need it and every check reading them', () => {
    const plan = planScan(REGISTRY, { skip: ['discovery'] });
    assert.deepEqual(ids(plan.probes), ['email-auth', 'dnssec']);
    assert.deepEqual(ids(plan.checks), ['dns.spf', 'dns.dmarc', 'dns.dkim', 'dns.mx', 'dns.dnssec']);
  });

  test('--only and --skip combine; a selection that leaves nothing is refused', () => {
    const plan = planScan(REGISTRY, { only: ['email-auth'], skip: ['dns.mx'] });
    assert.deepEqual(ids(plan.checks), ['dns.spf', 'dns.dmarc', 'dns.dkim']);
    assert.throws(() => planScan(REGISTRY, { only: ['dns.spf'], skip: ['email-auth'] }), ScanSelectionError);
    assert.throws(() => planScan(REGISTRY, { skip: ['dns_health', 'discovery'] }), /leave nothing to scan/);
  });

  test('a factor without checks yet is named as such', () => {
    assert.throws(
      () => planScan(REGISTRY, { only: ['hacker_chatter'] }),
      new RegExp(
        'no checks of factor "hacker_chatter" exist yet; valid factors: dns_health, tls, network_security, ' +
          'ip_reputation, patching_cadence, application_security',
      ),
    );
  });

  test('an unknown name is refused with the list of valid names', () => {
    assert.throws(
      () => planScan(REGISTRY, { only: ['dns.spff', 'hacker_chatter'] }),
      (error: Error) =>
        error instanceof ScanSelectionError &&
        error.message.includes('unknown names "dns.spff", "hacker_chatter"') &&
        error.message.includes('valid factors: dns_health, tls, network_security, ip_reputation') &&
        error.message.includes('probes: discovery, email-auth, dns-infra, dnssec, tls-endpoints, ports, services') &&
        error.message.includes('checks: dns.spf, dns.dmarc'),
    );
  });
});
