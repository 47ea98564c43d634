/**
 * The scoring method (docs/methodology.md): per-factor scores from open findings, the overall score
 * from factor weights over rated factors only, grades, and the attribution of every lost point to the
 * findings that cost it. Pure and deterministic: the same input gives the same rating whatever the
 * order of its findings.
 */
import { FACTORS } from '../core/types.js';
import type { Factor } from '../core/types.js';
import { apportion } from './apportion.js';
import type {
  FactorRating,
  FindingAttribution,
  Grade,
  Rating,
  RatingInput,
  ScoringFinding,
  ScoringMethod,
} from './types.js';

const DAY_MS = 86_400_000;

/** Bad input to the method (a caller bug, not a data problem the method could score around). */
export class RatingInputError extends Error {
  override readonly name = 'RatingInputError';
}

/** Score rounded once, at the end, to one decimal. */
export function roundScore(raw: number): number {
  return Math.round(raw * 10) / 10;
}

/** The grade of a (rounded) score. */
export function gradeOf(score: number, method: ScoringMethod): Grade {
  for (const { grade, min } of method.grades) if (score >= min) return grade;
  return method.grades.at(-1)!.grade;
}

/** 1 while the finding was confirmed recently, then linearly down to 0 (a finding no scan saw again fades out). */
export function decayWeight(lastConfirmedAt: string, asOf: string, method: ScoringMethod): number {
  const ageDays = Math.max(0, (Date.parse(asOf) - Date.parse(lastConfirmedAt)) / DAY_MS);
  const { fullWeightDays, zeroWeightDays } = method.decay;
  if (ageDays <= fullWeightDays) return 1;
  if (ageDays >= zeroWeightDays) return 0;
  return (zeroWeightDays - ageDays) / (zeroWeightDays - fullWeightDays);
}

/** Divisor of a size-normalized factor's penalty: 1 up to referenceAssets hosts, then (assets/ref)^exponent. */
export function sizeFactor(assetCount: number, method: ScoringMethod): number {
  const { referenceAssets, exponent } = method.sizeNormalization;
  return Math.max(1, (assetCount / referenceAssets) ** exponent);
}

