/**
 * The method on small portfolios computed by hand with the constants of scoring-method.json 1.0.0
 * (severity weights critical 30, high 15, medium 6, low 2; penaltyScale 50; repeatRatio 0.5; size
 * factor max(1, sqrt(assets / 10)); full weight 30 days, none after 120; factor weights dns 10, tls 15,
 * information_leak 10). The expected numbers are written out, not recomputed with the code under test.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getScoringMethod, parseScoringMethod } from '../catalogue/scoring-method.js';
import type { Factor, Severity } from '../core/types.js';
import { apportion } from './apportion.js';
import { whatIfPlan, topIssues } from './plan.js';
import { gradeOf, rate, RatingInputError } from './rate.js';
import type { RatingInput, ScoringFinding } from './types.js';

const method = getScoringMethod();
const AS_OF = '2026-06-01T00:00:00.000Z';

function daysBefore(days: number): string {
  return new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString();
}

function finding(
  id: string,
  type: string,
  factor: Factor,
  severity: Severity,
  extra: Partial<ScoringFinding> = {},
): ScoringFinding {
  return { id, type, factor, severity, assetHost: 'a.example', lastConfirmedAt: AS_OF, disputed: false, ...extra };
}

function input(assessedFactors: Factor[], findings: ScoringFinding[], assetCount = 4): RatingInput {
  return { asOf: AS_OF, assetCount, assessedFactors, findings };
}

describe('scoring method 1.0.0 on hand-computed examples', () => {
  test('the constants these examples assume', () => {
    assert.equal(method.version, '1.0.0');
    assert.deepEqual(method.severityWeights, { critical: 30, high: 15, medium: 6, low: 2, info: 0 });
    assert.equal(method.penaltyScale, 50);
    assert.equal(method.repeatRatio, 0.5);
  });

  test('one high DNS finding: 100 * e^(-15/50) = 74.08 -> 74.1, C; the finding costs all 25.9 points', () => {
    const rating = rate(input(['dns_health'], [finding('f1', 'dns.x', 'dns_health', 'high')]), method);
    assert.equal(rating.score, 74.1);
    assert.equal(rating.grade, 'C');
    assert.equal(rating.methodVersion, '1.0.0');
    const dns = rating.factors.find((f) => f.factor === 'dns_health')!;
    assert.deepEqual(dns, { factor: 'dns_health', score: 74.1, grade: 'C', findings: 1, pointsLostHundredths: 2590 });
    assert.equal(rating.findings[0]!.pointsLostHundredths, 2590);
  });

  test('a repeat of one type counts half: 15 + 7.5 = 22.5 -> e^-0.45 = 63.76 -> 63.8, D; 36.2 split 2:1', () => {
    const rating = rate(
      input(
        ['dns_health'],
        [
          finding('f1', 'dns.x', 'dns_health', 'high', { assetHost: 'a.example' }),
          finding('f2', 'dns.x', 'dns_health', 'high', { assetHost: 'b.example' }),
        ],
      ),
      method,
    );
    assert.equal(rating.score, 63.8);
    assert.equal(rating.grade, 'D');
    // 3620 hundredths in proportion 15 : 7.5 = 2413.33 : 1206.67; the leftover unit goes to the larger
    // fraction (.67), so 2413 + 1207.
    assert.deepEqual(
      rating.findings.map((f) => [f.id, f.pointsLostHundredths]),
      [
        ['f1', 2413],
        ['f2', 1207],
      ],
    );
  });

  test('two different types are not repeats: 15 + 15 = 30 -> e^-0.6 = 54.88 -> 54.9, F', () => {
    const rating = rate(
      input(
        ['dns_health'],
        [finding('f1', 'dns.x', 'dns_health', 'high'), finding('f2', 'dns.y', 'dns_health', 'high')],
      ),
      method,
    );
    assert.equal(rating.score, 54.9);
    assert.equal(rating.grade, 'F');
  });

  test('size: 40 assets halve a DNS penalty (sqrt(40/10) = 2) but not a dark-web one; the overall is weighted', () => {
    const findings = [
      finding('f1', 'dns.m', 'dns_health', 'medium'),
      finding('f2', 'darkweb.c', 'information_leak', 'critical'),
    ];
    const rating = rate(input(['dns_health', 'tls', 'information_leak'], findings, 40), method);
    // dns: 6 / 2 = 3 -> 100 e^-0.06 = 94.18; information_leak: 30 -> 100 e^-0.6 = 54.88; tls: no finding, 100.
    // overall = (10 * 94.1765 + 15 * 100 + 10 * 54.8812) / 35 = 85.445 -> 85.4, B.
    assert.equal(rating.score, 85.4);
    assert.equal(rating.grade, 'B');
    const byFactor = Object.fromEntries(rating.factors.map((f) => [f.factor, f]));
    assert.equal(byFactor.dns_health!.score, 94.2);
    assert.equal(byFactor.information_leak!.score, 54.9);
    assert.equal(byFactor.tls!.score, 100);
    assert.equal(byFactor.tls!.grade, 'A');
    assert.equal(byFactor.tls!.pointsLostHundredths, 0);
    // Lost: dns 10/35 * 5.8235 = 1.664, information_leak 10/35 * 45.1188 = 12.891; total 14.555 -> 14.6.
    assert.equal(byFactor.dns_health!.pointsLostHundredths + byFactor.information_leak!.pointsLostHundredths, 1460);
    assert.equal(byFactor.dns_health!.pointsLostHundredths, 167);
    assert.equal(byFactor.information_leak!.pointsLostHundredths, 1293);
    // Same findings on a small organization: dns 100 e^-0.12 = 88.69, overall (886.92 + 1500 + 548.81)/35 = 83.88.
    assert.equal(rate(input(['dns_health', 'tls', 'information_leak'], findings, 4), method).score, 83.9);
  });

  test('decay: confirmed 75 days ago counts (120 - 75) / 90 = 0.5; after 120 days nothing', () => {
    const half = rate(
      input(['dns_health'], [finding('f1', 'dns.x', 'dns_health', 'high', { lastConfirmedAt: daysBefore(75) })]),
      method,
    );
    // 7.5 -> 100 e^-0.15 = 86.07
    assert.equal(half.score, 86.1);
    const fresh = rate(
      input(['dns_health'], [finding('f1', 'dns.x', 'dns_health', 'high', { lastConfirmedAt: daysBefore(30) })]),
      method,
    );
    assert.equal(fresh.score, 74.1);
    const gone = rate(
      input(['dns_health'], [finding('f1', 'dns.x', 'dns_health', 'high', { lastConfirmedAt: daysBefore(130) })]),
      method,
    );
    assert.equal(gone.score, 100);
    assert.equal(gone.factors[0]!.findings, 1, 'a decayed finding is still listed, for 0 points');
    assert.equal(gone.findings[0]!.pointsLostHundredths, 0);
  });

  test('no data is not rated: null score and grade, never 100, and left out of the overall', () => {
    const none = rate(input([], []), method);
    assert.equal(none.score, null);
    assert.equal(none.grade, null);
    assert.ok(none.factors.every((f) => f.score === null && f.grade === null && f.findings === 0));
    const dnsOnly = rate(input(['dns_health'], [finding('f1', 'dns.x', 'dns_health', 'high')]), method);
    // tls is not assessed: it does not lift the overall towards 100.
    assert.equal(dnsOnly.score, 74.1);
    assert.equal(dnsOnly.factors.find((f) => f.factor === 'tls')!.score, null);
    // Assessed with no findings is a real 100.
    assert.equal(rate(input(['tls'], []), method).score, 100);
  });

  test('info findings and disputed findings: info costs nothing, an open dispute still costs', () => {
    const rating = rate(
      input(
        ['dns_health'],
        [
          finding('f1', 'dns.i', 'dns_health', 'info'),
          finding('f2', 'dns.x', 'dns_health', 'high', { disputed: true }),
        ],
      ),
      method,
    );
    assert.equal(rating.score, 74.1);
    assert.equal(rating.findings.find((f) => f.id === 'f2')!.disputed, true);
    assert.equal(rating.findings.find((f) => f.id === 'f1')!.pointsLostHundredths, 0);
  });

  test('grades at the thresholds: 90 A, 89.9 B, 60 D, 59.9 F', () => {
    assert.equal(gradeOf(90, method), 'A');
    assert.equal(gradeOf(89.9, method), 'B');
    assert.equal(gradeOf(80, method), 'B');
    assert.equal(gradeOf(70, method), 'C');
    assert.equal(gradeOf(60, method), 'D');
    assert.equal(gradeOf(59.9, method), 'F');
    assert.equal(gradeOf(0, method), 'F');
  });

  test('malformed input is refused with a clear error', () => {
    assert.throws(
      () => rate(input([], [finding('f1', 'dns.x', 'dns_health', 'high')]), method),
      /not among the assessed/,
    );
    assert.throws(
      () =>
        rate(
          input(
            ['dns_health'],
            [finding('f1', 'dns.x', 'dns_health', 'high'), finding('f1', 'dns.y', 'dns_health', 'low')],
          ),
          method,
        ),
      RatingInputError,
    );
    assert.throws(() => rate({ ...input(['dns_health'], []), asOf: 'yesterday' }, method), /asOf is not a date/);
    assert.throws(() => rate(input(['dns_health'], [], -1), method), /assetCount/);
  });
});

describe('the worked example of docs/methodology.md', () => {
  // 40 assets (size factor sqrt(40/10) = 2); DNS and dark-web analysis ran, nothing else.
  const example = {
    asOf: AS_OF,
    assetCount: 40,
    assessedFactors: ['dns_health', 'hacker_chatter', 'information_leak'] as Factor[],
    findings: [
      finding('f1', 'dns.cname.dangling', 'dns_health', 'high', {
        assetHost: 'portal.stexample.org',
        lastConfirmedAt: daysBefore(2),
      }),
      finding('f2', 'dns.cname.dangling', 'dns_health', 'high', {
        assetHost: 'old.stexample.org',
        lastConfirmedAt: daysBefore(75),
      }),
      finding('f3', 'dns.dmarc.missing', 'dns_health', 'medium', { assetHost: 'stexample.org' }),
      finding('f4', 'dns.caa.missing', 'dns_health', 'low', { assetHost: 'stexample.org' }),
      finding('f5', 'darkweb.credentials_leaked', 'information_leak', 'high', {
        assetHost: 'stexample.org',
        lastConfirmedAt: daysBefore(10),
      }),
    ],
  };

  test('factor scores, overall, and lost points as the document computes them', () => {
    const rating = rate(example, method);
    // DNS: 15 + 7.5 * 0.5 + 6 + 2 = 26.75, / 2 = 13.375 -> 100 e^-0.2675 = 76.53; leak: 15 -> 74.08;
    // chatter 100; overall (10 * 76.53 + 5 * 100 + 10 * 74.08) / 25 = 80.24 -> 80.2, B.
    assert.equal(rating.score, 80.2);
    assert.equal(rating.grade, 'B');
    assert.deepEqual(
      rating.factors.filter((f) => f.score !== null).map((f) => [f.factor, f.score, f.grade, f.pointsLostHundredths]),
      [
        ['dns_health', 76.5, 'C', 941],
        ['hacker_chatter', 100, 'A', 0],
        ['information_leak', 74.1, 'C', 1039],
      ],
    );
    assert.deepEqual(
      rating.findings.map((f) => [f.id, f.penalty, f.pointsLostHundredths]),
      [
        ['f5', 15, 1039],
        ['f1', 7.5, 528],
        ['f3', 3, 211],
        ['f2', 1.875, 132],
        ['f4', 1, 70],
      ],
    );
  });

  test('the plan of the example', () => {
    assert.deepEqual(
      whatIfPlan(example, method).map((s) => [s.type, s.scoreAfter, s.gain]),
      [
        ['darkweb.credentials_leaked', 90.6, 10.4],
        ['dns.cname.dangling', 96.9, 6.3],
        ['dns.dmarc.missing', 99.2, 2.3],
        ['dns.caa.missing', 100, 0.8],
      ],
    );
  });
});

describe('what-if plan and top issues', () => {
  test('the fix that gains most comes first, with the score after each, until 100', () => {
    const findings = [
      finding('f1', 'dns.low', 'dns_health', 'low'),
      finding('f2', 'dns.high', 'dns_health', 'high', { assetHost: 'a.example' }),
      finding('f3', 'dns.high', 'dns_health', 'high', { assetHost: 'b.example' }),
      finding('f4', 'dns.med', 'dns_health', 'medium'),
    ];
    const plan = whatIfPlan(input(['dns_health'], findings), method);
    // Penalty 2 + 22.5 + 6 = 30.5 -> e^-0.61 = 54.33. Fixing dns.high leaves 8 -> e^-0.16 = 85.21; then
    // dns.med leaves 2 -> e^-0.04 = 96.08; then dns.low -> 100.
    assert.deepEqual(
      plan.map((s) => [s.type, s.scoreBefore, s.scoreAfter, s.gain, s.gradeAfter]),
      [
        ['dns.high', 54.3, 85.2, 30.9, 'B'],
        ['dns.med', 85.2, 96.1, 10.9, 'A'],
        ['dns.low', 96.1, 100, 3.9, 'A'],
      ],
    );
    assert.deepEqual(plan[0]!.hosts, ['a.example', 'b.example']);
    assert.deepEqual(plan[0]!.findingIds, ['f2', 'f3']);
  });

  test('a fix in a heavier factor wins over the same finding in a lighter one', () => {
    const plan = whatIfPlan(
      input(
        ['dns_health', 'tls'],
        [finding('f1', 'dns.x', 'dns_health', 'high'), finding('f2', 'tls.x', 'tls', 'high')],
      ),
      method,
    );
    assert.equal(plan[0]!.type, 'tls.x');
    assert.equal(plan[1]!.scoreAfter, 100);
  });

  test('nothing rated, nothing to plan; fully decayed findings gain nothing and are left out', () => {
    assert.deepEqual(whatIfPlan(input([], []), method), []);
    const stale = finding('f1', 'dns.x', 'dns_health', 'high', { lastConfirmedAt: daysBefore(200) });
    assert.deepEqual(whatIfPlan(input(['dns_health'], [stale]), method), []);
  });

  test('top issues group findings by type, most points first, with disputed counts', () => {
    const rating = rate(
      input(
        ['dns_health'],
        [
          finding('f1', 'dns.low', 'dns_health', 'low'),
          finding('f2', 'dns.high', 'dns_health', 'high', { assetHost: 'b.example', disputed: true }),
          finding('f3', 'dns.high', 'dns_health', 'high', { assetHost: 'a.example' }),
        ],
      ),
      method,
    );
    const issues = topIssues(rating, method);
    assert.deepEqual(
      issues.map((i) => [i.type, i.findings, i.disputed, i.hosts]),
      [
        ['dns.high', 2, 1, ['a.example', 'b.example']],
        ['dns.low', 1, 0, ['a.example']],
      ],
    );
    assert.equal(
      issues.reduce((sum, i) => sum + i.pointsLostHundredths, 0),
      Math.round((100 - rating.score!) * 100),
    );
  });
});

describe('apportion', () => {
  test('largest remainder: exact total, ties by key', () => {
    assert.deepEqual(apportion([1, 1, 1], 100, ['b', 'a', 'c']), [33, 34, 33]);
    assert.deepEqual(apportion([2, 1], 3620, ['x', 'y']), [2413, 1207]);
    assert.deepEqual(apportion([0, 0], 0, ['x', 'y']), [0, 0]);
    assert.throws(() => apportion([0], 5, ['x']), RangeError);
  });
});

describe('scoring-method.json validation', () => {
  const good = structuredClone(getScoringMethod());
  test('the shipped file is valid and a copy parses', () => {
    assert.deepEqual(parseScoringMethod(structuredClone(good)), good);
  });
  test('bad edits fail with the path of every problem', () => {
    const noTls = structuredClone(good) as unknown as { factors: Record<string, unknown> };
    delete noTls.factors.tls;
    assert.throws(() => parseScoringMethod(noTls), /factors\.tls/);
    assert.throws(
      () => parseScoringMethod({ ...good, grades: [...good.grades].reverse() }),
      /grades must be A, B, C, D, F in that order/,
    );
    assert.throws(
      () => parseScoringMethod({ ...good, severityWeights: { ...good.severityWeights, low: 50 } }),
      /severityWeights\.medium: must be at least low's weight/,
    );
    assert.throws(() => parseScoringMethod({ ...good, decay: { fullWeightDays: 90, zeroWeightDays: 30 } }), /decay/);
    assert.throws(() => parseScoringMethod({ ...good, version: 'one' }), /version/);
    assert.throws(() => parseScoringMethod({ ...good, extra: 1 }), /extra/);
  });
});
