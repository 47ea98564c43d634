/**
 * Builds the scoring method's input for organizations from the store: their open findings (after
 * disputes and exclusions), their size in assets, and the factors with data. A factor has data when a
 * check of it has run for the organization: the latest snapshot at or before the moment remembers the
 * factors rated so far, the current event adds what it assessed, and any open finding's factor counts.
 */
import { FACTORS } from '../core/types.js';
import type { Factor } from '../core/types.js';
import type { RatingInput, ScoringFinding } from '../scoring/types.js';
import type { StoreRepos } from '../store/database.js';
import { applyAdjustments, ratingAdjustments } from './adjustments.js';

/** The input for each organization, at `at` (ISO 8601); `assessedNow` adds factors the current event assessed. */
export async function ratingInputs(
  repos: StoreRepos,
  organizationIds: readonly string[],
  at: string,
  assessedNow: ReadonlyMap<string, readonly Factor[]> = new Map(),
): Promise<Map<string, RatingInput>> {
  const open = await repos.scoringInputs.openFindings(organizationIds);
  const assetCounts = await repos.scoringInputs.assetCounts(organizationIds);
  const byOrganization = new Map<string, typeof open>();
  for (const f of open) {
    const list = byOrganization.get(f.organizationId);
    if (list === undefined) byOrganization.set(f.organizationId, [f]);
    else list.push(f);
  }
  const inputs = new Map<string, RatingInput>();
  for (const organizationId of new Set(organizationIds)) {
    const adjustments = await ratingAdjustments(repos, organizationId, at);
    const findings: ScoringFinding[] = applyAdjustments(byOrganization.get(organizationId) ?? [], adjustments).map(
      (f) => ({
        id: f.id,
        type: f.type,
        factor: f.factor,
        severity: f.severity,
        assetHost: f.assetHost,
        lastConfirmedAt: f.lastSeen,
        disputed: f.disputed,
      }),
    );
    const previous = await repos.scoreSnapshots.latestSnapshotAsOf(organizationId, at);
    const assessed = new Set<Factor>([
      ...(previous?.factors.filter((f) => f.score !== null).map((f) => f.factor) ?? []),
      ...(assessedNow.get(organizationId) ?? []),
      ...findings.map((f) => f.factor),
    ]);
    inputs.set(organizationId, {
      asOf: at,
      assetCount: assetCounts.get(organizationId) ?? 0,
      assessedFactors: FACTORS.filter((f) => assessed.has(f)),
      findings,
    });
  }
  return inputs;
}
