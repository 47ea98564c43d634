/** IP reputation tables (migrations/0015-ip-reputation.ts); conventions as in schema.ts. */

/** `reputation_feeds`: one row per imported feed, keyed by its name. */
export interface ReputationFeedsTable {
  name: string;
  format: string;
  category: string;
  entry_count: number;
  imported_at: string;
}

/** `reputation_entries`: one row per network on a feed. */
export interface ReputationEntriesTable {
  feed: string;
  network: string;
  category: string;
  first_listed: string;
  last_listed: string;
}

/** `organization_networks`: the networks (CIDR) an organization declares as its own. */
export interface OrganizationNetworksTable {
  organization_id: string;
  network: string;
  created_at: string;
}

/** `vulnerability_records` (migrations/0016-vulnerability-records.ts): imported KEV and NVD data per CVE. */
export interface VulnerabilityRecordsTable {
  cve: string;
  /** JSON: the merged record (cvss, kev, affected ranges, title). */
  record: string;
  /** JSON array of what it came from (`KEV 2025.08.25`, `NVD 2025-08-25`). */
  sources: string;
  imported_at: string;
}

export interface ReputationSchema {
  reputation_feeds: ReputationFeedsTable;
  reputation_entries: ReputationEntriesTable;
  organization_networks: OrganizationNetworksTable;
  vulnerability_records: VulnerabilityRecordsTable;
}
