/** The portfolio summary and vendor risk on a small hand-worked portfolio (expected numbers by hand). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Grade, ScoreSnapshot } from '../core/score-snapshots.js';
import type { Factor } from '../core/types.js';
import { testSnapshot } from '../../test/helpers/snapshots.js';
import { percentile, summarizePortfolio, type PortfolioMember } from './summary.js';
import { vendorRisk } from './vendor-risk.js';

function snapshot(
  score: number | null,
  grade: Grade | null,
  rated: Partial<Record<Factor, [score: number, pointsLost: number]>> = {},
): ScoreSnapshot {
  return testSnapshot({ score, grade, rated });
}

function member(name: string, snap: ScoreSnapshot | undefined, telehealth = false): PortfolioMember {
  return { id: name, name, sector: 'clinic', telehealth, snapshot: snap };
}

const MEMBERS: PortfolioMember[] = [
  member('Echo', snapshot(55, 'F', { dns_health: [50, 5], information_leak: [40, 10] })),
  member('Alpha', snapshot(95, 'A', { dns_health: [90, 1], information_leak: [100, 0] })),
  member('Bravo', snapshot(85, 'B', { dns_health: [80, 2], information_leak: [100, 0] })),
  member('Charlie', snapshot(85, 'B', { dns_health: [70, 3], information_leak: [100, 0] })),
  member('Delta', snapshot(72, 'C', { dns_health: [60, 4], information_leak: [100, 0] })),
  member('Foxtrot', snapshot(null, null)),
  member('Golf', undefined),
];

test('percentiles interpolate between order statistics (type 7)', () => {
  assert.equal(percentile([60, 80], 0.5), 70);
  assert.equal(percentile([7], 0.9), 7);
  assert.equal(percentile([1, 2, 3, 4, 5], 0.1), 1.4);
  assert.throws(() => percentile([], 0.5), RangeError);
});

test(
  'a hand-worked portfolio: grades, score percentiles, histogram, factor percentiles, weakest factors, ' + 'ranks',
  () => {
    const summary = summarizePortfolio(MEMBERS);
    assert.equal(summary.organizations, 7);
    assert.equal(summary.rated, 5);
    assert.equal(summary.not_rated, 1);
    assert.equal(summary.not_scored, 1);
    assert.deepEqual(summary.method_versions, ['1.0.0']);
    assert.deepEqual(summary.grade_distribution, { A: 1, B: 2, C: 1, D: 0, F: 1 });
    // Sorted 55 72 85 85 95; position (n-1)p = 4p: p10 at 0.4 -> 55 + 17 * 0.4 = 61.8; p90 at 3.6 -> 85 + 10 * 0.6.
    assert.deepEqual(summary.score, { p10: 61.8, p25: 72, p50: 85, p75: 85, p90: 91, mean: 78.4 });
    assert.deepEqual(
      summary.histogram.filter((b) => b.count > 0).map((b) => [b.from, b.count]),
      [
        [50, 1],
        [70, 1],
        [80, 2],
        [90, 1],
      ],
    );
    const dns = summary.factors.find((f) => f.factor === 'dns_health');
    // dns_health scores 50 60 70 80 90: p10 at 0.4 -> 54; points lost 1..5, mean 3.
    assert.deepEqual(dns, {
      factor: 'dns_health',
      rated: 5,
      p10: 54,
      p25: 60,
      p50: 70,
      p75: 80,
      p90: 86,
      mean: 70,
      mean_points_lost: 3,
    });
    const tls = summary.factors.find((f) => f.factor === 'tls');
    assert.deepEqual(tls, {
      factor: 'tls',
      rated: 0,
      p10: null,
      p25: null,
      p50: null,
      p75: null,
      p90: null,
      mean: null,
      mean_points_lost: null,
    });
    assert.deepEqual(summary.weakest_factors, [
      { factor: 'dns_health', mean_points_lost: 3, p50: 70 },
      { factor: 'information_leak', mean_points_lost: 2, p50: 100 },
    ]);
    assert.deepEqual(
      summary.ranked.map((r) => [r.rank, r.organization, r.score, r.weakest_factor]),
      [
        [1, 'Alpha', 95, 'dns_health'],
        [2, 'Bravo', 85, 'dns_health'],
        [2, 'Charlie', 85, 'dns_health'],
        [4, 'Delta', 72, 'dns_health'],
        [5, 'Echo', 55, 'information_leak'],
        [null, 'Foxtrot', null, null],
        [null, 'Golf', null, null],
      ],
    );
  },
);

test('an empty selection has no figures rather than zeros', () => {
  const summary = summarizePortfolio([]);
  assert.equal(summary.organizations, 0);
  assert.equal(summary.score.p50, null);
  assert.deepEqual(summary.weakest_factors, []);
  assert.equal(
    summary.histogram.reduce((n, b) => n + b.count, 0),
    0,
  );
});

test('vendor risk: the weakest link sets the level; unrated vendors are counted, never good', () => {
  const risk = vendorRisk([
    { name: 'Acme Telehealth', telehealth: true, snapshot: snapshot(52, 'F') },
    { name: 'CloudEHR', telehealth: false, snapshot: snapshot(64, 'D') },
    { name: 'Billing Co', telehealth: false, snapshot: snapshot(88, 'B') },
    { name: 'New Vendor', telehealth: false, snapshot: undefined },
  ]);
  assert.deepEqual(
    risk.vendors.map((v) => [v.organization, v.grade]),
    [
      ['Acme Telehealth', 'F'],
      ['CloudEHR', 'D'],
      ['Billing Co', 'B'],
      ['New Vendor', null],
    ],
  );
  assert.equal(risk.summary.level, 'high');
  assert.equal(risk.summary.mean_score, 68);
  assert.equal(risk.summary.unrated, 1);
  assert.equal(
    risk.summary.text,
    'vendor risk high: 4 vendors; 1 graded F, 1 graded D; weakest Acme Telehealth (52.0, F); mean 68.0; 1 not rated',
  );
  assert.equal(vendorRisk([{ name: 'B', telehealth: false, snapshot: snapshot(64, 'D') }]).summary.level, 'elevated');
  assert.equal(vendorRisk([{ name: 'B', telehealth: false, snapshot: snapshot(91, 'A') }]).summary.level, 'low');
  assert.equal(vendorRisk([{ name: 'B', telehealth: false, snapshot: undefined }]).summary.level, 'unknown');
  assert.deepEqual(vendorRisk([]).summary.text, 'vendor risk none: 0 vendors');
});
