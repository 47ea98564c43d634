/**
 * The study's arithmetic on a small portfolio worked by hand: every expected number below is computed
 * in the comments from the table, not by the code under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StudyAccumulator, lastPerPeriod } from './study.js';
import { studyPeriods } from './periods.js';
import type { Cohort, OrganizationPeriodFigures, StudyReport } from './figures.js';

/*
 * The portfolio (September 2019 -> April 2020), open findings:
 *
 *   org  cohort      domains  Sep dns_health (types)             Apr dns_health (types)           hacker_chatter
 *   A    telehealth  2        4 (spf.missing 1, caa.missing 3)   6 (spf.missing 2, caa.missing 4)  rated: Sep 0, Apr 1
 *   B    telehealth  1        2 (caa.missing 2)                  3 (caa.missing 3)                 not rated
 *   C    rest        1        3 (spf.missing 3)                  1 (spf.missing 1)                 not rated
 *   D    rest        4        8 (caa.missing 8)                  4 (caa.missing 4)                 not rated
 *   E    rest        1        5 (spf.missing 5)                  - no April snapshot -             not rated
 *   F    telehealth  1        - no September snapshot -          2 (caa.missing 2)                 not rated
 *
 * E (first period only) and F (last period only) are left out of every change.
 */
const SPF = 'dns.spf.missing';
const CAA = 'dns.caa.missing';

function figures(
  organizationId: string,
  telehealth: boolean,
  period: string,
  domainCount: number,
  factors: Record<string, number>,
  findingTypes: Record<string, number>,
): OrganizationPeriodFigures {
  return { organizationId, telehealth, period, domainCount, factors, findingTypes };
}

const PORTFOLIO: OrganizationPeriodFigures[] = [
  figures('A', true, '2019-09', 2, { dns_health: 4, hacker_chatter: 0 }, { [SPF]: 1, [CAA]: 3 }),
  figures('A', true, '2020-04', 2, { dns_health: 6, hacker_chatter: 1 }, { [SPF]: 2, [CAA]: 4, 'darkweb.x': 1 }),
  figures('B', true, '2019-09', 1, { dns_health: 2 }, { [CAA]: 2 }),
  figures('B', true, '2020-04', 1, { dns_health: 3 }, { [CAA]: 3 }),
  figures('C', false, '2019-09', 1, { dns_health: 3 }, { [SPF]: 3 }),
  figures('C', false, '2020-04', 1, { dns_health: 1 }, { [SPF]: 1 }),
  figures('D', false, '2019-09', 4, { dns_health: 8 }, { [CAA]: 8 }),
  figures('D', false, '2020-04', 4, { dns_health: 4 }, { [CAA]: 4 }),
  figures('E', false, '2019-09', 1, { dns_health: 5 }, { [SPF]: 5 }),
  figures('F', true, '2020-04', 1, { dns_health: 2 }, { [CAA]: 2 }),
];

function study(by: 'span' | 'month' = 'span', cohort?: Cohort): StudyReport {
  const accumulator = new StudyAccumulator(studyPeriods('2019-09', '2020-04', by));
  for (const row of PORTFOLIO) accumulator.add(row);
  return accumulator.finish({ seed: 7, resamples: 2000, ...(cohort ? { cohort } : {}) });
}

function factorRow(report: StudyReport, factor: string, cohort: Cohort) {
  const row = report.factors.find((f) => f.factor === factor && f.cohort === cohort);
  assert.ok(row, `a row for ${factor} / ${cohort}`);
  return row;
}

function typeRow(report: StudyReport, type: string, cohort: Cohort) {
  const row = report.finding_types.find((f) => f.type === type && f.cohort === cohort);
  assert.ok(row, `a row for ${type} / ${cohort}`);
  return row;
}

