/**
 * The bootstrap's intervals, checked where the truth is known: exact quantiles, and a seeded simulation in
 * which the true change is fixed and the 95% intervals must cover it about 95% of the time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/seeded-random.js';
import { SparseRows, percentileInterval, quantileOfSorted, stratifiedBootstrap } from './bootstrap.js';
import type { Cohort, OrganizationPeriodFigures } from './figures.js';
import { studyPeriods } from './periods.js';
import { StudyAccumulator } from './study.js';

test('quantiles interpolate between order statistics (type 7), and infinite neighbours do not make NaN', () => {
  // Sorted 10, 20, 30, 40: h = 3 x 0.25 = 0.75 -> 10 + 0.75 x 10 = 17.5; h = 3 x 0.5 = 1.5 -> 25.
  assert.equal(quantileOfSorted([10, 20, 30, 40], 0.25), 17.5);
  assert.equal(quantileOfSorted([10, 20, 30, 40], 0.5), 25);
  assert.equal(quantileOfSorted([10, 20, 30, 40], 1), 40);
  assert.equal(quantileOfSorted([1, Number.POSITIVE_INFINITY], 0.9), Number.POSITIVE_INFINITY);
  assert.deepEqual(percentileInterval(Float64Array.from([5, 1, 3, 2, 4]), 0.5), [2, 4]);
});

test('a replicate draws as many rows as the stratum has and keeps each row whole', () => {
  const rows = new SparseRows();
  rows.addRow([
    [0, 1],
    [1, 10],
  ]);
  rows.addRow([
    [0, 2],
    [1, 20],
  ]);
  rows.addRow([[2, 5]]);
  stratifiedBootstrap([rows], 3, { resamples: 50, seed: 3 }, (_, [sums]) => {
    // Three rows drawn: column 1 is always 10 x column 0 (a row's two columns travel together).
    assert.equal(sums![1], 10 * sums![0]!);
    // Three draws in all: k of row 3 (5 each in column 2), the other 3 - k of rows 1 or 2 (1 or 2 in column 0).
    const third = sums![2]! / 5;
    assert.ok(Number.isInteger(third) && third >= 0 && third <= 3);
    assert.ok(sums![0]! >= 3 - third && sums![0]! <= 2 * (3 - third));
  });
  assert.throws(() => stratifiedBootstrap([rows], 3, { resamples: 0, seed: 1 }, () => undefined), /resamples/);
});

/** Poisson variate by Knuth's multiplication method (fine for the small means used here). */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

test('the 95% bootstrap intervals cover the true change at about the nominal rate (seeded simulation)', () => {
  // The population: each organization has 1 to 4 domains and its own propensity h (uniform 0.5..1.5, mean 1);
  // its findings are Poisson with mean 2 x domains x h in September and 2 x domains x h x (1 + delta) in April.
  // So E[findings / domain] is 2 and 2 (1 + delta), and the true change is delta: +30% for telehealth, -10% for the
  // rest, and for all (40 telehealth of 100, a fixed stratified design) 0.4 x 1.3 + 0.6 x 0.9 - 1 = +6%.
  // Per organization the expectation is proportional too, so the same true changes hold.
  const truth: Record<Cohort, number> = { telehealth: 30, non_telehealth: -10, all: 6 };
  const repetitions = 200;
  const covered: Record<string, number> = {};
  const random = seededRandom(20200401);
  for (let rep = 0; rep < repetitions; rep++) {
    const accumulator = new StudyAccumulator(studyPeriods('2019-09', '2020-04'));
    for (let i = 0; i < 100; i++) {
      const telehealth = i < 40;
      const delta = telehealth ? 0.3 : -0.1;
      const domains = 1 + Math.floor(random() * 4);
      const propensity = 0.5 + random();
      const organizationId = `org-${i}`;
      const sep = poisson(random, 2 * domains * propensity);
      const apr = poisson(random, 2 * domains * propensity * (1 + delta));
      const base = { organizationId, telehealth, domainCount: domains, findingTypes: {} };
      accumulator.add({ ...base, period: '2019-09', factors: { dns_health: sep } } satisfies OrganizationPeriodFigures);
      accumulator.add({ ...base, period: '2020-04', factors: { dns_health: apr } } satisfies OrganizationPeriodFigures);
    }
    const report = accumulator.finish({ resamples: 400, seed: rep + 1, factorOfType: () => 'dns_health' });
    for (const row of report.factors) {
      if (row.factor !== 'dns_health') continue;
      for (const [scale, estimate] of [
        ['per_domain', row],
        ['per_organization', row.per_organization],
      ] as const) {
        const key = `${row.cohort} ${scale}`;
        const hit = estimate.ci_low !== null && estimate.ci_high !== null;
        if (hit && estimate.ci_low! <= truth[row.cohort] && truth[row.cohort] <= estimate.ci_high!)
          covered[key] = (covered[key] ?? 0) + 1;
      }
    }
  }
  const rates = Object.fromEntries(
    ['telehealth', 'non_telehealth', 'all'].flatMap((c) =>
      ['per_domain', 'per_organization'].map((s) => [`${c} ${s}`, (covered[`${c} ${s}`] ?? 0) / repetitions]),
    ),
  );
  for (const [key, rate] of Object.entries(rates))
    assert.ok(rate >= 0.9 && rate <= 0.99, `coverage of ${key}: ${rate} (all: ${JSON.stringify(rates)})`);
});
