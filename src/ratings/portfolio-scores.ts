/**
 * Scores of many organizations at once, with a trend, for `vitals orgs list`: each organization's score
 * now (from its open findings, like the scorecard) and its change since TREND_DAYS ago, read from the
 * snapshot history.
 */
import { getScoringMethod } from '../catalogue/scoring-method.js';
import type { SnapshotFactor } from '../core/score-snapshots.js';
import { rate, roundScore } from '../scoring/rate.js';
import type { Grade } from '../scoring/types.js';
import type { Store } from '../store/database.js';
import { ratingInputs } from './rating-input.js';
import { snapshotFactors } from './snapshots.js';

/** The trend compares the score now with the one recorded this many days ago. */
export const TREND_DAYS = 30;

export interface OrganizationScore {
  score: number | null;
  grade: Grade | null;
  factors: SnapshotFactor[];
  /**
   * Points gained (positive) or lost since the latest snapshot at or before TREND_DAYS ago, or since the
   * first snapshot when the history is younger; null without a scored snapshot to compare with.
   */
  trend: number | null;
  /** When the snapshot compared with was taken. */
  trendSince: string | null;
}

/** Score, grade, factors and trend of each organization, now. */
export async function currentScores(
  store: Store,
  organizationIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, OrganizationScore>> {
  const method = getScoringMethod();
  const at = now.toISOString();
  const since = new Date(now.getTime() - TREND_DAYS * 86_400_000).toISOString();
  const minTrendAge = new Date(now.getTime() - 86_400_000).toISOString();
  const inputs = await ratingInputs(store, organizationIds, at);
  const scores = new Map<string, OrganizationScore>();
  for (const [organizationId, input] of inputs) {
    const rating = rate(input, method);
    const found =
      (await store.scoreSnapshots.latestSnapshotAsOf(organizationId, since)) ??
      (await store.scoreSnapshots.snapshotHistory(organizationId, { to: at }))[0];
    // A trend needs a past: against a snapshot of the last day (the first scan, just made) it would read
    // "0.0", as if nothing had changed, where the truth is that there is no history yet.
    const reference = found !== undefined && Date.parse(found.takenAt) <= Date.parse(minTrendAge) ? found : undefined;
    const comparable = rating.score !== null && reference !== undefined && reference.score !== null;
    scores.set(organizationId, {
      score: rating.score,
      grade: rating.grade,
      factors: snapshotFactors(rating),
      trend: comparable ? roundScore(rating.score! - reference.score!) : null,
      trendSince: comparable ? reference.takenAt : null,
    });
  }
  return scores;
}
