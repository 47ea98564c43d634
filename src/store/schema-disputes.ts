/**
 * Dispute, exclusion and audit tables (issue #10 section 5), created by migrations/0006-disputes-audit.ts,
 * and the vendor links of section 4 (0009-organization-vendors.ts).
 * Same conventions as schema.ts: text ids, ISO-8601 UTC text timestamps, JSON as text.
 */

/** `disputes`: one row per dispute of a finding; decided once, never deleted (but with its organization). */
export interface DisputesTable {
  id: string;
  organization_id: string;
  finding_id: string;
  /** One of DISPUTE_REASONS (core/disputes.ts). */
  reason: string;
  note: string;
  /** `open`, `accepted` or `rejected`; `expired` is derived from `expires_at` when read. */
  status: string;
  expires_at: string | null;
  created_by: string;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

/** `asset_exclusions`: hosts an organization says are not its own, one row per (organization, host). */
export interface AssetExclusionsTable {
  id: string;
  organization_id: string;
  host: string;
  reason: string;
  created_by: string;
  created_at: string;
}

/**
 * `audit_log`: append-only; triggers refuse UPDATE and DELETE. No foreign keys on purpose: the log
 * outlives the organization, finding or dispute it names (a cascade would also be refused).
 */
export interface AuditLogTable {
  /** 1, 2, 3...: gap-free, so a removed row would show. */
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  organization_id: string;
  organization_name: string;
  subject_id: string;
  finding_id: string | null;
  finding_type: string | null;
  asset_host: string | null;
  reason: string | null;
  note: string | null;
  details: string;
}

/** `organization_vendors` (migrations/0009-organization-vendors.ts): organization depends on vendor. */
export interface OrganizationVendorsTable {
  organization_id: string;
  vendor_id: string;
  created_at: string;
}

/** The dispute and third-party tables as Kysely sees them. */
export interface DisputesSchema {
  disputes: DisputesTable;
  asset_exclusions: AssetExclusionsTable;
  audit_log: AuditLogTable;
  organization_vendors: OrganizationVendorsTable;
}
