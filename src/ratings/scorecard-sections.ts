/**
 * The scorecard's sections on disputes and third parties (issue #10 sections 4 and 5): which findings
 * are disputed (an open dispute still counts, an accepted one does not), which hosts are excluded, and
 * the organization's vendors with their grades and a vendor-risk summary, all as of the scorecard's date.
 */
import { vendorGrades } from '../portfolio/service.js';
import type { ScorecardDispute, ScorecardThirdPartySections } from '../core/scorecard.js';
import type { StoreRepos } from '../store/database.js';

/** The sections for `organizationId` at `asOf`; `findings` are the scorecard's scored findings (live only). */
export async function scorecardSections(
  repos: StoreRepos,
  organizationId: string,
  asOf: string,
  findings: readonly { id: string; points_lost: number }[],
): Promise<ScorecardThirdPartySections> {
  const cost = new Map(findings.map((f) => [f.id, f.points_lost]));
  const disputes = [...(await repos.disputes.inForceByFinding(asOf, organizationId)).values()]
    .map(
      (d): ScorecardDispute => ({
        dispute_id: d.id,
        finding_id: d.findingId,
        type: d.findingType,
        asset: d.assetHost,
        status: d.status === 'accepted' ? 'accepted' : 'open',
        reason: d.reason,
        note: d.note,
        expires_at: d.expiresAt,
        points_lost: d.status === 'accepted' ? null : (cost.get(d.findingId) ?? null),
      }),
    )
    .sort((a, b) => a.status.localeCompare(b.status) || a.type.localeCompare(b.type) || a.asset.localeCompare(b.asset));
  const excluded = [...(await repos.disputes.excludedHosts(organizationId, asOf))].sort();
  const { vendors, summary } = await vendorGrades(repos, organizationId, asOf);
  return { disputes, excluded_hosts: excluded, vendors: { summary, list: vendors } };
}
