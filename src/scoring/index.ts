/** The scoring method: pure math over RatingInput (docs/methodology.md). */
export { apportion } from './apportion.js';
export { whatIfPlan, topIssues } from './plan.js';
export type { PlanStep, TopIssue } from './plan.js';
export {
  decayWeight,
  findingPenalties,
  gradeOf,
  rate,
  rawOverallScore,
  roundScore,
  RatingInputError,
  sizeFactor,
} from './rate.js';
export * from './types.js';
