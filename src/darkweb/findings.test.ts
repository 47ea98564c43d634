import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store/database.js';
import type { Organization } from '../core/organization.js';
import { recordDarkwebFindings } from './findings.js';
import { ingestDocuments } from './ingest/ingest.js';
import { testDialects } from '../store/test-dialects.js';
import { TEST_CREDENTIAL_KEY } from './ingest/test-support.js';

const T0 = new Date('2025-06-01T00:00:00.000Z');
const T1 = new Date('2025-06-02T00:00:00.000Z');

for (const dialect of testDialects('darkweb')) {
  describe(`dark-web findings on ${dialect.name}`, () => {
    let store: Store;
    let northwind: Organization;
    let contoso: Organization;
    before(async () => {
      store = await dialect.open();
      await store.organizations.upsertMany([
        {
          name: 'Northwind Family Clinic',
          sector: 'clinic',
          domains: ['northwind-clinic.test', 'nfc-portal.test'],
          telehealth: false,
        },
        { name: 'Contoso General Hospital', sector: 'hospital', domains: ['contoso-general.test'], telehealth: true },
        { name: 'Domainless Lab', sector: 'laboratory', domains: [], telehealth: false },
      ]);
      northwind = (await store.organizations.getByName('Northwind Family Clinic'))!;
      contoso = (await store.organizations.getByName('Contoso General Hospital'))!;
      // A DNS scan's open finding on the same host the dark-web findings will use.
      const scan = await store.scans.create({ scope: { domains: ['northwind-clinic.test'] } });
      await store.findings.recordScanResults(
        scan.id,
        [{ organizationId: northwind.id, assetHosts: ['northwind-clinic.test'] }],
        [
          {
            type: 'dns.spf.missing',
            organizationId: northwind.id,
            factor: 'dns_health',
            severity: 'high',
            asset: { host: 'northwind-clinic.test' },
            evidence: {},
            observedAt: T0,
          },
        ],
      );
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test(
      'mentions and credential sightings become findings on the first domain; DNS findings are ' + 'untouched',
      async () => {
        await ingestDocuments(
          store,
          [
            {
              id: 'victim-1',
              source: 'lockbit',
              source_type: 'leak_site',
              title: 'Northwind Family Clinic',
              posted_at: '2025-05-10T00:00:00Z',
              text:
                'Northwind Family Clinic northwind-clinic.test. All data will be published in 3 days left. ' +
                '200 GB. Contact us to negotiate before the deadline.',
            },
            {
              id: 'chat-1',
              source: 'tg',
              source_type: 'chat',
              posted_at: '2025-05-12T00:00:00Z',
              text:
                'Did anyone else have to wait three hours at Contoso General Hospital last week? The ' +
                'parking was awful too.',
            },
            {
              id: 'combo-1',
              source: 'paste',
              source_type: 'paste',
              posted_at: '2025-05-15T00:00:00Z',
              text:
                'fresh ' +
                'combo\nalice@northwind-clinic.test:Winter2025!\nbob@mail.nfc-portal.test:hunter2hunter\nalice@n' +
                'orthwind-clinic.test:Spring2025!',
            },
          ],
          { credentialKey: TEST_CREDENTIAL_KEY },
        );
        const result = await recordDarkwebFindings(store, { now: T0 });
        assert.deepEqual(result.skipped, [
          { organization: 'Domainless Lab', reason: 'no domain to attach dark-web findings to' },
        ]);
        const open = await store.findings.listFindings({ status: 'open' });
        const summary = open.map((f) => [f.organizationName, f.type, f.severity, f.asset.host]).sort();
        assert.deepEqual(summary, [
          ['Contoso General Hospital', 'darkweb.mention', 'low', 'contoso-general.test'],
          ['Northwind Family Clinic', 'darkweb.credentials_leaked', 'high', 'northwind-clinic.test'],
          ['Northwind Family Clinic', 'darkweb.ransomware_listing', 'critical', 'northwind-clinic.test'],
          ['Northwind Family Clinic', 'dns.spf.missing', 'high', 'northwind-clinic.test'],
        ]);
        const leaked = open.find((f) => f.type === 'darkweb.credentials_leaked')!;
        assert.equal(
          leaked.evidence['email_addresses'],
          2,
          'distinct addresses, subdomains of an organization domain included',
        );
        assert.equal(leaked.evidence['sightings'], 3);
        assert.equal(leaked.evidence['last_seen'], '2025-05-15T00:00:00.000Z');
        assert.ok(!JSON.stringify(leaked.evidence).includes('Winter2025'), 'no password in evidence');
        const listing = open.find((f) => f.type === 'darkweb.ransomware_listing')!;
        assert.deepEqual(listing.evidence['doc_ids'], ['victim-1']);
        assert.equal(listing.factor, 'hacker_chatter');
      },
    );

    test(
      'a re-derivation keeps them open; when no longer supported they resolve, and the DNS finding stays ' + 'open',
      async () => {
        const again = await recordDarkwebFindings(store, { now: T1 });
        assert.equal(again.lifecycle.created, 0);
        assert.equal(again.lifecycle.seenAgain, 3);
        assert.equal(again.lifecycle.resolved, 0);

        // A confidence floor nothing reaches: every dark-web finding loses its support, except the
        // credential sightings (they come from credential pairs, not mentions).
        const raised = await recordDarkwebFindings(store, { now: T1, minConfidence: 1.01 });
        assert.equal(raised.lifecycle.resolved, 2);
        const byType = new Map(
          (await store.findings.listFindings({ organizationId: northwind.id })).map((f) => [f.type, f.status]),
        );
        assert.equal(byType.get('darkweb.ransomware_listing'), 'resolved');
        assert.equal(byType.get('darkweb.credentials_leaked'), 'open');
        assert.equal(byType.get('dns.spf.missing'), 'open', 'a dark-web scan never resolves a DNS finding');
        const contosoFindings = await store.findings.listFindings({ organizationId: contoso.id });
        assert.deepEqual(
          contosoFindings.map((f) => [f.type, f.status]),
          [['darkweb.mention', 'resolved']],
        );
        const scan = await store.scans.get(raised.scanId);
        assert.deepEqual(scan?.scope, { darkweb: true });
        assert.notEqual(scan?.finishedAt, null);
      },
    );
  });
}
