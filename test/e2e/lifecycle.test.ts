/**
 * Finding lifecycle over re-scans: the lab changes an organization's records between scans, and the
 * store keeps first-seen dates, resolves what was fixed, and reopens what came back.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/database.js';
import { runScanSession, type PortfolioTarget } from '../../src/scanner/scan-session.js';
import { startTestLab, labScanSettings } from '../helpers/lab.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';

let lab: RunningLab & { home: string };
let store: Store;
let target: PortfolioTarget;

before(async () => {
  lab = await startTestLab(25);
  store = await openStore({ home: lab.home });
  // An organization with an SPF weakness and a DMARC weakness: we fix one, keep the other.
  const org = lab.world.truth.organizations.find((o) => {
    const types = lab.world.truth.weaknesses.filter((w) => w.organization === o.name).map((w) => w.type);
    return types.some((t) => t.startsWith('dns.spf.')) && types.some((t) => t.startsWith('dns.dmarc.'));
  });
  assert.ok(org, 'the lab has an organization with both an SPF and a DMARC weakness');
  const { organization } = await store.organizations.upsert({
    name: org.name,
    sector: org.sector,
    domains: [org.domain],
    telehealth: org.telehealth,
  });
  target = { domain: org.domain, organization: org.name, organizationId: organization.id };
});

after(async () => {
  await store?.close();
  await lab?.stop();
});

function weaknessTypes(): string[] {
  return lab.world.truth.weaknesses.filter((w) => w.organization === target.organization).map((w) => w.type);
}

async function scanOnce() {
  const settings = labScanSettings(lab, { wordlist: null });
  try {
    return await runScanSession(store, [target], settings, { test: 'lifecycle' });
  } finally {
    await settings.client.close();
  }
}

test(
  'a fixed weakness is resolved with a date, a kept one keeps its first-seen date, and a returning one ' + 'reopens',
  async () => {
    const original = weaknessTypes();
    const spf = original.find((t) => t.startsWith('dns.spf.'))!;
    const dmarc = original.find((t) => t.startsWith('dns.dmarc.'))!;

    const first = await scanOnce();
    const firstSpf = first.findings.find((f) => f.type === spf);
    const firstDmarc = first.findings.find((f) => f.type === dmarc);
    assert.ok(firstSpf && firstDmarc, `first scan reports ${spf} and ${dmarc}`);

    // The organization fixes its SPF record.
    for (const zone of lab.world.setWeaknesses(
      target.domain,
      original.filter((t) => t !== spf),
    ))
      lab.server.replaceZone(zone);
    const second = await scanOnce();
    assert.equal(
      second.findings.some((f) => f.type === spf),
      false,
      'the fixed SPF weakness is no longer reported',
    );
    const all = await store.findings.listFindings({ organizationId: target.organizationId });
    const resolvedSpf = all.find((f) => f.type === spf)!;
    assert.equal(resolvedSpf.status, 'resolved');
    assert.ok(
      resolvedSpf.resolvedAt && resolvedSpf.resolvedAt >= firstSpf.lastSeen,
      'resolved with a date after it was last seen',
    );
    const keptDmarc = all.find((f) => f.type === dmarc)!;
    assert.equal(keptDmarc.status, 'open');
    assert.equal(keptDmarc.firstSeen, firstDmarc.firstSeen, 'a finding seen again keeps its first-seen date');
    assert.ok(keptDmarc.lastSeen > firstDmarc.lastSeen, 'and its last-seen date moves on');

    // The weakness comes back.
    for (const zone of lab.world.setWeaknesses(target.domain, original)) lab.server.replaceZone(zone);
    const third = await scanOnce();
    const reopened = third.findings.find((f) => f.type === spf);
    assert.ok(reopened, 'the returning weakness is reported again');
    assert.equal(reopened.status, 'open');
    assert.equal(reopened.firstSeen, firstSpf.firstSeen, 'a reopened finding keeps its first-seen date');
    assert.equal(reopened.resolvedAt, null);
    assert.equal(reopened.reopenCount, 1);
  },
);

test('a DNS scan never resolves dark-web findings on the same host', async () => {
  // Given an open dark-web finding on the organization's apex
  const darkwebScan = await store.scans.create({ scope: { darkweb: true } });
  await store.findings.recordScanResults(
    darkwebScan.id,
    [{ organizationId: target.organizationId, assetHosts: [target.domain], types: ['darkweb.ransomware_listing'] }],
    [
      {
        type: 'darkweb.ransomware_listing',
        organizationId: target.organizationId,
        factor: 'hacker_chatter',
        severity: 'critical',
        asset: { host: target.domain },
        evidence: { documents: ['leak-1'] },
        observedAt: new Date(),
      },
    ],
  );
  // When the DNS scan runs again over that host
  await scanOnce();
  // Then the dark-web finding is still open
  const listing = (
    await store.findings.listFindings({ organizationId: target.organizationId, type: 'darkweb.ransomware_listing' })
  )[0];
  assert.equal(listing?.status, 'open');
});

test('a scan whose software probe cannot observe keeps open patch findings on every host, apex or not', async () => {
  // An organization with patch findings on hosts other than its apex (service banners, web sites).
  const org = lab.world.truth.organizations.find((o) =>
    lab.world.truth.weaknesses.some(
      (w) => w.organization === o.name && w.type.startsWith('patch.') && w.host !== o.domain,
    ),
  );
  assert.ok(org, 'the lab has patch findings off an apex');
  const { organization } = await store.organizations.upsert({
    name: org.name,
    sector: org.sector,
    domains: [org.domain],
    telehealth: org.telehealth,
  });
  const patched: PortfolioTarget = { domain: org.domain, organization: org.name, organizationId: organization.id };
  const scan = async (overrides: Parameters<typeof labScanSettings>[1] = {}) => {
    const settings = labScanSettings(lab, overrides);
    try {
      return await runScanSession(store, [patched], settings, { test: 'lifecycle' });
    } finally {
      await settings.client.close();
    }
  };
  const first = await scan();
  const open = first.findings.filter((f) => f.type.startsWith('patch.') && f.asset.host !== org.domain);
  assert.ok(open.length > 0, 'the first scan reports patch findings off the apex');
  // The port scan refuses the target (more addresses than it may scan): the software probe cannot observe.
  await scan({ portScan: { maxAddresses: 0 } });
  const after = await store.findings.listFindings({ organizationId: organization.id });
  for (const finding of open) {
    const now = after.find((f) => f.id === finding.id);
    assert.equal(now?.status, 'open', `${finding.type} on ${finding.asset.host} stays open`);
  }
});
