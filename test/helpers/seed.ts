/**
 * Test support: an organization with open findings written straight into the store (one scan, no
 * network), with factor and severity from the catalogue as a real scan would record them.
 */
import { getFindingType } from '../../src/catalogue/catalogue.js';
import type { Store } from '../../src/store/database.js';
import type { Finding } from '../../src/core/finding.js';

/** One finding to seed: a catalogue type on a host. */
export interface SeedFinding {
  type: string;
  host: string;
}

/** Upsert `name` (its domain is the first finding's host) and record one scan with `findings` open at `at`. */
export async function seedOrganization(
  store: Store,
  name: string,
  findings: readonly SeedFinding[],
  at: string,
): Promise<Finding[]> {
  const domain = findings[0]?.host ?? `${name.toLowerCase().replace(/\W+/g, '-')}.example`;
  const { organization } = await store.organizations.upsert({
    name,
    sector: 'clinic',
    domains: [domain],
    telehealth: false,
  });
  const scan = await store.scans.create({ scope: { test: 'disputes' }, startedAt: at });
  await store.findings.recordScanResults(
    scan.id,
    [{ organizationId: organization.id, assetHosts: [...new Set(findings.map((f) => f.host))] }],
    findings.map((f) => {
      const type = getFindingType(f.type);
      return {
        organizationId: organization.id,
        type: f.type,
        factor: type.factor,
        severity: type.severity,
        asset: { host: f.host },
        evidence: {},
        observedAt: at,
      };
    }),
    { resolvedAt: at },
  );
  await store.scans.finish(scan.id, { finishedAt: at, counts: {} });
  return store.findings.listFindings({ organizationId: organization.id });
}
