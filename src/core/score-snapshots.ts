/**
 * A score snapshot: an organization's rating as it stood at one scoring event (RATINGS.md,
 * "score_snapshots"). Written by the ratings service, read by `--as-of`, trends, the study and the
 * portfolio. Field names of the JSON parts are the contract's (snake case, as in the scorecard JSON).
 */
import type { Factor } from './types.js';

/** Letter grades, best first (thresholds are the scoring method's). */
export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export type Grade = (typeof GRADES)[number];

/** Why a snapshot was taken. */
export const SNAPSHOT_REASONS = ['scan', 'dispute', 'exclusion', 'history'] as const;
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number];

/** One factor in a snapshot: every factor appears, a factor not rated with score and grade null. */
export interface SnapshotFactor {
  factor: Factor;
  score: number | null;
  grade: Grade | null;
  /** Open scored findings of the factor. */
  findings: number;
  /** Points of the overall score this factor cost (two decimals). */
  points_lost: number;
}

/** A snapshot as written (the id is generated when absent). */
export interface ScoreSnapshotInput {
  id?: string;
  organizationId: string;
  scanId: string | null;
  /** ISO 8601 UTC; for a scan, its finish time on the scan's clock. */
  takenAt: string;
  reason: SnapshotReason;
  methodVersion: string;
  /** Overall score, null when not rated (then grade is null too). */
  score: number | null;
  grade: Grade | null;
  factors: SnapshotFactor[];
  /** Open scored findings per finding type. */
  findingCounts: Record<string, number>;
  /**
   * Points of the overall score each finding type cost (two decimals), so a past scorecard's top issues
   * carry their points. Absent on snapshots written before it was recorded (migration 0011).
   */
  findingPoints?: Record<string, number>;
  domainCount: number;
  assetCount: number;
}

/** A stored snapshot. */
export interface ScoreSnapshot extends ScoreSnapshotInput {
  id: string;
}
