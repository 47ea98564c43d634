/** The patching-cadence metric over hand-built findings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from './finding.js';
import { patchingCadence } from './patching-cadence.js';

function finding(type: string, firstSeen: string, resolvedAt: string | null): Finding {
  return {
    id: `${type}-${firstSeen}`,
    organizationId: 'o',
    organizationName: 'O',
    type,
    factor: 'patching_cadence',
    severity: 'high',
    asset: { host: 'ns1.o.example' },
    evidence: {},
    firstSeen,
    lastSeen: resolvedAt ?? firstSeen,
    status: resolvedAt === null ? 'open' : 'resolved',
    resolvedAt,
    reopenCount: 0,
    lastScanId: 's',
  };
}

test('median days from first seen to resolved, over vulnerable-version findings only', () => {
  const cadence = patchingCadence([
    finding('patch.cve.high', '2025-01-01T00:00:00.000Z', '2025-01-11T00:00:00.000Z'),
    finding('patch.kev', '2025-02-01T00:00:00.000Z', '2025-02-04T00:00:00.000Z'),
    finding('patch.cve.medium', '2025-03-01T00:00:00.000Z', '2025-04-30T00:00:00.000Z'),
    finding('patch.cve.critical', '2025-05-01T00:00:00.000Z', null),
    // End of life and other factors do not count.
    finding('patch.eol', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
    finding('dns.caa.missing', '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z'),
  ]);
  assert.deepEqual(cadence, { median_days_to_patch: 10, resolved: 3, open: 1 });
});

test('an even count takes the mean of the middle two; none resolved is null', () => {
  const two = patchingCadence([
    finding('patch.cve.high', '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z'),
    finding('patch.cve.high', '2025-01-01T00:00:00.000Z', '2025-01-05T00:00:00.000Z'),
  ]);
  assert.equal(two.median_days_to_patch, 2.5);
  assert.deepEqual(patchingCadence([finding('patch.kev', '2025-01-01T00:00:00.000Z', null)]), {
    median_days_to_patch: null,
    resolved: 0,
    open: 1,
  });
});

const ns = { host: 'ns1.o.example', ip: '192.0.2.53', port: 53 };
const ssh = { host: 'bastion.o.example', ip: '192.0.2.22', port: 22 };
const web = { host: 'www.o.example', ip: '192.0.2.80' };

test('versions seen by any probe count alike: a name server, an SSH port, a web site', () => {
  const at = (f: Finding, asset: Finding['asset'], source: string): Finding => ({ ...f, asset, evidence: { source } });
  const cadence = patchingCadence([
    at(finding('patch.cve.high', '2025-01-01T00:00:00.000Z', '2025-01-03T00:00:00.000Z'), ns, 'version.bind'),
    at(finding('patch.cve.critical', '2025-01-01T00:00:00.000Z', '2025-01-05T00:00:00.000Z'), ssh, 'ssh-banner'),
    at(finding('patch.kev', '2025-01-01T00:00:00.000Z', '2025-01-09T00:00:00.000Z'), web, 'javascript-library'),
    at(finding('patch.kev', '2025-02-01T00:00:00.000Z', null), web, 'http-server-header'),
  ]);
  assert.deepEqual(cadence, { median_days_to_patch: 4, resolved: 3, open: 1 });
});
