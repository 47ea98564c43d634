/** The `vendors` column of the organizations import, on every dialect the run can reach. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from './database.js';
import { ImportError, importOrganizations, parseOrganizationsText } from './import-organizations.js';
import { testDialects } from './test-dialects.js';

const HEADER = 'name,domains,sector,telehealth,aliases,vendors\n';
const PORTFOLIO =
  HEADER +
  'Mercy Hospital,mercy.example,hospital,no,,Acme Telehealth;CloudEHR\n' + // line 2: vendors later in the file
  'Quick Clinic,quick.example,clinic,no,,acme telehealth\n' + // line 3: by name, any case
  'Acme Telehealth,acme-tele.example,vendor,yes,Acme,\n' + // line 4
  'CloudEHR Inc.,cloudehr.example,vendor,no,CloudEHR,\n'; // line 5: named by its alias above

async function vendorNames(store: Store, name: string): Promise<string[]> {
  const organization = await store.organizations.getByName(name);
  assert.ok(organization, name);
  const ids = await store.vendors.vendorsOf(organization.id);
  const names = await Promise.all(ids.map(async (id) => (await store.organizations.getById(id))?.name ?? id));
  return names.sort();
}

function rejection(error: unknown): string[] {
  assert.ok(error instanceof ImportError, String(error));
  return error.problems.map((p) => `${p.line ?? p.index}: ${p.message}`);
}

for (const dialect of testDialects('vendors')) {
  describe(`organization vendors on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test(
      'vendors are linked by name or alias, to rows later in the file too; a re-import changes ' + 'nothing',
      async () => {
        const parsed = parseOrganizationsText(PORTFOLIO, 'csv', 'portfolio.csv');
        assert.deepEqual(
          parsed.organizations.map((o) => o.vendors),
          [['Acme Telehealth', 'CloudEHR'], ['acme telehealth'], [], []],
        );
        assert.deepEqual(await importOrganizations(store, parsed), { created: 4, updated: 0, unchanged: 0 });
        assert.deepEqual(await vendorNames(store, 'Mercy Hospital'), ['Acme Telehealth', 'CloudEHR Inc.']);
        assert.deepEqual(await vendorNames(store, 'Quick Clinic'), ['Acme Telehealth']);
        const acme = await store.organizations.getByName('Acme Telehealth');
        assert.equal((await store.vendors.clientsOf(acme!.id)).length, 2);

        assert.deepEqual(await importOrganizations(store, parseOrganizationsText(PORTFOLIO, 'csv')), {
          created: 0,
          updated: 0,
          unchanged: 4,
        });
        // Only the vendors changed: the organization counts as updated; an empty cell clears them.
        const edited = PORTFOLIO.replace(
          'Quick Clinic,quick.example,clinic,no,,acme telehealth',
          'Quick Clinic,quick.example,clinic,no,,',
        );
        assert.deepEqual(await importOrganizations(store, parseOrganizationsText(edited, 'csv')), {
          created: 0,
          updated: 1,
          unchanged: 3,
        });
        assert.deepEqual(await vendorNames(store, 'Quick Clinic'), []);
        // A file without the column leaves stored links alone.
        const withoutColumn = 'name,domains,sector,telehealth\nMercy Hospital,mercy.example,hospital,no\n';
        assert.deepEqual(await importOrganizations(store, parseOrganizationsText(withoutColumn, 'csv')), {
          created: 0,
          updated: 0,
          unchanged: 1,
        });
        assert.deepEqual(await vendorNames(store, 'Mercy Hospital'), ['Acme Telehealth', 'CloudEHR Inc.']);
      },
    );

    test('an unknown vendor rejects the whole file, naming its line; nothing is written', async () => {
      const before = await store.organizations.list();
      const file =
        HEADER +
        'New Clinic,new-clinic.example,clinic,no,,Acme Telehealth;Nowhere Labs\n' +
        'Other Clinic,other-clinic.example,clinic,no,,Acme;Ghost IT\n';
      const parsed = parseOrganizationsText(file, 'csv', 'new.csv');
      await assert.rejects(importOrganizations(store, parsed), (error: unknown) => {
        assert.deepEqual(rejection(error), [
          '2: vendors: no organization named "Nowhere Labs" in the file or the portfolio (import the vendor ' +
            'as an organization, sector vendor)',
          '3: vendors: no organization named "Ghost IT" in the file or the portfolio (import the vendor as an ' +
            'organization, sector vendor)',
        ]);
        assert.match(String((error as Error).message), /^new\.csv: rejected, nothing imported \(2 problems\)/);
        return true;
      });
      assert.deepEqual(await store.organizations.list(), before);
    });

    test('an organization cannot be its own vendor, by name or by alias; JSON takes an array', async () => {
      assert.throws(
        () => parseOrganizationsText(`${HEADER}Loop Clinic,loop.example,clinic,no,,loop clinic\n`, 'csv'),
        (error: unknown) => {
          assert.deepEqual(rejection(error), ['2: vendors: "Loop Clinic" cannot be its own vendor']);
          return true;
        },
      );
      const json = JSON.stringify([
        {
          name: 'Alias Loop',
          domains: 'alias-loop.example',
          sector: 'clinic',
          telehealth: false,
          aliases: ['AL'],
          vendors: ['AL'],
        },
      ]);
      await assert.rejects(importOrganizations(store, parseOrganizationsText(json, 'json')), (error: unknown) => {
        assert.deepEqual(rejection(error), ['0: vendors: "AL" is Alias Loop itself']);
        return true;
      });
      const good = JSON.stringify({
        organizations: [
          {
            name: 'Json Clinic',
            domains: ['json-clinic.example'],
            sector: 'clinic',
            telehealth: 'no',
            vendors: ['Acme'],
          },
        ],
      });
      assert.deepEqual(await importOrganizations(store, parseOrganizationsText(good, 'json')), {
        created: 1,
        updated: 0,
        unchanged: 0,
      });
      assert.deepEqual(await vendorNames(store, 'Json Clinic'), ['Acme Telehealth']);
    });

    test('deleting a vendor removes its links', async () => {
      const cloud = await store.organizations.getByName('CloudEHR Inc.');
      assert.ok(cloud);
      assert.equal(await store.organizations.remove(cloud.id), true);
      assert.deepEqual(await vendorNames(store, 'Mercy Hospital'), ['Acme Telehealth']);
    });
  });
}
