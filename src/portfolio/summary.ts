/**
 * The portfolio view (issue #10 section 4): how a set of organizations stands, from each one's latest
 * score snapshot. Pure: the service (portfolio/service.ts) reads the store and hands the members in.
 *
 * Percentiles interpolate linearly between order statistics (Hyndman and Fan's type 7, the default of
 * R, NumPy and spreadsheets), so the median of 60 and 80 is 70. The weakest factors are those that
 * cost the portfolio the most overall points on average (a factor's weight counts, not only its score).
 */
import { GRADES } from '../core/score-snapshots.js';
import type { Grade, ScoreSnapshot } from '../core/score-snapshots.js';
import { FACTORS } from '../core/types.js';
import type { Factor, Sector } from '../core/types.js';
import type {
  HistogramBin,
  Percentiles,
  PortfolioFactor,
  PortfolioSummary,
  RankedOrganization,
} from '../core/scorecard.js';

/** One organization of the portfolio, with its latest snapshot (undefined: never scored). */
export interface PortfolioMember {
  id: string;
  name: string;
  sector: Sector;
  telehealth: boolean;
  snapshot: ScoreSnapshot | undefined;
}

/** How many weakest factors the summary names. */
export const WEAKEST_FACTORS = 3;

const round1 = (n: number): number => Math.round(n * 10) / 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The p-th percentile (0 <= p <= 1) of ascending `sorted`, by linear interpolation (type 7). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

/** The reported percentiles and mean of `values`, one decimal. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p10: null, p25: null, p50: null, p75: null, p90: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round1(percentile(sorted, p));
  return {
    p10: at(0.1),
    p25: at(0.25),
    p50: at(0.5),
    p75: at(0.75),
    p90: at(0.9),
    mean: round1(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
  };
}

/** Ten bars of ten points; 100 falls in the last one. */
export function histogram(scores: readonly number[]): HistogramBin[] {
  const bins: HistogramBin[] = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 0 }));
  for (const score of scores) bins[Math.min(9, Math.floor(score / 10))]!.count += 1;
  return bins;
}

function weakestFactorOf(snapshot: ScoreSnapshot): Factor | null {
  let worst: { factor: Factor; lost: number } | null = null;
  // FACTORS order breaks ties, so the answer does not depend on the stored order.
  for (const factor of FACTORS) {
    const lost = snapshot.factors.find((f) => f.factor === factor)?.points_lost ?? 0;
    if (lost > 0 && (worst === null || lost > worst.lost)) worst = { factor, lost };
  }
  return worst?.factor ?? null;
}

function rank(members: readonly PortfolioMember[]): RankedOrganization[] {
  const rows = members.map(
    (m): RankedOrganization => ({
      rank: null,
      organization: m.name,
      sector: m.sector,
      telehealth: m.telehealth,
      score: m.snapshot?.score ?? null,
      grade: m.snapshot?.grade ?? null,
      scored_at: m.snapshot?.takenAt ?? null,
      weakest_factor: m.snapshot === undefined ? null : weakestFactorOf(m.snapshot),
    }),
  );
  // Best first, then the not rated, then the never scored; names break ties.
  const order = (r: RankedOrganization) => (r.score !== null ? 0 : r.scored_at !== null ? 1 : 2);
  rows.sort(
    (a, b) => order(a) - order(b) || (b.score ?? 0) - (a.score ?? 0) || a.organization.localeCompare(b.organization),
  );
  rows.forEach((row, i) => {
    if (row.score === null) return;
    const previous = rows[i - 1];
    row.rank = previous !== undefined && previous.score === row.score ? previous.rank : i + 1;
  });
  return rows;
}

/** Summarize `members` from their latest snapshots. */
export function summarizePortfolio(members: readonly PortfolioMember[]): PortfolioSummary {
  const snapshots = members.flatMap((m) => (m.snapshot === undefined ? [] : [m.snapshot]));
  const rated = snapshots.filter((s) => s.score !== null);
  const gradeDistribution = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  for (const s of rated) if (s.grade !== null) gradeDistribution[s.grade] += 1;
  const scores = rated.map((s) => s.score!);

  const factors = FACTORS.map((factor): PortfolioFactor => {
    const entries = rated.flatMap((s) => s.factors.filter((f) => f.factor === factor && f.score !== null));
    return {
      factor,
      rated: entries.length,
      ...percentiles(entries.map((f) => f.score!)),
      mean_points_lost:
        entries.length === 0 ? null : round2(entries.reduce((sum, f) => sum + f.points_lost, 0) / entries.length),
    };
  });
  const weakest = factors
    .filter((f) => f.mean_points_lost !== null && f.mean_points_lost > 0)
    .sort((a, b) => b.mean_points_lost! - a.mean_points_lost! || (a.p50 ?? 0) - (b.p50 ?? 0))
    .slice(0, WEAKEST_FACTORS)
    .map((f) => ({ factor: f.factor, mean_points_lost: f.mean_points_lost!, p50: f.p50 }));

  return {
    organizations: members.length,
    rated: rated.length,
    not_rated: snapshots.length - rated.length,
    not_scored: members.length - snapshots.length,
    method_versions: [...new Set(snapshots.map((s) => s.methodVersion))].sort(),
    grade_distribution: gradeDistribution,
    score: percentiles(scores),
    histogram: histogram(scores),
    factors,
    weakest_factors: weakest,
    ranked: rank(members),
  };
}