test('telehealth DNS health: every paired organization grew by half, so the change and its interval are +50%', () => {
  const row = factorRow(study(), 'dns_health', 'telehealth');
  // Per domain: A 4/2 = 2 -> 6/2 = 3, B 2/1 = 2 -> 3/1 = 3; means 2 -> 3; change 100 x (3 - 2) / 2 = +50%.
  // Any resample of {A, B} has sum(last) / sum(first) = 1.5 (both grew by the same factor): interval [50, 50].
  assert.deepEqual(
    { ...row, per_organization: undefined },
    {
      factor: 'dns_health',
      cohort: 'telehealth',
      first: 2,
      last: 3,
      change_pct: 50,
      ci_low: 50,
      ci_high: 50,
      direction: 'declined',
      organizations: 2,
      per_organization: undefined,
    },
  );
  // Per organization: A 4 -> 6, B 2 -> 3; means 3 -> 4.5; change +50%, same degenerate interval.
  assert.deepEqual(row.per_organization, {
    first: 3,
    last: 4.5,
    change_pct: 50,
    ci_low: 50,
    ci_high: 50,
    direction: 'declined',
  });
});

test('the rest: DNS health improved, with the interval spanned by the two extreme resamples', () => {
  const row = factorRow(study(), 'dns_health', 'non_telehealth');
  // Per domain: C 3/1 = 3 -> 1/1 = 1, D 8/4 = 2 -> 4/4 = 1; means 2.5 -> 1; change 100 x (1 - 2.5) / 2.5 = -60%.
  assert.equal(row.first, 2.5);
  assert.equal(row.last, 1);
  assert.equal(row.change_pct, -60);
  assert.equal(row.organizations, 2, 'E has no April snapshot and is not paired');
  // Resamples of two from {C, D}: {C, C} -> (1+1)/(3+3) - 1 = -66.67% (probability 1/4), {D, D} -> (1+1)/(2+2) - 1
  // = -50% (1/4), {C, D} -> (1+1)/(3+2) - 1 = -60% (1/2). With 2,000 replicates the 2.5th percentile falls among
  // the {C, C} ones and the 97.5th among the {D, D} ones.
  assert.equal(row.ci_low, -66.67);
  assert.equal(row.ci_high, -50);
  assert.equal(row.direction, 'improved');
  // Per organization: C 3 -> 1, D 8 -> 4; means 5.5 -> 2.5; change 100 x (2.5 - 5.5) / 5.5 = -54.545...%.
  assert.equal(row.per_organization.first, 5.5);
  assert.equal(row.per_organization.last, 2.5);
  assert.equal(row.per_organization.change_pct, -54.55);
  // Extremes: {C, C} 2/6 - 1 = -66.67%, {D, D} 8/16 - 1 = -50%.
  assert.equal(row.per_organization.ci_low, -66.67);
  assert.equal(row.per_organization.ci_high, -50);
});

test('all organizations: the paired means of both cohorts together', () => {
  const report = study();
  const row = factorRow(report, 'dns_health', 'all');
  // Per domain over A, B, C, D: Sep (2 + 2 + 3 + 2) / 4 = 2.25, Apr (3 + 3 + 1 + 1) / 4 = 2;
  // change 100 x (2 - 2.25) / 2.25 = -11.111...%.
  assert.equal(row.first, 2.25);
  assert.equal(row.last, 2);
  assert.equal(row.change_pct, -11.11);
  assert.equal(row.organizations, 4);
  // Per organization: Sep (4 + 2 + 3 + 8) / 4 = 4.25, Apr (6 + 3 + 1 + 4) / 4 = 3.5; change -17.647...%.
  assert.equal(row.per_organization.first, 4.25);
  assert.equal(row.per_organization.last, 3.5);
  assert.equal(row.per_organization.change_pct, -17.65);
  // The stratified interval per domain: any resample of two telehealth organizations from {A, B} sums 4 -> 6
  // (both are 2 -> 3); the rest's resamples sum {C, C} 6 -> 2 (p = 1/4), {C, D} 5 -> 2 (1/2), {D, D} 4 -> 2 (1/4).
  // Together: 10 -> 8 = -20%, 9 -> 8 = -11.11%, 8 -> 8 = 0%; the interval is [-20, 0].
  assert.equal(row.ci_low, -20);
  assert.equal(row.ci_high, 0);
  assert.equal(row.direction, 'no_significant_change', 'an interval reaching 0 is no significant change');
  // The 'all' factor adds up every factor; with hacker_chatter 0 -> 1 for A only, A's total is 4 -> 7.
  // Per domain: A 2 -> 3.5, B 2 -> 3, C 3 -> 1, D 2 -> 1: means 2.25 -> 2.125; change -5.555...%.
  const total = factorRow(report, 'all', 'all');
  assert.equal(total.first, 2.25);
  assert.equal(total.last, 2.125);
  assert.equal(total.change_pct, -5.56);
});

