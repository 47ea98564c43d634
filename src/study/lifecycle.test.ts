/** Lifecycle statistics on a few findings whose histories are worked out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lifecycleStatistics, type LifecycleEvent } from './lifecycle.js';
import { studyPeriods } from './periods.js';

/*
 * Periods: 2020-01, 2020-02, 2020-03 (--by month from 2020-01 to 2020-03). Organizations: T (telehealth), R (rest).
 *
 *   finding  org  factor      severity  history
 *   f1       T    dns_health  medium    opened 2019-12-10, resolved 2020-01-20 (41 days), reopened 2020-02-05,
 *                                        resolved 2020-03-07 (31 days)
 *   f2       T    dns_health  high      opened 2020-01-15, never resolved
 *   f3       R    dns_health  medium    opened 2019-11-01, resolved 2020-02-10 (101 days)
 *   f4       R    hacker_chatter  critical  opened 2020-03-31T23:59:59Z (still March), never resolved
 *   f5       X    dns_health  low       an organization outside the cohorts: left out
 *
 * Per month (all cohorts, all factors):
 *   2020-01: new f2 = 1; resolved f1 = 1; regressed 0; open at start {f1, f3}, open at end {f2, f3}:
 *            persisting {f3} = 1, open_at_end 2.
 *   2020-02: new 0; resolved f3 = 1; regressed f1 = 1; open at start {f2, f3}, at end {f1, f2}: persisting {f2} = 1,
 *            open_at_end 2.
 *   2020-03: new f4 = 1; resolved f1 = 1; regressed 0; open at start {f1, f2}, at end {f2, f4}: persisting {f2} = 1,
 *            open_at_end 2.
 */
const E =
  (findingId: string, organizationId: string, factor: string, severity: string) =>
  (event: LifecycleEvent['event'], at: string): LifecycleEvent => ({
    findingId,
    organizationId,
    factor,
    severity,
    event,
    at,
  });
const f1 = E('f1', 'T', 'dns_health', 'medium');
const f2 = E('f2', 'T', 'dns_health', 'high');
const f3 = E('f3', 'R', 'dns_health', 'medium');
const f4 = E('f4', 'R', 'hacker_chatter', 'critical');
const f5 = E('f5', 'X', 'dns_health', 'low');
const EVENTS: LifecycleEvent[] = [
  f1('opened', '2019-12-10T00:00:00.000Z'),
  f1('resolved', '2020-01-20T00:00:00.000Z'),
  f1('reopened', '2020-02-05T00:00:00.000Z'),
  f1('resolved', '2020-03-07T00:00:00.000Z'),
  f2('opened', '2020-01-15T00:00:00.000Z'),
  f3('opened', '2019-11-01T00:00:00.000Z'),
  f3('resolved', '2020-02-10T00:00:00.000Z'),
  f4('opened', '2020-03-31T23:59:59.000Z'),
  f5('opened', '2020-01-02T00:00:00.000Z'),
];
const cohortOf = (org: string) => (org === 'T' ? 'telehealth' : org === 'R' ? 'non_telehealth' : undefined);

test('new, persisting, resolved and regressed per month, worked by hand', async () => {
  const report = await lifecycleStatistics(EVENTS, studyPeriods('2020-01', '2020-03', 'month').periods, cohortOf);
  const all = report.periods
    .filter((p) => p.cohort === 'all' && p.factor === 'all')
    .map(({ period, new: n, persisting, resolved, regressed, open_at_end }) => [
      period,
      n,
      persisting,
      resolved,
      regressed,
      open_at_end,
    ]);
  assert.deepEqual(all, [
    // period     new persisting resolved regressed open_at_end
    ['2020-01', 1, 1, 1, 0, 2],
    ['2020-02', 0, 1, 1, 1, 2],
    ['2020-03', 1, 1, 1, 0, 2],
  ]);
  // Telehealth only (f1, f2): January new f2, resolved f1, open at start {f1}, at end {f2}: persisting 0.
  const tele = report.periods.find((p) => p.cohort === 'telehealth' && p.factor === 'all' && p.period === '2020-01');
  assert.deepEqual(tele, {
    period: '2020-01',
    cohort: 'telehealth',
    factor: 'all',
    new: 1,
    persisting: 0,
    resolved: 1,
    regressed: 0,
    open_at_end: 1,
  });
  // hacker_chatter in the rest: f4 is new in March (one second before April) and open at its end.
  const chatter = report.periods.find(
    (p) => p.cohort === 'non_telehealth' && p.factor === 'hacker_chatter' && p.period === '2020-03',
  );
  assert.equal(chatter?.new, 1);
  assert.equal(chatter?.open_at_end, 1);
});

test('days to remediate: from the last opening to the resolution, averaged per factor and severity', async () => {
  const report = await lifecycleStatistics(EVENTS, studyPeriods('2020-01', '2020-03', 'month').periods, cohortOf);
  const all = report.remediation.filter((r) => r.cohort === 'all');
  assert.deepEqual(
    all.map((r) => [r.period, r.factor, r.severity, r.resolved, r.mean_days_to_remediate]),
    [
      // f1: 2019-12-10 -> 2020-01-20 = 21 + 20 = 41 days.
      ['2020-01', 'dns_health', 'medium', 1, 41],
      // f3: 2019-11-01 -> 2020-02-10 = 30 + 31 + 31 + 9 = 101 days.
      ['2020-02', 'dns_health', 'medium', 1, 101],
      // f1 again, from its reopening: 2020-02-05 -> 2020-03-07 = 24 + 7 = 31 days (2020 is a leap year).
      ['2020-03', 'dns_health', 'medium', 1, 31],
    ],
  );
  // With only the first and the last month (span), January and March alone are measured; the mean of a group
  // with two resolutions is their average: 41 and 31 would be 36 if they fell in one period.
  const span = await lifecycleStatistics(EVENTS, studyPeriods('2020-01', '2020-03').periods, cohortOf);
  assert.deepEqual(
    span.periods.filter((p) => p.cohort === 'all' && p.factor === 'all').map((p) => p.period),
    ['2020-01', '2020-03'],
  );
  const quarter = await lifecycleStatistics(
    [
      f1('opened', '2020-01-01T00:00:00.000Z'),
      f1('resolved', '2020-01-11T00:00:00.000Z'),
      f1('reopened', '2020-01-21T00:00:00.000Z'),
      f1('resolved', '2020-01-31T12:00:00.000Z'),
    ],
    studyPeriods('2020-01', '2020-02').periods,
    cohortOf,
  );
  // Resolutions after 10 and 10.5 days in January: mean 10.25; the finding is both resolved twice and regressed once.
  assert.equal(quarter.remediation.find((r) => r.cohort === 'all')?.mean_days_to_remediate, 10.25);
  const jan = quarter.periods.find((p) => p.cohort === 'all' && p.factor === 'all' && p.period === '2020-01');
  assert.deepEqual([jan?.new, jan?.resolved, jan?.regressed, jan?.open_at_end], [1, 2, 1, 0]);
});
