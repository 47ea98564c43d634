/** The ratings service: scorecards, snapshots and portfolio scores over the store (issue #10). */
export { ratingAdjustments } from './adjustments.js';
export type { RatingAdjustments } from './adjustments.js';
export { ratingInputs } from './rating-input.js';
export { currentScores, TREND_DAYS } from './portfolio-scores.js';
export type { OrganizationScore } from './portfolio-scores.js';
export { parseAsOf, resolveOrganization, scorecardFor } from './scorecard.js';
export type { Scorecard, ScorecardFinding, ScorecardIssue, ScorecardPlanStep } from './scorecard.js';
export { recordScoreSnapshot, recordScoreSnapshots } from './snapshots.js';
export type { RecordSnapshotOptions, SnapshotTarget } from './snapshots.js';
