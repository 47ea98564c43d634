/**
 * The JSON shapes of `vitals scorecard --format json` and `vitals portfolio --format json` (issue #10),
 * snake case as the contract names them. Domain types: the ratings and portfolio services build them,
 * the HTML reports render them, `output/schemas.ts` holds them to strict schemas, and the REST API is to
 * serve them.
 */
import type { Grade, SnapshotFactor, SnapshotReason } from './score-snapshots.js';
import type { Factor, Sector, Severity } from './types.js';

/**
 * A finding type among the top issues. Read from a snapshot, `points_lost` is null (snapshots keep counts
 * per type, not points), and so are factor and severity for a type the catalogue no longer has.
 */
export interface ScorecardIssue {
  type: string;
  title: string;
  factor: Factor | null;
  severity: Severity | null;
  findings: number;
  disputed: number;
  hosts: string[];
  points_lost: number | null;
}

/** One fix of the what-if plan. */
export interface ScorecardPlanStep {
  step: number;
  type: string;
  title: string;
  factor: Factor;
  severity: Severity;
  findings: number;
  hosts: string[];
  score_before: number;
  score_after: number;
  gain: number;
  grade_after: Grade;
  remediation: string;
}

/** One open scored finding and what it costs. */
export interface ScorecardFinding {
  id: string;
  type: string;
  factor: Factor;
  severity: Severity;
  asset: string;
  disputed: boolean;
  points_lost: number;
}

/** A dispute in force at the scorecard's date. */
export interface ScorecardDispute {
  dispute_id: string;
  finding_id: string;
  type: string;
  asset: string;
  /** `open`: the finding still counts (it is in `findings`, disputed); `accepted`: it does not. */
  status: 'open' | 'accepted';
  reason: string;
  note: string;
  expires_at: string | null;
  /** What the finding still costs (open disputes of a live scorecard); null otherwise. */
  points_lost: number | null;
}

/** One vendor (an organization of the portfolio another depends on) with its grade. */
export interface VendorGrade {
  organization: string;
  telehealth: boolean;
  score: number | null;
  grade: Grade | null;
  /** When its snapshot was taken; null when never scored. */
  scored_at: string | null;
}

/** The vendor-risk summary. */
export interface VendorRiskSummary {
  level: 'none' | 'low' | 'elevated' | 'high' | 'unknown';
  vendors: number;
  rated: number;
  /** Not rated or never scored. */
  unrated: number;
  grades: Record<Grade, number>;
  /** Mean score of the rated vendors, one decimal. */
  mean_score: number | null;
  /** The lowest-scored vendor. */
  weakest: VendorGrade | null;
  /** One sentence for the terminal. */
  text: string;
}

/** The sections on disputes and third parties every scorecard has. */
export interface ScorecardThirdPartySections {
  disputes: ScorecardDispute[];
  /** Hosts excluded from the organization at the date: their findings do not count. */
  excluded_hosts: string[];
  vendors: { summary: VendorRiskSummary; list: VendorGrade[] };
}

/** A scorecard (`vitals scorecard ORG --format json`). */
export interface Scorecard extends ScorecardThirdPartySections {
  organization: string;
  organization_id: string;
  /** The moment answered for (ISO 8601 UTC). */
  as_of: string;
  method_version: string;
  /** 'live': computed now from the open findings; 'snapshot': read from the stored history. */
  source: 'live' | 'snapshot';
  /** The snapshot answered from (source 'snapshot' only). */
  snapshot: { taken_at: string; reason: SnapshotReason; scan_id: string | null } | null;
  score: number | null;
  grade: Grade | null;
  assets: number;
  domains: number;
  factors: SnapshotFactor[];
  top_issues: ScorecardIssue[];
  plan: ScorecardPlanStep[];
  findings: ScorecardFinding[];
}

/** Telehealth organizations against the rest (the seed study's cohorts). */
export const PORTFOLIO_COHORTS = ['telehealth', 'non_telehealth'] as const;
export type PortfolioCohort = (typeof PORTFOLIO_COHORTS)[number];

/** The percentiles the portfolio reports, one decimal; null when nothing was rated. */
export interface Percentiles {
  p10: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
  mean: number | null;
}

/** One factor across the portfolio. */
export interface PortfolioFactor extends Percentiles {
  factor: Factor;
  /** Organizations whose latest snapshot rates this factor. */
  rated: number;
  /** Mean overall points this factor costs a rated organization (two decimals). */
  mean_points_lost: number | null;
}

/** One organization in the ranking. */
export interface RankedOrganization {
  /** 1 for the best score; equal scores share a rank (1, 2, 2, 4); null when not rated. */
  rank: number | null;
  organization: string;
  sector: Sector;
  telehealth: boolean;
  score: number | null;
  grade: Grade | null;
  /** When the snapshot read was taken; null when the organization was never scored. */
  scored_at: string | null;
  /** The factor that costs it the most points; null when it loses none. */
  weakest_factor: Factor | null;
}

/** One bar of the score histogram: scores in [from, to), the last bar [90, 100]. */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** The portfolio summary: how a set of organizations stands. */
export interface PortfolioSummary {
  organizations: number;
  rated: number;
  /** Scored, but no factor had data. */
  not_rated: number;
  /** Never scored (no snapshot at or before the date). */
  not_scored: number;
  method_versions: string[];
  grade_distribution: Record<Grade, number>;
  score: Percentiles;
  histogram: HistogramBin[];
  factors: PortfolioFactor[];
  weakest_factors: { factor: Factor; mean_points_lost: number; p50: number | null }[];
  ranked: RankedOrganization[];
}

/** `vitals portfolio --format json`. */
export interface PortfolioReport extends PortfolioSummary {
  as_of: string;
  filters: { sector: Sector | null; cohort: PortfolioCohort | null; vendors_of: string | null };
  /** With `--vendors-of`: the vendor-risk summary of that organization; null otherwise. */
  vendor_risk: VendorRiskSummary | null;
}
