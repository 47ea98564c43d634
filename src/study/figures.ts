/**
 * What the study reads for one organization in one period, and the shapes it reports. Pure types and
 * the few constants the study and its readers (CLI, HTML report) share.
 */

/** Cohorts: every organization, and the telehealth split (the same names as `vitals portfolio --cohort`). */
export const COHORTS = ['all', 'telehealth', 'non_telehealth'] as const;
export type Cohort = (typeof COHORTS)[number];

/** The factor name of the row that adds up every factor. */
export const ALL_FACTORS = 'all';

/**
 * What a change says about posture. Findings are weaknesses, so more of them is a decline. A change is
 * only called when its 95% interval excludes 0; `insufficient_data` when it cannot be estimated (no
 * organization with data in both periods, or no finding at all in the first period).
 */
export const DIRECTIONS = ['improved', 'declined', 'no_significant_change', 'insufficient_data'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** One organization in one period: from the last score snapshot it has in that period. */
export interface OrganizationPeriodFigures {
  organizationId: string;
  telehealth: boolean;
  /** `YYYY-MM`. */
  period: string;
  /** Domains the organization had when scored: the per-domain figures divide by it. */
  domainCount: number;
  /** Open scored findings per rated factor. A factor left out was not rated (no data), which is not 0. */
  factors: Readonly<Record<string, number>>;
  /** Open scored findings per finding type (catalogue id); a type left out had none. */
  findingTypes: Readonly<Record<string, number>>;
}

/** A change from the first period to the last, with its bootstrap interval. */
export interface ChangeEstimate {
  /** Mean over the paired organizations in the first and the last period. */
  first: number | null;
  last: number | null;
  /** 100 x (last - first) / first; null when first is 0 or nothing is paired. */
  change_pct: number | null;
  /** The percentile bootstrap interval of change_pct; null when unbounded or not estimable. */
  ci_low: number | null;
  ci_high: number | null;
  direction: Direction;
}

/** One factor (or `all`) in one cohort: findings per domain (the headline) and per organization. */
export interface FactorChange extends ChangeEstimate {
  factor: string;
  cohort: Cohort;
  /** Organizations paired for this factor: data (and the factor rated) in both periods. */
  organizations: number;
  /** The same change measured as findings per organization. */
  per_organization: ChangeEstimate;
}

/** One finding type in one cohort. */
export interface FindingTypeChange extends ChangeEstimate {
  type: string;
  factor: string;
  cohort: Cohort;
  organizations: number;
  per_organization: ChangeEstimate;
}

/** Descriptive figures of one period (every organization with data in it, paired or not). */
export interface PeriodFigure {
  period: string;
  cohort: Cohort;
  organizations: number;
  findings_per_organization: number | null;
  findings_per_domain: number | null;
}

export interface FactorPeriodFigure extends PeriodFigure {
  factor: string;
}

export interface FindingTypePeriodFigure extends PeriodFigure {
  type: string;
  factor: string;
}

/** Telehealth's change against the rest's, in percentage points, with a bootstrap interval. */
export interface CohortComparison {
  factor: string;
  telehealth_change_pct: number | null;
  non_telehealth_change_pct: number | null;
  difference_pct_points: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** Whether the interval of the difference excludes 0. */
  significant: boolean;
}

/** Organizations of one cohort and how many of them the change could use. */
export interface CohortSummary {
  cohort: Cohort;
  /** With data in at least one period of the study. */
  organizations: number;
  /** With data in the first and the last period: the organizations every change is measured on. */
  paired: number;
  /** With data in the first period only, or the last only: left out of every change. */
  first_only: number;
  last_only: number;
  /** With data in neither the first nor the last period (only in months between; `--by month`). */
  between_only: number;
}

/** One study period with its coverage. */
export interface PeriodSummary {
  period: string;
  start: string;
  end: string;
  organizations: Record<Cohort, number>;
}

/** How the numbers were made: enough for a reader to redo them. */
export interface StudyMethod {
  unit: 'organization';
  headline_measure: 'findings_per_domain';
  measures: string[];
  snapshot_rule: string;
  change: string;
  pairing: string;
  interval: string;
  confidence: number;
  resamples: number;
  seed: number;
  strata: Cohort[];
}

/** What a study could not see; the HTML report's caveats section reads this. */
export interface StudyCaveats {
  organizations: number;
  paired: number;
  first_only: number;
  last_only: number;
  between_only: number;
  /** Snapshots that named no domain (per-domain figures impossible): left out of the study. */
  without_domains: number;
  notes: string[];
}

/** Dark-web mentions of the study's organizations, per document class and month (added by the service). */
export interface MentionFigure {
  month: string;
  class: string;
  cohort: Cohort;
  mentions: number;
  organizations: number;
}

import type { LifecycleReport } from './lifecycle.js';

/** The whole study: JSON as printed by `vitals study --format json`. */
export interface StudyReport {
  from: string;
  to: string;
  by: 'span' | 'month';
  method: StudyMethod;
  periods: PeriodSummary[];
  cohorts: CohortSummary[];
  factors: FactorChange[];
  finding_types: FindingTypeChange[];
  comparison: CohortComparison[];
  series: FactorPeriodFigure[];
  finding_type_series: FindingTypePeriodFigure[];
  /** Finding lifecycle per period (from the findings' transition events; added by the service). */
  lifecycle?: LifecycleReport;
  /** Dark-web mentions of the portfolio by document class and month (added by the service). */
  darkweb?: { mentions: MentionFigure[]; undated_rule: string };
  caveats: StudyCaveats;
}
