/**
 * The what-if plan (issue #10 section 2): which fixes gain the most points, in order, with the score
 * after each. A fix is one finding type made to go away on every host it is open on (the catalogue's
 * remediation is per type, and with diminishing repeats fixing one host of ten gains little). Greedy
 * with recomputation: after each fix, every remaining fix is scored again, because fixes in one factor
 * change what the others are worth.
 */
import { SEVERITIES } from '../core/types.js';
import type { Factor, Severity } from '../core/types.js';
import { gradeOf, rawOverallScore, roundScore } from './rate.js';
import type { Grade, Rating, RatingInput, ScoringFinding, ScoringMethod } from './types.js';

/** One step of the plan. */
export interface PlanStep {
  type: string;
  factor: Factor;
  /** Most severe of the findings fixed. */
  severity: Severity;
  /** The open findings this fix resolves, and their hosts (sorted). */
  findingIds: string[];
  hosts: string[];
  /** Overall score before and after this fix (one decimal), and the difference. */
  scoreBefore: number;
  scoreAfter: number;
  gain: number;
  gradeAfter: Grade;
}

/** The most severe among findings of one type (the catalogue gives one; a re-rating may not have reached all yet). */
function mostSevere(findings: readonly { severity: Severity }[]): Severity {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s))!;
}

/** Greedy what-if plan over finding types; empty when nothing is rated or nothing is open. */
export function whatIfPlan(input: RatingInput, method: ScoringMethod): PlanStep[] {
  let current = rawOverallScore(input, method);
  if (current === null) return [];
  const byType = new Map<string, ScoringFinding[]>();
  for (const f of input.findings) byType.set(f.type, [...(byType.get(f.type) ?? []), f]);
  let remaining = [...input.findings];
  const steps: PlanStep[] = [];
  while (steps.length < method.planSteps && byType.size > 0) {
    let best: { type: string; score: number } | null = null;
    for (const type of [...byType.keys()].sort()) {
      const score = rawOverallScore({ ...input, findings: remaining.filter((f) => f.type !== type) }, method)!;
      if (best === null || score > best.score) best = { type, score };
    }
    // Nothing left gains anything (only fully decayed or info findings): the plan ends there.
    if (best === null || best.score <= current) break;
    const fixed = byType.get(best.type)!;
    const before = roundScore(current);
    const after = roundScore(best.score);
    steps.push({
      type: best.type,
      factor: fixed[0]!.factor,
      severity: mostSevere(fixed),
      findingIds: fixed.map((f) => f.id).sort(),
      hosts: [...new Set(fixed.map((f) => f.assetHost))].sort(),
      scoreBefore: before,
      scoreAfter: after,
      gain: roundScore(after - before),
      gradeAfter: gradeOf(after, method),
    });
    remaining = remaining.filter((f) => f.type !== best.type);
    byType.delete(best.type);
    current = best.score;
  }
  return steps;
}

/** One finding type as the scorecard's top issues list it. */
export interface TopIssue {
  type: string;
  factor: Factor;
  severity: Severity;
  findings: number;
  disputed: number;
  hosts: string[];
  /** Points of the overall score this type costs, in hundredths. */
  pointsLostHundredths: number;
}

/** Finding types that cost points, most points first (ties: type id), at most method.topIssues. */
export function topIssues(rating: Rating, method: ScoringMethod): TopIssue[] {
  const byType = new Map<string, TopIssue & { penalty: number }>();
  for (const f of rating.findings) {
    const issue = byType.get(f.type) ?? {
      type: f.type,
      factor: f.factor,
      severity: f.severity,
      findings: 0,
      disputed: 0,
      hosts: [],
      pointsLostHundredths: 0,
      penalty: 0,
    };
    if (SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(issue.severity)) issue.severity = f.severity;
    issue.findings += 1;
    if (f.disputed) issue.disputed += 1;
    if (!issue.hosts.includes(f.assetHost)) issue.hosts.push(f.assetHost);
    issue.pointsLostHundredths += f.pointsLostHundredths;
    issue.penalty += f.penalty;
    byType.set(f.type, issue);
  }
  return [...byType.values()]
    .filter((i) => i.penalty > 0)
    .sort(
      (a, b) =>
        b.pointsLostHundredths - a.pointsLostHundredths ||
        b.penalty - a.penalty ||
        (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
    )
    .slice(0, method.topIssues)
    .map(({ penalty: _penalty, ...issue }) => ({ ...issue, hosts: issue.hosts.sort() }));
}
