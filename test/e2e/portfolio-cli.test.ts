/** `vitals portfolio` as a user runs it: the text histogram, the JSON report, the filters, clear errors. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Grade } from '../../src/core/score-snapshots.js';
import { testSnapshot } from '../helpers/snapshots.js';
import { openStore } from '../../src/store/database.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';
import { assertSelfContained, chartCount, visibleText } from '../../src/report/page-checks.test-support.js';
import { findChromium } from '../../src/report/pdf.js';

let home: string;
const SCORES: [string, number, Grade][] = [
  ['Mercy Hospital', 81.5, 'B'],
  ['Acme Telehealth', 52.3, 'F'],
  ['CloudEHR', 93, 'A'],
  ['Hope Clinic', 77.7, 'C'],
];

before(async () => {
  home = tempHome('vitals-portfolio-');
  const file = join(home, 'orgs.csv');
  writeFileSync(
    file,
    'name,domains,sector,telehealth,aliases,vendors\n' +
      'Mercy Hospital,mercy.example,hospital,no,Mercy,Acme Telehealth;CloudEHR\n' +
      'Quick Clinic,quick.example,clinic,no,,\n' +
      'Acme Telehealth,acme-tele.example,vendor,yes,,\n' +
      'CloudEHR,cloudehr.example,vendor,no,,\n' +
      'Hope Clinic,hope.example,clinic,yes,,CloudEHR\n',
  );
  const imported = await runVitals(['orgs', 'import', file], home);
  assert.equal(imported.code, 0, imported.stderr);
  const store = await openStore({ home });
  try {
    for (const [name, score, grade] of SCORES) {
      const organization = await store.organizations.getByName(name);
      const { id: _generated, ...row } = testSnapshot({
        organizationId: organization!.id,
        score,
        grade,
        rated: { dns_health: [score, Math.round((100 - score) * 100) / 100] },
      });
      await store.scoreSnapshots.insertScoreSnapshot(row);
    }
  } finally {
    await store.close();
  }
});

after(() => removeTempHomes());

test('the table shows grade and score histograms, factor percentiles and the ranking', {
  timeout: 120_000,
}, async () => {
  const run = await runVitals(['portfolio'], home);
  assert.equal(run.code, 0, run.stderr);
  const out = run.stdout;
  assert.match(out, /^portfolio: 5 organizations, as of 20\d\d-\d\d-\d\d \d\d:\d\d UTC$/m);
  assert.match(out, /^rated 4, not rated 0, never scored 1; method 1\.0\.0$/m);
  // One organization per grade A, B, C, F: every non-empty bar is the full width.
  assert.match(out, /^ {2}A {2}█{40} {2}1$/m);
  assert.match(out, /^ {2}D {44}0$/m);
  assert.match(out, /^ {2}90-100 {2}█{40} {2}1$/m);
  assert.match(out, /^scores \(median 79\.6, p25 71\.4, p75 84\.4, mean 76\.1\)$/m);
  assert.match(out, /^dns_health +4 +/m);
  assert.match(out, /^weakest factors: dns_health \(23\.88 points lost on average\)$/m);
  assert.match(out, /^ +1 {2}CloudEHR +vendor +no +93\.0 {2}A +dns_health$/m);
  assert.match(out, /^ +- {2}Quick Clinic +clinic +no +not scored {2}-$/m);
});

test('JSON, and the filters: cohort, sector, vendors of an organization by name or alias', {
  timeout: 120_000,
}, async () => {
  const json = async (...args: string[]) => {
    const run = await runVitals(['portfolio', '--format', 'json', ...args], home);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as {
      organizations: number;
      grade_distribution: Record<string, number>;
      ranked: { organization: string; rank: number | null }[];
      factors: { factor: string; rated: number; p50: number | null }[];
      vendor_risk: { level: string; text: string } | null;
      filters: Record<string, string | null>;
    };
  };
  const all = await json();
  assert.equal(all.organizations, 5);
  assert.deepEqual(all.grade_distribution, { A: 1, B: 1, C: 1, D: 0, F: 1 });
  assert.equal(all.factors.find((f) => f.factor === 'dns_health')?.p50, 79.6);
  const names = (report: { ranked: { organization: string }[] }) => report.ranked.map((r) => r.organization);
  assert.deepEqual(names(await json('--cohort', 'telehealth')), ['Hope Clinic', 'Acme Telehealth']);
  assert.deepEqual(names(await json('--sector', 'clinic')), ['Hope Clinic', 'Quick Clinic']);
  const vendors = await json('--vendors-of', 'mercy');
  assert.deepEqual(names(vendors), ['CloudEHR', 'Acme Telehealth']);
  assert.equal(vendors.filters['vendors_of'], 'Mercy Hospital');
  assert.equal(
    vendors.vendor_risk?.text,
    'vendor risk high: 2 vendors; 1 graded F; weakest Acme Telehealth (52.3, F); mean 72.7',
  );
  const text = await runVitals(['portfolio', '--vendors-of', 'Hope Clinic'], home);
  assert.match(text.stdout, /^portfolio: 1 organization \(vendors of Hope Clinic\)/m);
  assert.match(text.stdout, /^vendor risk low: 1 vendor; weakest CloudEHR \(93\.0, A\); mean 93\.0$/m);
});

test('an unknown organization or cohort is a clear error', { timeout: 120_000 }, async () => {
  const unknown = await runVitals(['portfolio', '--vendors-of', 'Nowhere'], home);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no organization named "Nowhere"/);
  const cohort = await runVitals(['portfolio', '--cohort', 'rural'], home);
  assert.equal(cohort.code, 2);
  assert.match(cohort.stderr, /Allowed choices are telehealth, non_telehealth/);
});

test("the scorecard shows the organization's vendors with their grades and the vendor-risk summary", {
  timeout: 120_000,
}, async () => {
  const json = await runVitals(['scorecard', 'Mercy Hospital', '--format', 'json'], home);
  assert.equal(json.code, 0, json.stderr);
  const card = JSON.parse(json.stdout) as {
    vendors: { summary: { level: string }; list: { organization: string; grade: string | null }[] };
  };
  assert.equal(card.vendors.summary.level, 'high');
  assert.deepEqual(
    card.vendors.list.map((v) => [v.organization, v.grade]),
    [
      ['Acme Telehealth', 'F'],
      ['CloudEHR', 'A'],
    ],
  );
  const table = await runVitals(['scorecard', 'Mercy Hospital'], home);
  assert.match(
    table.stdout,
    /^vendors: vendor risk high: 2 vendors; 1 graded F; weakest Acme Telehealth \(52\.3, F\); mean 72\.7$/m,
  );
  assert.match(table.stdout, /^Acme Telehealth +yes +52\.3 +F$/m);
  // An organization without vendors gets no vendor section in the table.
  const quick = await runVitals(['scorecard', 'Quick Clinic'], home);
  assert.equal(quick.code, 0, quick.stderr);
  assert.doesNotMatch(quick.stdout, /vendor risk/);
});

test('--format html: one self-contained page with the charts and the ranking; --pdf prints it', {
  timeout: 300_000,
}, async () => {
  const run = await runVitals(['portfolio', '--format', 'html'], home);
  assert.equal(run.code, 0, run.stderr);
  const page = run.stdout;
  assertSelfContained(page);
  assert.equal(chartCount(page), 3, 'grades, score histogram, factor percentiles');
  const text = visibleText(page);
  assert.ok(text.includes('Portfolio: 5 organizations'));
  assert.ok(text.includes('1 CloudEHR vendor 93.0 A DNS health'), text);
  assert.ok(text.includes('Quick Clinic clinic never scored not rated'));

  const vendors = visibleText(
    (await runVitals(['portfolio', '--vendors-of', 'Mercy', '--format', 'html'], home)).stdout,
  );
  assert.ok(vendors.includes('the vendors of Mercy Hospital'), vendors);
  assert.match(vendors, /Vendor risk: \w+\./);

  // The scorecard page of an organization with vendors shows them and the vendor risk.
  const card = visibleText((await runVitals(['scorecard', 'Mercy Hospital', '--format', 'html'], home)).stdout);
  assert.ok(card.includes('Vendor risk: high.'), card);
  assert.ok(card.includes('Acme Telehealth telehealth 52.3 F'));

  const pdf = join(home, 'portfolio.pdf');
  const printed = await runVitals(['portfolio', '--pdf', pdf], home, 240_000);
  if (findChromium() === undefined) {
    assert.equal(printed.code, 1);
    assert.match(printed.stderr, /needs Chromium, and none is installed/);
  } else {
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  }
});
