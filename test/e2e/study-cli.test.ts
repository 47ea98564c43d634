/**
 * `vitals study` end to end over a store: score snapshots as scans write them (the last one per
 * organization and month counts), read back by the CLI as a table, JSON and CSV; bad months refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACTORS } from '../../src/core/types.js';
import type { ScoreSnapshotInput } from '../../src/core/score-snapshots.js';
import { openStore } from '../../src/store/database.js';
import { parseCsv } from '../../src/store/csv.js';
import type { StudyReport } from '../../src/study/figures.js';
import { assertSelfContained, chartCount } from '../../src/report/page-checks.test-support.js';
import { findChromium } from '../../src/report/pdf.js';
import { runVitals } from '../helpers/cli.js';

const home = mkdtempSync(join(tmpdir(), 'vitals-study-'));
after(() => rmSync(home, { recursive: true, force: true }));

/*
 *   org  cohort      domains  September (last snapshot)     April
 *   A    telehealth  1        dns 2 (an earlier one said 9)  dns 4
 *   B    rest        2        dns 4                          dns 2
 *   C    rest        1        dns 3                          - (first month only: left out)
 */
before(async () => {
  const store = await openStore({ home });
  try {
    const org = async (name: string, telehealth: boolean, domains: string[]) =>
      (await store.organizations.upsert({ name, sector: 'clinic', domains, telehealth })).organization.id;
    const a = await org('Alpha Telehealth', true, ['alpha.test']);
    const b = await org('Beta Clinic', false, ['beta.test', 'beta-care.test']);
    const c = await org('Gamma Lab', false, ['gamma.test']);
    const snapshot = (
      organizationId: string,
      takenAt: string,
      dns: number,
      domainCount: number,
    ): ScoreSnapshotInput => ({
      organizationId,
      scanId: null,
      takenAt,
      reason: 'history',
      methodVersion: 'test',
      score: 90,
      grade: 'A',
      factors: FACTORS.map((factor) =>
        factor === 'dns_health'
          ? { factor, score: 90, grade: 'A', findings: dns, points_lost: 10 }
          : { factor, score: null, grade: null, findings: 0, points_lost: 0 },
      ),
      findingCounts: { 'dns.spf.missing': dns },
      domainCount,
      assetCount: 3,
    });
    for (const row of [
      snapshot(a, '2019-09-03T12:00:00.000Z', 9, 1),
      snapshot(a, '2019-09-28T12:00:00.000Z', 2, 1),
      snapshot(a, '2020-04-10T12:00:00.000Z', 4, 1),
      snapshot(b, '2019-09-15T12:00:00.000Z', 4, 2),
      snapshot(b, '2020-04-15T12:00:00.000Z', 2, 2),
      snapshot(c, '2019-09-15T12:00:00.000Z', 3, 1),
      snapshot(c, '2020-05-01T00:00:00.000Z', 7, 1), // after the study
    ])
      await store.scoreSnapshots.insertScoreSnapshot(row);
  } finally {
    await store.close();
  }
});

const study = (...args: string[]) => runVitals(['study', '--from', '2019-09', '--to', '2020-04', ...args], home);

test(
  'JSON: paired change per cohort, the last snapshot of a month, one-month organizations in the ' + 'caveats',
  async () => {
    const run = await study('--format', 'json');
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as StudyReport;
    const row = (cohort: string) => report.factors.find((f) => f.factor === 'dns_health' && f.cohort === cohort);
    // Telehealth A, per domain: 2 -> 4 (the 3 September snapshot saying 9 is superseded): +100%, one organization.
    assert.deepEqual(
      [row('telehealth')?.first, row('telehealth')?.last, row('telehealth')?.change_pct, row('telehealth')?.direction],
      [2, 4, 100, 'declined'],
    );
    // The rest, B only (C has no April): 4/2 = 2 -> 2/2 = 1, -50%.
    assert.deepEqual(
      [row('non_telehealth')?.first, row('non_telehealth')?.last, row('non_telehealth')?.change_pct],
      [2, 1, -50],
    );
    // All: (2 + 2) / 2 = 2 -> (4 + 1) / 2 = 2.5, +25%; per organization (2 + 4) / 2 = 3 -> (4 + 2) / 2 = 3, 0%.
    assert.equal(row('all')?.change_pct, 25);
    assert.equal(row('all')?.per_organization.change_pct, 0);
    assert.deepEqual(report.caveats.first_only, 1);
    // Factors without a score are not rated: no organization is paired on them.
    assert.equal(
      report.factors.find((f) => f.factor === 'tls'),
      undefined,
    );
    assert.deepEqual(
      report.periods.map((p) => p.organizations.all),
      [3, 2],
    );
    assert.ok(Array.isArray(report.lifecycle?.periods) && Array.isArray(report.darkweb?.mentions));
  },
);

test('table and CSV tell the same numbers; --cohort keeps one cohort', async () => {
  const table = await study();
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /dns_health\s+telehealth\s+1\s+2\.000\s+4\.000\s+\+100\.0%/);
  assert.match(table.stdout, /1 of 3 organizations with data lack data in 2019-09 or 2020-04/);

  const csv = await study('--format', 'csv', '--cohort', 'telehealth');
  assert.equal(csv.code, 0, csv.stderr);
  const rows = parseCsv(csv.stdout)
    .slice(1)
    .map((r) => r.fields);
  assert.ok(
    rows.some(
      (r) => r.join(',') === 'factor_change,telehealth,dns_health,,,,2019-09..2020-04,per_domain_change_pct,100',
    ),
  );
  assert.ok(
    rows.every((r) => r[1] === 'telehealth' || r[1] === ''),
    'only the telehealth cohort',
  );
});

test('HTML: one self-contained report with the headline figures; --pdf prints it', async () => {
  const html = await study('--format', 'html');
  assert.equal(html.code, 0, html.stderr);
  assertSelfContained(html.stdout);
  // The headline row of DNS health (all organizations): 2 paired, 2.000 -> 2.500 per domain, +25%.
  assert.match(html.stdout, /<td>DNS health<\/td><td class="num">2<\/td><td class="num">2\.000<\/td>/);
  assert.match(html.stdout, /<td class="num">2\.500<\/td><td class="num">\+25\.0%<\/td>/);
  assert.match(html.stdout, /1 with data in\s+2019-09 only/);
  assert.ok(chartCount(html.stdout) >= 3, 'forest plot, a chart per factor, the cohort comparison');

  const pdf = join(home, 'study.pdf');
  const printed = await runVitals(['study', '--from', '2019-09', '--to', '2020-04', '--pdf', pdf], home, 240_000);
  if (findChromium() === undefined) {
    assert.equal(printed.code, 1);
    assert.match(printed.stderr, /needs Chromium, and none is installed/);
  } else {
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, '');
    assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  }
});

test('bad months and options are refused with exit status 2 before anything is opened', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'vitals-study-bad-'));
  try {
    for (const [args, message] of [
      [['--from', '2019-13', '--to', '2020-04'], /--from "2019-13" is not a month/],
      [['--from', '2020-04', '--to', '2019-09'], /must be a later month/],
      [['--from', '2019-09', '--to', '2020-04', '--resamples', '5'], /--resamples must be between 100/],
      [['--from', '2019-09', '--to', '2020-04', '--cohort', 'vendors'], /invalid/],
    ] as const) {
      const run = await runVitals(['study', ...args], join(fresh, 'home'));
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
