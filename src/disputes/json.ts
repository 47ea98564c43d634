/**
 * The JSON shapes `vitals dispute list`, `vitals assets excluded` and `vitals audit` print. Field names
 * are a contract: add, never rename.
 */
import { disputeStatusAt } from '../core/disputes.js';
import type { AssetExclusion, AuditEntry, Dispute, DisputeStatus } from '../core/disputes.js';

/** A dispute as printed; `status` is judged at the time of printing (`expired` once past its expiry). */
export interface DisputeJson {
  id: string;
  finding_id: string;
  organization: string;
  finding_type: string;
  asset_host: string;
  reason: string;
  note: string;
  status: DisputeStatus;
  expires_at: string | null;
  created_by: string;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export function disputeToJson(dispute: Dispute, at: string): DisputeJson {
  return {
    id: dispute.id,
    finding_id: dispute.findingId,
    organization: dispute.organizationName,
    finding_type: dispute.findingType,
    asset_host: dispute.assetHost,
    reason: dispute.reason,
    note: dispute.note,
    status: disputeStatusAt(dispute, at),
    expires_at: dispute.expiresAt,
    created_by: dispute.createdBy,
    created_at: dispute.createdAt,
    decided_by: dispute.decidedBy,
    decided_at: dispute.decidedAt,
    decision_note: dispute.decisionNote,
  };
}

/** An asset exclusion as printed. */
export interface ExclusionJson {
  id: string;
  organization: string;
  host: string;
  reason: string;
  created_by: string;
  created_at: string;
}

export function exclusionToJson(exclusion: AssetExclusion): ExclusionJson {
  return {
    id: exclusion.id,
    organization: exclusion.organizationName,
    host: exclusion.host,
    reason: exclusion.reason,
    created_by: exclusion.createdBy,
    created_at: exclusion.createdAt,
  };
}

/** An audit log row as printed. */
export interface AuditJson {
  seq: number;
  at: string;
  actor: string;
  action: string;
  organization: string;
  subject_id: string;
  finding_id: string | null;
  finding_type: string | null;
  asset_host: string | null;
  reason: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

export function auditToJson(entry: AuditEntry): AuditJson {
  return {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    organization: entry.organizationName,
    subject_id: entry.subjectId,
    finding_id: entry.findingId,
    finding_type: entry.findingType,
    asset_host: entry.assetHost,
    reason: entry.reason,
    note: entry.note,
    details: entry.details,
  };
}
