/** The portfolio over the store: latest snapshots per organization, filters, vendors; every dialect. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Grade } from '../core/score-snapshots.js';
import { testSnapshot } from '../../test/helpers/snapshots.js';
import type { Store } from '../store/database.js';
import { importOrganizations, parseOrganizationsText } from '../store/import-organizations.js';
import { testDialects } from '../store/test-dialects.js';
import { portfolioReport, vendorGrades } from './service.js';

const T1 = '2026-09-01T00:00:00.000Z';
const T2 = '2026-10-01T00:00:00.000Z';
const T3 = '2026-11-01T00:00:00.000Z';

const ORGS =
  'name,domains,sector,telehealth,aliases,vendors\n' +
  'Mercy Hospital,mercy.example,hospital,no,,Acme Telehealth;CloudEHR\n' +
  'Quick Clinic,quick.example,clinic,no,,\n' +
  'Acme Telehealth,acme-tele.example,vendor,yes,,\n' +
  'CloudEHR,cloudehr.example,vendor,no,,\n';

async function snap(store: Store, name: string, takenAt: string, score: number, grade: Grade, id?: string) {
  const organization = await store.organizations.getByName(name);
  assert.ok(organization, name);
  const { id: _generated, ...row } = testSnapshot({
    organizationId: organization.id,
    takenAt,
    score,
    grade,
    rated: { dns_health: [score, 100 - score] },
  });
  await store.scoreSnapshots.insertScoreSnapshot(id === undefined ? row : { ...row, id });
}

for (const dialect of testDialects('portfolio')) {
  describe(`portfolio on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
      await importOrganizations(store, parseOrganizationsText(ORGS, 'csv'));
      await snap(store, 'Mercy Hospital', T1, 70, 'C');
      await snap(store, 'Mercy Hospital', T2, 80, 'B');
      await snap(store, 'Acme Telehealth', T1, 52, 'F');
      // Two snapshots at one instant: the larger id is the latest, whatever the insertion order.
      await snap(store, 'CloudEHR', T2, 91, 'A', 'ffffffff-0000-4000-8000-000000000000');
      await snap(store, 'CloudEHR', T2, 64, 'D', '00000000-0000-4000-8000-000000000000');
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test('each organization is read at its latest snapshot as of the date', async () => {
      const now = await portfolioReport(store, { asOf: T3 });
      assert.deepEqual(
        now.ranked.map((r) => [r.rank, r.organization, r.score, r.scored_at]),
        [
          [1, 'CloudEHR', 91, T2],
          [2, 'Mercy Hospital', 80, T2],
          [3, 'Acme Telehealth', 52, T1],
          [null, 'Quick Clinic', null, null],
        ],
      );
      assert.deepEqual(now.grade_distribution, { A: 1, B: 1, C: 0, D: 0, F: 1 });
      assert.equal(now.not_scored, 1);
      const then = await portfolioReport(store, { asOf: T1 });
      assert.deepEqual(
        then.ranked.map((r) => [r.organization, r.score]),
        [
          ['Mercy Hospital', 70],
          ['Acme Telehealth', 52],
          ['CloudEHR', null],
          ['Quick Clinic', null],
        ],
      );
    });

    test('sector, cohort and vendors-of select organizations; vendors-of adds the vendor-risk summary', async () => {
      const names = (report: Awaited<ReturnType<typeof portfolioReport>>) =>
        report.ranked.map((r) => r.organization).sort();
      const vendors = await portfolioReport(store, { asOf: T3, sector: 'vendor' });
      assert.deepEqual(names(vendors), ['Acme Telehealth', 'CloudEHR']);
      assert.equal(vendors.vendor_risk, null);
      assert.deepEqual(names(await portfolioReport(store, { asOf: T3, cohort: 'telehealth' })), ['Acme Telehealth']);
      assert.deepEqual(names(await portfolioReport(store, { asOf: T3, cohort: 'non_telehealth', sector: 'vendor' })), [
        'CloudEHR',
      ]);

      const mercy = await store.organizations.getByName('Mercy Hospital');
      const ofMercy = await portfolioReport(store, { asOf: T3, vendorsOf: mercy!.id });
      assert.deepEqual(names(ofMercy), ['Acme Telehealth', 'CloudEHR']);
      assert.deepEqual(ofMercy.filters, { sector: null, cohort: null, vendors_of: 'Mercy Hospital' });
      assert.equal(ofMercy.vendor_risk?.level, 'high');
      assert.equal(ofMercy.vendor_risk?.weakest?.organization, 'Acme Telehealth');
      const quick = await store.organizations.getByName('Quick Clinic');
      const ofQuick = await portfolioReport(store, { asOf: T3, vendorsOf: quick!.id });
      assert.equal(ofQuick.organizations, 0);
      assert.equal(ofQuick.vendor_risk?.level, 'none');
    });

    test('vendor grades as of a date, worst first', async () => {
      const mercy = await store.organizations.getByName('Mercy Hospital');
      const now = await vendorGrades(store, mercy!.id, T3);
      assert.deepEqual(
        now.vendors.map((v) => [v.organization, v.grade]),
        [
          ['Acme Telehealth', 'F'],
          ['CloudEHR', 'A'],
        ],
      );
      const before = await vendorGrades(store, mercy!.id, T1);
      assert.deepEqual(
        before.vendors.map((v) => [v.organization, v.grade]),
        [
          ['Acme Telehealth', 'F'],
          ['CloudEHR', null],
        ],
      );
      assert.equal(
        before.summary.text,
        'vendor risk high: 2 vendors; 1 graded F; weakest Acme Telehealth (52.0, F); mean 52.0; 1 not rated',
      );
    });
  });
}