/** Compare by a number descending, then by id: the one deterministic order used everywhere. */
function byWeightThenId<T extends { id: string }>(weight: (x: T) => number): (a: T, b: T) => number {
  return (a, b) => weight(b) - weight(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Penalty of each finding inside its factor: severity weight x decay, repeats of one type diminishing
 * (largest first, the k-th counting repeatRatio^k), divided by the size factor where the factor is
 * size-normalized. Largest-first makes the sum independent of input order, and adding a finding can
 * only add to it (each later repeat is worth at most what the inserted one brings).
 */
export function findingPenalties(input: RatingInput, method: ScoringMethod): Map<string, number> {
  const size = sizeFactor(input.assetCount, method);
  const byType = new Map<string, { id: string; base: number; factor: Factor }[]>();
  for (const f of input.findings) {
    const base = method.severityWeights[f.severity] * decayWeight(f.lastConfirmedAt, input.asOf, method);
    const group = byType.get(f.type) ?? [];
    group.push({ id: f.id, base, factor: f.factor });
    byType.set(f.type, group);
  }
  const penalties = new Map<string, number>();
  for (const group of byType.values()) {
    group.sort(byWeightThenId((x) => x.base));
    group.forEach((f, k) => {
      const divisor = method.factors[f.factor].sizeNormalized ? size : 1;
      penalties.set(f.id, (f.base * method.repeatRatio ** k) / divisor);
    });
  }
  return penalties;
}

/** Factor score before rounding: 100 * exp(-penalty / penaltyScale). */
function rawFactorScore(penalty: number, method: ScoringMethod): number {
  return 100 * Math.exp(-penalty / method.penaltyScale);
}

function validate(input: RatingInput): void {
  if (Number.isNaN(Date.parse(input.asOf))) throw new RatingInputError(`asOf is not a date: ${input.asOf}`);
  if (!Number.isInteger(input.assetCount) || input.assetCount < 0) {
    throw new RatingInputError(`assetCount must be a non-negative integer, not ${input.assetCount}`);
  }
  const assessed = new Set<string>(input.assessedFactors);
  for (const f of input.assessedFactors) {
    if (!(FACTORS as readonly string[]).includes(f)) throw new RatingInputError(`unknown factor ${f}`);
  }
  const ids = new Set<string>();
  for (const f of input.findings) {
    if (ids.has(f.id)) throw new RatingInputError(`finding ${f.id} is given twice`);
    ids.add(f.id);
    if (!assessed.has(f.factor)) {
      throw new RatingInputError(`finding ${f.id} is of factor ${f.factor}, which is not among the assessed factors`);
    }
    if (Number.isNaN(Date.parse(f.lastConfirmedAt))) {
      throw new RatingInputError(`finding ${f.id}: lastConfirmedAt is not a date: ${f.lastConfirmedAt}`);
    }
  }
}

interface RawRating {
  penalties: Map<string, number>;
  /** Penalty sum and unrounded score of each rated factor. */
  factors: Map<Factor, { penalty: number; score: number }>;
  /** Sum of the weights of rated factors. */
  totalWeight: number;
  /** Unrounded overall score; null when nothing is rated. */
  overall: number | null;
}

function rawRating(input: RatingInput, method: ScoringMethod): RawRating {
  const penalties = findingPenalties(input, method);
  const factorPenalty = new Map<Factor, number>();
  for (const f of new Set(input.assessedFactors)) factorPenalty.set(f, 0);
  for (const f of input.findings)
    factorPenalty.set(f.factor, (factorPenalty.get(f.factor) ?? 0) + penalties.get(f.id)!);
  const factors = new Map<Factor, { penalty: number; score: number }>();
  let totalWeight = 0;
  let weighted = 0;
  // FACTORS order, so the floating-point sum is the same whatever the input order.
  for (const factor of FACTORS) {
    const penalty = factorPenalty.get(factor);
    if (penalty === undefined) continue;
    const score = rawFactorScore(penalty, method);
    factors.set(factor, { penalty, score });
    totalWeight += method.factors[factor].weight;
    weighted += method.factors[factor].weight * score;
  }
  return { penalties, factors, totalWeight, overall: totalWeight === 0 ? null : weighted / totalWeight };
}

/**
 * The input with its findings in id order. Floating-point sums depend on the order of their terms, so
 * every sum (factor penalties, apportioned shares) runs over this order: the last bits, and with them a
 * rounding or an apportioned hundredth, can never depend on the order the findings came in.
 */
function canonical(input: RatingInput): RatingInput {
  const findings = [...input.findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...input, findings };
}

/** The unrounded overall score alone (null when nothing is rated): what the what-if plan compares. */
export function rawOverallScore(given: RatingInput, method: ScoringMethod): number | null {
  validate(given);
  return rawRating(canonical(given), method).overall;
}

/** Rates one organization. Throws RatingInputError on malformed input. */
export function rate(given: RatingInput, method: ScoringMethod): Rating {
  validate(given);
  const input = canonical(given);
  const raw = rawRating(input, method);
  const score = raw.overall === null ? null : roundScore(raw.overall);

  // What each finding costs the overall score, unrounded: its factor's weighted loss, shared in
  // proportion to penalty. These add up to 100 - raw overall; apportion() scales them to the rounded
  // loss in hundredths, so the published numbers add up exactly.
  const shares = input.findings.map((f) => {
    const factor = raw.factors.get(f.factor)!;
    if (factor.penalty === 0) return 0;
    const factorLoss = (method.factors[f.factor].weight / raw.totalWeight) * (100 - factor.score);
    return factorLoss * (raw.penalties.get(f.id)! / factor.penalty);
  });
  const targetHundredths = score === null ? 0 : Math.round((100 - score) * 100);
  const hundredths = apportion(
    shares,
    targetHundredths,
    input.findings.map((f) => f.id),
  );

  const findings: FindingAttribution[] = input.findings.map((f: ScoringFinding, i) => ({
    id: f.id,
    type: f.type,
    factor: f.factor,
    severity: f.severity,
    assetHost: f.assetHost,
    disputed: f.disputed,
    penalty: raw.penalties.get(f.id)!,
    pointsLostHundredths: hundredths[i]!,
  }));
  findings.sort(
    (a, b) =>
      b.pointsLostHundredths - a.pointsLostHundredths ||
      b.penalty - a.penalty ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );

  const factors: FactorRating[] = FACTORS.map((factor) => {
    const rated = raw.factors.get(factor);
    if (rated === undefined) return { factor, score: null, grade: null, findings: 0, pointsLostHundredths: 0 };
    const factorScore = roundScore(rated.score);
    const own = findings.filter((f) => f.factor === factor);
    return {
      factor,
      score: factorScore,
      grade: gradeOf(factorScore, method),
      findings: own.length,
      pointsLostHundredths: own.reduce((sum, f) => sum + f.pointsLostHundredths, 0),
    };
  });

  return {
    methodVersion: method.version,
    asOf: input.asOf,
    score,
    grade: score === null ? null : gradeOf(score, method),
    factors,
    findings,
  };
}