test('a factor counts only where it is rated in both periods; a type every paired organization counts', () => {
  const report = study();
  // hacker_chatter is rated for A only: 0 -> 1, so one organization and no change estimable from 0.
  const chatter = factorRow(report, 'hacker_chatter', 'telehealth');
  assert.equal(chatter.organizations, 1);
  assert.equal(chatter.first, 0);
  assert.equal(chatter.last, 0.5, 'A: 1 finding / 2 domains');
  assert.equal(chatter.change_pct, null);
  assert.equal(chatter.direction, 'insufficient_data');
  assert.equal(factorRow(report, 'hacker_chatter', 'non_telehealth').organizations, 0);
  assert.equal(factorRow(report, 'hacker_chatter', 'non_telehealth').direction, 'insufficient_data');

  // dns.caa.missing in telehealth, per domain: A 3/2 = 1.5 -> 4/2 = 2, B 2 -> 3; means 1.75 -> 2.5;
  // change 100 x 0.75 / 1.75 = +42.857...%. Per organization: A 3 -> 4, B 2 -> 3; 2.5 -> 3.5, +40%.
  const caa = typeRow(report, CAA, 'telehealth');
  assert.equal(caa.factor, 'dns_health');
  assert.equal(caa.first, 1.75);
  assert.equal(caa.last, 2.5);
  assert.equal(caa.change_pct, 42.86);
  assert.equal(caa.per_organization.change_pct, 40);
  // dns.spf.missing in the rest: C 3 -> 1, D (none) 0 -> 0, both paired; per domain means 1.5 -> 0.5, -66.67%.
  const spf = typeRow(report, SPF, 'non_telehealth');
  assert.equal(spf.organizations, 2);
  assert.equal(spf.first, 1.5);
  assert.equal(spf.last, 0.5);
  assert.equal(spf.change_pct, -66.67);
  // A type the catalogue does not know is still counted, under factor 'unknown'.
  assert.equal(typeRow(report, 'darkweb.x', 'telehealth').factor, 'unknown');
});

test('cohort comparison: telehealth +50% against the rest -60% is 110 points apart', () => {
  const row = study().comparison.find((c) => c.factor === 'dns_health');
  assert.ok(row);
  // Telehealth's replicates are all +50%; the rest's lie in [-66.67, -50]; the difference in [100, 116.67].
  assert.deepEqual(row, {
    factor: 'dns_health',
    telehealth_change_pct: 50,
    non_telehealth_change_pct: -60,
    difference_pct_points: 110,
    ci_low: 100,
    ci_high: 116.67,
    significant: true,
  });
});

