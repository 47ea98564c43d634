/**
 * Properties of the method over random portfolios (fast-check): bounds, determinism, independence of
 * finding order, monotonicity (adding an open finding never raises any score, resolving one never lowers
 * any), attributions adding up exactly to 100 - score, and the plan's order. Any counterexample is
 * shrunk and printed with its seed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getScoringMethod } from '../catalogue/scoring-method.js';
import { FACTORS, SEVERITIES } from '../core/types.js';
import type { Factor } from '../core/types.js';
import { whatIfPlan } from './plan.js';
import { rate, rawOverallScore } from './rate.js';
import type { Rating, RatingInput, ScoringFinding } from './types.js';

const method = getScoringMethod();
const AS_OF = '2026-06-01T00:00:00.000Z';
const RUNS = { numRuns: 300 };

/** A finding of one of the assessed factors; its type belongs to that factor (as in the catalogue). */
function findingArb(factors: readonly Factor[]): fc.Arbitrary<Omit<ScoringFinding, 'id'>> {
  return fc
    .record({
      factor: fc.constantFrom(...factors),
      typeNo: fc.integer({ min: 0, max: 3 }),
      severity: fc.constantFrom(...SEVERITIES),
      assetHost: fc.constantFrom('a.example', 'b.example', 'www.a.example', 'mail.a.example'),
      ageDays: fc.double({ min: 0, max: 200, noNaN: true }),
      disputed: fc.boolean(),
    })
    .map(({ factor, typeNo, ageDays, ...rest }) => ({
      ...rest,
      factor,
      type: `${factor}.t${typeNo}`,
      lastConfirmedAt: new Date(Date.parse(AS_OF) - Math.round(ageDays * 86_400_000)).toISOString(),
    }));
}

const withIds = (findings: Omit<ScoringFinding, 'id'>[], prefix = 'f'): ScoringFinding[] =>
  findings.map((f, i) => ({ id: `${prefix}${String(i).padStart(3, '0')}`, ...f }));

/** A random portfolio entry: assessed factors (possibly none), findings on them, a size. */
const portfolioArb: fc.Arbitrary<RatingInput> = fc.subarray([...FACTORS]).chain((assessed) =>
  fc.record({
    asOf: fc.constant(AS_OF),
    assetCount: fc.integer({ min: 0, max: 2000 }),
    assessedFactors: fc.constant(assessed),
    findings:
      assessed.length === 0
        ? fc.constant([])
        : fc.array(findingArb(assessed), { maxLength: 40 }).map((f) => withIds(f)),
  }),
);

/** A portfolio with at least one assessed factor, and one more finding for it. */
const portfolioPlusOneArb = portfolioArb
  .filter((p) => p.assessedFactors.length > 0)
  .chain((p) => fc.record({ portfolio: fc.constant(p), extra: findingArb(p.assessedFactors) }));

const hundredthsLost = (r: Rating): number => (r.score === null ? 0 : Math.round((100 - r.score) * 100));

function assertNoScoreRises(before: Rating, after: Rating): void {
  assert.ok(after.score! <= before.score!, `overall ${before.score} -> ${after.score}`);
  for (const [i, f] of after.factors.entries()) {
    assert.ok(f.score! <= before.factors[i]!.score!, `${f.factor} ${before.factors[i]!.score} -> ${f.score}`);
  }
}

describe('scoring properties over random portfolios', () => {
  test('bounds: scores in 0..100 with one decimal, grades match, not-rated is exactly the unassessed', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const r = rate(input, method);
        assert.equal(r.score === null, input.assessedFactors.length === 0);
        for (const f of r.factors) {
          const assessed = input.assessedFactors.includes(f.factor);
          assert.equal(f.score !== null, assessed);
          assert.equal(f.grade !== null, assessed);
          if (f.score !== null) {
            assert.ok(f.score >= 0 && f.score <= 100);
            assert.equal(Math.round(f.score * 10), f.score * 10);
          } else assert.equal(f.pointsLostHundredths, 0);
        }
        if (r.score !== null) assert.ok(r.score >= 0 && r.score <= 100);
        for (const f of r.findings) assert.ok(f.pointsLostHundredths >= 0 && Number.isInteger(f.pointsLostHundredths));
      }),
      RUNS,
    );
  });

  test('determinism and independence of finding order', () => {
    fc.assert(
      fc.property(
        portfolioArb.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray([...input.findings], {
              minLength: input.findings.length,
              maxLength: input.findings.length,
            }),
          ),
        ),
        ([input, shuffled]) => {
          const r = rate(input, method);
          assert.deepEqual(rate(input, method), r);
          assert.deepEqual(rate({ ...input, findings: shuffled }, method), r);
          assert.deepEqual(whatIfPlan({ ...input, findings: shuffled }, method), whatIfPlan(input, method));
        },
      ),
      RUNS,
    );
  });

  test('adding an open finding never raises any score; resolving it never lowers any', () => {
    fc.assert(
      fc.property(portfolioPlusOneArb, ({ portfolio, extra }) => {
        const without = rate(portfolio, method);
        const withExtra = rate({ ...portfolio, findings: [...portfolio.findings, { id: 'extra', ...extra }] }, method);
        assertNoScoreRises(without, withExtra);
        const rawBefore = rawOverallScore(portfolio, method)!;
        const rawAfter = rawOverallScore(
          { ...portfolio, findings: [...portfolio.findings, { id: 'extra', ...extra }] },
          method,
        )!;
        assert.ok(rawAfter <= rawBefore);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        portfolioArb
          .filter((p) => p.findings.length > 0)
          .chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: p.findings.length - 1 }))),
        ([portfolio, index]) => {
          const resolved = { ...portfolio, findings: portfolio.findings.filter((_, i) => i !== index) };
          assertNoScoreRises(rate(resolved, method), rate(portfolio, method));
        },
      ),
      RUNS,
    );
  });

  test('every lost point is attributed: findings add up exactly to 100 - score, per factor and overall', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const r = rate(input, method);
        const target = hundredthsLost(r);
        assert.equal(
          r.findings.reduce((s, f) => s + f.pointsLostHundredths, 0),
          target,
        );
        assert.equal(
          r.factors.reduce((s, f) => s + f.pointsLostHundredths, 0),
          target,
        );
        for (const factor of r.factors) {
          const own = r.findings.filter((f) => f.factor === factor.factor);
          assert.equal(
            own.reduce((s, f) => s + f.pointsLostHundredths, 0),
            factor.pointsLostHundredths,
          );
          assert.equal(own.length, factor.findings);
        }
        // A finding with no penalty (info, fully decayed) is never blamed for a point.
        for (const f of r.findings) if (f.penalty === 0) assert.equal(f.pointsLostHundredths, 0);
      }),
      RUNS,
    );
  });

  test('the plan: scores never go down, the first fix is the best single fix, and a short plan ends at 100', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const plan = whatIfPlan(input, method);
        const r = rate(input, method);
        if (r.score === null) return assert.deepEqual(plan, []);
        let previous = r.score;
        for (const step of plan) {
          assert.equal(step.scoreBefore, previous);
          assert.ok(step.scoreAfter >= step.scoreBefore);
          previous = step.scoreAfter;
        }
        if (plan.length < method.planSteps) assert.equal(previous, 100);
        if (plan[0] !== undefined) {
          const first = plan[0];
          for (const type of new Set(input.findings.map((f) => f.type))) {
            const alone = rawOverallScore(
              { ...input, findings: input.findings.filter((f) => f.type !== type) },
              method,
            )!;
            assert.ok(Math.round(alone * 10) / 10 <= first.scoreAfter, `${type} alone would reach ${alone}`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
