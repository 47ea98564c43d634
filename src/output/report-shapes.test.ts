/**
 * The report schemas and the domain types they print are one shape: a field added to `Scorecard`,
 * `PortfolioReport` or `StudyReport` without its schema (or the reverse) does not compile. The value
 * checks below run the real services' sample outputs through the schemas.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import type { PortfolioReport, Scorecard } from '../core/scorecard.js';
import { samplePortfolio, sampleScorecard, sampleStudy } from '../report/fixtures.test-support.js';
import type { StudyReport } from '../study/figures.js';
import { PortfolioOutput, ScorecardOutput, StudyOutput } from './schemas.js';

/** True only when A and B are assignable both ways (the same JSON shape). */
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const scorecardShape: SameShape<z.infer<typeof ScorecardOutput>, Scorecard> = true;
const portfolioShape: SameShape<z.infer<typeof PortfolioOutput>, PortfolioReport> = true;
const studyShape: SameShape<z.infer<typeof StudyOutput>, StudyReport> = true;

test('the report schemas have the domain types shapes (checked at compile time)', () => {
  assert.deepEqual([scorecardShape, portfolioShape, studyShape], [true, true, true]);
});

test('a scorecard, a portfolio and a study pass their schemas; an unknown or missing field does not', () => {
  const scorecard = sampleScorecard();
  assert.equal(ScorecardOutput.safeParse(scorecard).success, true);
  assert.equal(PortfolioOutput.safeParse(samplePortfolio()).success, true);
  for (const by of ['span', 'month'] as const) assert.equal(StudyOutput.safeParse(sampleStudy(by)).success, true);

  assert.equal(ScorecardOutput.safeParse({ ...scorecard, extra: 1 }).success, false);
  const { plan: _plan, ...withoutPlan } = scorecard;
  assert.equal(ScorecardOutput.safeParse(withoutPlan).success, false);
  const badStep = { ...scorecard, plan: [{ ...scorecard.plan[0]!, grade_after: 'E' }] };
  assert.equal(ScorecardOutput.safeParse(badStep).success, false);
  const badVendor = { ...scorecard, vendors: { ...scorecard.vendors, summary: { level: 'fine' } } };
  assert.equal(ScorecardOutput.safeParse(badVendor).success, false);
});
