/**
 * The scan's clock: `vitals lab history` scans at simulated dates, so everything a scan records (the scan
 * row, the findings' first and last sightings, resolutions and their events) must follow the clock it is
 * given, while DNSSEC is still validated at the real time (the lab signs its zones for now).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/database.js';
import { runScanSession, type PortfolioTarget } from '../../src/scanner/scan-session.js';
import type { FindingEvent } from '../../src/store/repos/findings.repo.js';
import { startTestLab, labScanSettings } from '../helpers/lab.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';

let lab: RunningLab & { home: string };
let store: Store;
let target: PortfolioTarget;

before(async () => {
  lab = await startTestLab(25, 3);
  store = await openStore({ home: lab.home });
  const org = lab.world.truth.organizations.find((o) =>
    lab.world.truth.weaknesses.some((w) => w.organization === o.name && w.type.startsWith('dns.spf.')),
  );
  assert.ok(org, 'the lab has an organization with an SPF weakness');
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

async function scanAt(iso: string) {
  const settings = labScanSettings(lab, { wordlist: null, clock: () => new Date(iso) });
  try {
    return await runScanSession(store, [target], settings, { test: 'clock' });
  } finally {
    await settings.client.close();
  }
}

test('a scan records its times, its findings and their resolution on the clock it is given', async () => {
  const original = lab.world.truth.weaknesses.filter((w) => w.organization === target.organization).map((w) => w.type);
  const spf = original.find((t) => t.startsWith('dns.spf.'))!;

  const september = await scanAt('2019-09-15T12:00:00.000Z');
  assert.equal(september.startedAt, '2019-09-15T12:00:00.000Z');
  assert.equal(september.finishedAt, '2019-09-15T12:00:00.000Z');
  const found = september.findings.find((f) => f.type === spf);
  assert.ok(found, `the September scan reports ${spf}`);
  assert.equal(found.firstSeen, '2019-09-15T12:00:00.000Z');
  assert.equal(
    september.findings.some((f) => f.type === 'dns.dnssec.invalid') && !original.includes('dns.dnssec.invalid'),
    false,
    'signatures made for today are still valid: DNSSEC is judged at the real time',
  );

  for (const zone of lab.world.setWeaknesses(
    target.domain,
    original.filter((t) => t !== spf),
  ))
    lab.server.replaceZone(zone);
  await scanAt('2019-10-15T12:00:00.000Z');
  const [resolved] = await store.findings.listFindings({ organizationId: target.organizationId, type: spf });
  assert.equal(resolved?.status, 'resolved');
  assert.equal(resolved?.resolvedAt, '2019-10-15T12:00:00.000Z');

  const events: FindingEvent[] = [];
  for await (const e of store.findings.streamEvents()) if (e.findingId === resolved!.id) events.push(e);
  assert.deepEqual(
    events.map((e) => [e.event, e.at]),
    [
      ['opened', '2019-09-15T12:00:00.000Z'],
      ['resolved', '2019-10-15T12:00:00.000Z'],
    ],
  );
});
