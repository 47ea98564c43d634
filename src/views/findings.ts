/**
 * The finding records `vitals findings` prints and the REST API serves (FindingOutput): each stored finding
 * with the dispute in force on it and whether its host is excluded, as they stand now.
 */
import type { FindingFilter } from '../store/repos/findings.repo.js';
import { findingToJson, type FindingJson } from '../scanner/report.js';
import type { Store } from '../store/database.js';

/** Stored findings matching `filter`, with their dispute and exclusion standing at `at`. */
export async function findingRows(store: Store, filter: FindingFilter, at: Date = new Date()): Promise<FindingJson[]> {
  const findings = await store.findings.listFindings(filter);
  // Disputes and exclusions as they stand now, so a disputed finding is never shown without its note.
  const disputes = await store.disputes.inForceByFinding(at, filter.organizationId);
  const excluded = new Set(
    (await store.disputes.listExclusions(filter.organizationId)).map((e) => `${e.organizationId} ${e.host}`),
  );
  return findings.map((f): FindingJson => {
    const dispute = disputes.get(f.id);
    return {
      ...findingToJson(f),
      dispute:
        dispute === undefined
          ? null
          : {
              id: dispute.id,
              status: dispute.status === 'accepted' ? 'accepted' : 'open',
              reason: dispute.reason,
              note: dispute.note,
              expires_at: dispute.expiresAt,
            },
      asset_excluded: excluded.has(`${f.organizationId} ${f.asset.host}`),
    };
  });
}
