/**
 * What disputes and exclusions change in an organization's scoring as of a date (RATINGS.md): findings
 * whose dispute was accepted (and has not expired) and findings on excluded assets leave the score;
 * findings under an open dispute stay in it, marked disputed.
 */
import type { StoreRepos } from '../store/database.js';

export interface RatingAdjustments {
  /** Finding ids whose dispute was accepted and is in force as of the date: not scored. */
  accepted: ReadonlySet<string>;
  /** Finding ids under an open dispute as of the date: scored, shown as disputed. */
  open: ReadonlySet<string>;
  /** Asset hosts excluded as not the organization's as of the date: their findings are not scored. */
  excludedHosts: ReadonlySet<string>;
}

/** The adjustments of one organization as of `asOf`, from the disputes and exclusions tables (migration 0006). */
export async function ratingAdjustments(
  repos: StoreRepos,
  organizationId: string,
  asOf: string,
): Promise<RatingAdjustments> {
  return {
    accepted: await repos.disputes.acceptedDisputeFindingIds(organizationId, asOf),
    open: await repos.disputes.openDisputeFindingIds(organizationId, asOf),
    excludedHosts: await repos.disputes.excludedHosts(organizationId, asOf),
  };
}

/** Applies adjustments to an organization's open findings: drops the removed ones, marks the disputed. */
export function applyAdjustments<T extends { id: string; assetHost: string }>(
  findings: readonly T[],
  adjustments: RatingAdjustments,
): (T & { disputed: boolean })[] {
  return findings
    .filter((f) => !adjustments.accepted.has(f.id) && !adjustments.excludedHosts.has(f.assetHost))
    .map((f) => ({ ...f, disputed: adjustments.open.has(f.id) }));
}
