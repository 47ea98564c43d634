/** Threat feeds and declared networks in the store, on every dialect the run can reach. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeedEntry } from '../../core/reputation.js';
import type { Store } from '../database.js';
import { ImportError, importOrganizations, parseOrganizationsFile } from '../import-organizations.js';
import { testDialects } from '../test-dialects.js';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-02-01T00:00:00.000Z';
const T2 = '2025-03-01T00:00:00.000Z';

function entry(network: string, firstListed: string, lastListed = firstListed): FeedEntry {
  return { network, category: 'botnet_c2', firstListed, lastListed };
}

for (const dialect of testDialects('reputation')) {
  describe(`reputation store (${dialect.name})`, () => {
    let store: Store;
    let folder: string;
    before(async () => {
      store = await dialect.open();
      folder = mkdtempSync(join(tmpdir(), 'vitals-reputation-'));
    });
    after(async () => {
      await store.close();
      await dialect.dispose();
      rmSync(folder, { recursive: true, force: true });
    });

    test('a re-import replaces the feed and keeps first-listed dates of networks still listed', async () => {
      const feed = { name: 'feodo', format: 'feodo-csv', category: 'botnet_c2' as const };
      const first = await store.reputation.replaceFeed(
        { ...feed, entries: [entry('192.0.2.1/32', T0), entry('192.0.2.2/32', T0)] },
        T0,
      );
      assert.deepEqual(first, { added: 2, removed: 0, kept: 0 });
      // The second file dates 192.0.2.1 later (a feed may only carry a recent "first seen"): the earlier stays.
      const second = await store.reputation.replaceFeed(
        { ...feed, entries: [entry('192.0.2.1/32', T1, T2), entry('198.51.100.0/24', T2)] },
        T2,
      );
      assert.deepEqual(second, { added: 1, removed: 1, kept: 1 });
      await store.reputation.replaceFeed(
        {
          name: 'tor',
          format: 'netset',
          category: 'tor_exit',
          entries: [{ ...entry('192.0.2.1/32', T1), category: 'tor_exit' }],
        },
        T2,
      );
      assert.deepEqual(await store.reputation.allEntries(), [
        { feed: 'feodo', network: '192.0.2.1/32', category: 'botnet_c2', firstListed: T0, lastListed: T2 },
        { feed: 'feodo', network: '198.51.100.0/24', category: 'botnet_c2', firstListed: T2, lastListed: T2 },
        { feed: 'tor', network: '192.0.2.1/32', category: 'tor_exit', firstListed: T1, lastListed: T1 },
      ]);
      assert.deepEqual(
        (await store.reputation.listFeeds()).map((f) => [f.name, f.entries, f.importedAt]),
        [
          ['feodo', 2, T2],
          ['tor', 1, T2],
        ],
      );
      assert.equal(await store.reputation.removeFeed('tor'), true);
      assert.equal(await store.reputation.removeFeed('tor'), false);
      assert.equal((await store.reputation.allEntries()).length, 2);
    });

    test('a feed of thousands of networks is written in batches, in one transaction', async () => {
      const entries = Array.from({ length: 5000 }, (_, i) => entry(`10.${i >> 8}.${i & 255}.0/24`, T0));
      await store.reputation.replaceFeed({ name: 'big', format: 'netset', category: 'botnet_c2', entries }, T0);
      assert.equal((await store.reputation.listFeeds()).find((f) => f.name === 'big')?.entries, 5000);
      assert.equal((await store.reputation.allEntries()).filter((e) => e.feed === 'big').length, 5000);
    });

    test('orgs import: the optional networks column declares CIDRs; absent, stored networks stay', async () => {
      const path = join(folder, 'orgs.csv');
      writeFileSync(
        path,
        'name,domains,sector,telehealth,networks\n' +
          'Net Clinic,net-clinic.example,clinic,no,192.0.2.0/24; 2001:DB8::/48;198.51.100.7\n' +
          'No Nets,no-nets.example,clinic,no,\n',
      );
      await importOrganizations(store, parseOrganizationsFile(path));
      const clinic = (await store.organizations.getByName('Net Clinic'))!;
      assert.deepEqual(await store.reputation.networksOf(clinic.id), [
        '192.0.2.0/24',
        '198.51.100.7/32',
        '2001:db8::/48',
      ]);
      // The old format, without the column, leaves them alone.
      writeFileSync(path, 'name,domains,sector,telehealth\nNet Clinic,net-clinic.example,clinic,no\n');
      const counts = await importOrganizations(store, parseOrganizationsFile(path));
      assert.deepEqual(counts, { created: 0, updated: 0, unchanged: 1 });
      assert.equal((await store.reputation.networksOf(clinic.id)).length, 3);
      writeFileSync(
        path,
        'name,domains,sector,telehealth,networks\nNet Clinic,net-clinic.example,clinic,no,192.0.2.0/24\n',
      );
      assert.deepEqual(await importOrganizations(store, parseOrganizationsFile(path)), {
        created: 0,
        updated: 1,
        unchanged: 0,
      });
      assert.deepEqual(await store.reputation.networksOf(clinic.id), ['192.0.2.0/24']);
      writeFileSync(
        path,
        'name,domains,sector,telehealth,networks\nBad,bad.example,clinic,no,192.0.2.0/24;10.0.0.300/8\n',
      );
      assert.throws(
        () => parseOrganizationsFile(path),
        (error: unknown) =>
          error instanceof ImportError &&
          /line 2: networks #2: "10\.0\.0\.300\/8" is not a CIDR network or IP address/.test(error.message),
      );
    });
  });
}

for (const dialect of testDialects('vulns')) {
  describe(`vulnerability records (${dialect.name})`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
    });
    after(async () => {
      await store.close();
      await dialect.dispose();
    });

    test('a KEV import and an NVD import of one CVE complete each other', async () => {
      const kev = { date_added: '2021-11-03', due_date: '2021-11-17', ransomware: 'Known' };
      const range = {
        vendor: 'apache',
        product: 'http_server',
        versionStartIncluding: '2.4.49',
        versionEndIncluding: '2.4.49',
      };
      assert.deepEqual(
        await store.vulns.importRecords(
          [{ cve: 'CVE-2021-41773', title: 'KEV name', cvss: null, kev, affected: [] }],
          'KEV 2025.08.25',
        ),
        { added: 1, updated: 0 },
      );
      assert.deepEqual(
        await store.vulns.importRecords(
          [
            {
              cve: 'CVE-2021-41773',
              title: 'NVD text',
              cvss: { version: '3.1', score: 7.5 },
              kev: null,
              affected: [range],
            },
          ],
          'NVD 2025-08-25',
        ),
        { added: 0, updated: 1 },
      );
      assert.deepEqual(await store.vulns.all(), {
        records: [
          { cve: 'CVE-2021-41773', title: 'NVD text', cvss: { version: '3.1', score: 7.5 }, kev, affected: [range] },
        ],
        sources: ['KEV 2025.08.25', 'NVD 2025-08-25'],
      });
    });
  });
}
