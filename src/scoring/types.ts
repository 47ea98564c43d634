/**
 * The scoring method's input and output (issue #10 section 1). Pure data: src/scoring does no I/O, the
 * ratings service (src/ratings) builds the input from the store.
 */
import type { Factor, Severity } from '../core/types.js';

import type { Grade } from '../core/score-snapshots.js';

export { GRADES } from '../core/score-snapshots.js';
export type { Grade } from '../core/score-snapshots.js';

/** Every constant of the method (src/catalogue/scoring-method.json, validated at load). */
export interface ScoringMethod {
  /** Semantic version, stored with every score: a change of any constant is a new version. */
  version: string;
  /** Date (YYYY-MM-DD) this version took effect. */
  released: string;
  /** Points one finding of each severity costs in its factor, before repeat, decay and size. */
  severityWeights: Record<Severity, number>;
  /** Weight of each factor in the overall score, and whether its penalty is divided by the size factor. */
  factors: Record<Factor, { weight: number; sizeNormalized: boolean }>;
  /** factor score = 100 * exp(-penalty / penaltyScale): the penalty that takes a factor to 100/e (36.8). */
  penaltyScale: number;
  /** The k-th repeat (0-based, largest first) of one finding type counts repeatRatio^k of its weight. */
  repeatRatio: number;
  /** size factor = max(1, (assets / referenceAssets) ^ exponent). */
  sizeNormalization: { referenceAssets: number; exponent: number };
  /** Full weight up to fullWeightDays since last confirmed, then linearly down to 0 at zeroWeightDays. */
  decay: { fullWeightDays: number; zeroWeightDays: number };
  /** Lowest score of each grade, best grade first; the last one is 0. */
  grades: { grade: Grade; min: number }[];
  /** How many finding types the scorecard lists as top issues. */
  topIssues: number;
  /** How many fixes the what-if plan lists at most. */
  planSteps: number;
}

/** One open finding as the method sees it (RATINGS.md "Scoring input"). */
export interface ScoringFinding {
  id: string;
  /** Catalogue finding type id (`dns.spf.missing`). */
  type: string;
  factor: Factor;
  severity: Severity;
  assetHost: string;
  /** When a scan last saw it (the finding's last_seen): older sightings decay. */
  lastConfirmedAt: string;
  /** An open dispute: still scored, shown as disputed. */
  disputed: boolean;
}

/** Everything the method needs to rate one organization at one moment. */
export interface RatingInput {
  /** The moment rated (ISO 8601): decay is measured from here. */
  asOf: string;
  /** Hosts the organization has (its assets): the size used for normalization. */
  assetCount: number;
  /**
   * Factors with data: at least one check of the factor has run for the organization. A factor not in
   * this set is "not rated" (score null) and left out of the overall score. Every finding's factor must
   * be in it (a finding is data).
   */
  assessedFactors: readonly Factor[];
  /** Open findings to score (accepted disputes and excluded assets already removed by the caller). */
  findings: readonly ScoringFinding[];
}

/** What one finding costs. */
export interface FindingAttribution {
  id: string;
  type: string;
  factor: Factor;
  severity: Severity;
  assetHost: string;
  disputed: boolean;
  /** Penalty points inside its factor after repeat, decay and size (unrounded). */
  penalty: number;
  /** Points of the overall score this finding costs, in hundredths; all of them sum to 100 - score. */
  pointsLostHundredths: number;
}

/** One factor's result. A factor not rated has score and grade null, no findings and no lost points. */
export interface FactorRating {
  factor: Factor;
  /** 0-100, one decimal; null when not rated. */
  score: number | null;
  grade: Grade | null;
  /** Open findings of this factor that were scored (a fully decayed one counts, for 0 points). */
  findings: number;
  /** Points of the overall score this factor costs, in hundredths (sum of its findings'). */
  pointsLostHundredths: number;
}

/** A rating: overall, per factor, and per finding. */
export interface Rating {
  methodVersion: string;
  asOf: string;
  /** 0-100, one decimal; null when no factor is rated. */
  score: number | null;
  grade: Grade | null;
  /** Every factor, in the order of FACTORS. */
  factors: FactorRating[];
  /** Every input finding, most points lost first (ties: id). */
  findings: FindingAttribution[];
}
