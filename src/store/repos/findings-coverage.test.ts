/** ScanCoverage.types: a scan resolves only the finding types it assessed. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../database.js';
import type { Store } from '../database.js';
import type { FindingInput } from '../../core/finding.js';

let store: Store;
const home = mkdtempSync(join(tmpdir(), 'vitals-coverage-'));
before(async () => {
  store = await openStore({ home });
});
after(async () => {
  await store?.close();
  rmSync(home, { recursive: true, force: true });
});

test('coverage with types resolves only those types on a covered host; without types, every type', async () => {
  const { organization } = await store.organizations.upsert({
    name: 'Org',
    sector: 'clinic',
    domains: ['org.test'],
    telehealth: false,
  });
  const finding = (type: string, factor: FindingInput['factor']): FindingInput => ({
    type,
    organizationId: organization.id,
    factor,
    severity: 'high',
    asset: { host: 'org.test' },
    evidence: {},
    observedAt: '2025-01-01T00:00:00Z',
  });
  const first = await store.scans.create({ scope: {} });
  await store.findings.recordScanResults(
    first.id,
    [{ organizationId: organization.id, assetHosts: ['org.test'] }],
    [finding('dns.spf.missing', 'dns_health'), finding('darkweb.mention', 'hacker_chatter')],
  );

  const darkweb = await store.scans.create({ scope: { darkweb: true } });
  const limited = await store.findings.recordScanResults(
    darkweb.id,
    [{ organizationId: organization.id, assetHosts: ['org.test'], types: ['darkweb.mention'] }],
    [],
  );
  assert.equal(limited.resolved, 1);
  const status = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await store.findings.listFindings({ organizationId: organization.id })).map((f) => [f.type, f.status]),
    );
  assert.deepEqual(await status(), { 'darkweb.mention': 'resolved', 'dns.spf.missing': 'open' });

  const full = await store.scans.create({ scope: {} });
  const unlimited = await store.findings.recordScanResults(
    full.id,
    [{ organizationId: organization.id, assetHosts: ['org.test'] }],
    [],
  );
  assert.equal(unlimited.resolved, 1);
  assert.deepEqual(await status(), { 'darkweb.mention': 'resolved', 'dns.spf.missing': 'resolved' });
});