test('coverage: organizations with data in one period only are counted, not paired', () => {
  const report = study();
  assert.deepEqual(report.cohorts, [
    { cohort: 'all', organizations: 6, paired: 4, first_only: 1, last_only: 1, between_only: 0 },
    { cohort: 'telehealth', organizations: 3, paired: 2, first_only: 0, last_only: 1, between_only: 0 },
    { cohort: 'non_telehealth', organizations: 3, paired: 2, first_only: 1, last_only: 0, between_only: 0 },
  ]);
  assert.equal(report.caveats.first_only, 1);
  assert.equal(report.caveats.last_only, 1);
  assert.match(report.caveats.notes[0]!, /2 of 6 organizations/);
  assert.deepEqual(
    report.periods.map((p) => [p.period, p.organizations]),
    [
      ['2019-09', { all: 5, telehealth: 2, non_telehealth: 3 }],
      ['2020-04', { all: 5, telehealth: 3, non_telehealth: 2 }],
    ],
  );
});

test('the period series describes everyone with data in the period, paired or not', () => {
  const report = study();
  const sep = report.series.find(
    (s) => s.factor === 'dns_health' && s.cohort === 'non_telehealth' && s.period === '2019-09',
  );
  // C, D and E in September: per organization (3 + 8 + 5) / 3 = 5.3333, per domain (3 + 2 + 5) / 3 = 3.3333.
  assert.deepEqual(sep, {
    period: '2019-09',
    cohort: 'non_telehealth',
    factor: 'dns_health',
    organizations: 3,
    findings_per_organization: 5.3333,
    findings_per_domain: 3.3333,
  });
  const apr = report.finding_type_series.find(
    (s) => s.type === CAA && s.cohort === 'telehealth' && s.period === '2020-04',
  );
  // A, B and F in April: caa.missing 4 + 3 + 2 = 9 over 3 organizations = 3; per domain (2 + 3 + 2) / 3 = 2.3333.
  assert.deepEqual(apr, {
    period: '2020-04',
    cohort: 'telehealth',
    type: CAA,
    factor: 'dns_health',
    organizations: 3,
    findings_per_organization: 3,
    findings_per_domain: 2.3333,
  });
});

test('--by month reports every month; --cohort keeps one cohort; the same seed gives the same study', () => {
  const monthly = study('month');
  assert.equal(monthly.periods.length, 8);
  assert.deepEqual(monthly.periods[1], {
    period: '2019-10',
    start: '2019-10-01T00:00:00.000Z',
    end: '2019-11-01T00:00:00.000Z',
    organizations: { all: 0, telehealth: 0, non_telehealth: 0 },
  });
  const tele = study('span', 'telehealth');
  assert.deepEqual(new Set(tele.factors.map((f) => f.cohort)), new Set(['telehealth']));
  assert.deepEqual(tele.comparison, []);
  assert.deepEqual(study(), study(), 'deterministic for a seed');
});

test('figures outside the periods are ignored, and a second set for the same month is refused', () => {
  const accumulator = new StudyAccumulator(studyPeriods('2019-09', '2020-04'));
  assert.equal(accumulator.add(figures('A', true, '2019-12', 1, { dns_health: 1 }, {})), false);
  assert.equal(accumulator.add(figures('A', true, '2019-09', 1, { dns_health: 1 }, {})), true);
  assert.throws(() => accumulator.add(figures('A', true, '2019-09', 1, { dns_health: 2 }, {})), /two sets/);
  assert.equal(accumulator.add(figures('Z', true, '2020-04', 0, { dns_health: 2 }, {})), false);
  assert.equal(accumulator.finish({ resamples: 10 }).caveats.without_domains, 1);
});

test(
  'lastPerPeriod keeps the last item of each organization and month, in a stream ordered by ' + 'organization',
  async () => {
    const items = [
      { org: 'A', at: '2019-09-03', n: 1 },
      { org: 'A', at: '2019-09-28', n: 2 },
      { org: 'A', at: '2019-10-01', n: 3 },
      { org: 'B', at: '2019-09-10', n: 4 },
    ];
    const kept: number[] = [];
    for await (const item of lastPerPeriod(items, (i) => ({ organizationId: i.org, period: i.at.slice(0, 7) })))
      kept.push(item.n);
    assert.deepEqual(kept, [2, 3, 4]);
  },
);
