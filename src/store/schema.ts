/**
 * Table shapes as Kysely sees them. Identical on SQLite and PostgreSQL: ids are text UUIDs generated
 * here, timestamps are ISO-8601 UTC text (sorts lexicographically), JSON is text parsed in the repos,
 * booleans are 0/1 integers.
 */

/** `organizations`: one row per monitored organization. */
export interface OrganizationsTable {
  id: string;
  name: string;
  /** Lower-cased, whitespace-collapsed name: the uniqueness and upsert key. */
  name_key: string;
  aliases: string;
  sector: string;
  domains: string;
  telehealth: number;
  tags: string;
  created_at: string;
  updated_at: string;
}

/**
 * `organization_alias_judgements`: whether each alias counts alone, and why (migration 0014; written by
 * `orgs import` and the dark-web ingestion's corpus counts).
 */
export interface OrganizationAliasJudgementsTable {
  organization_id: string;
  alias: string;
  /** 1 ambiguous (counts only with corroboration), 0 counts alone. */
  ambiguous: number;
  /** english_word, place_name, acronym, shared, override, corpus or none. */
  reason: string;
  detail: string;
  /** Documents where the alias matched. */
  occurrences: number;
  /** Of those, documents with none of the organization's unambiguous terms. */
  standalone: number;
  judged_at: string;
}

/** `assets`: hosts discovered for an organization. */
export interface AssetsTable {
  id: string;
  organization_id: string;
  hostname: string;
  addresses: string;
  open_ports: string;
  sources: string;
  first_seen: string;
  last_seen: string;
  /** JSON array of CPE 2.3 names the web probe recognised (migration 0017). */
  cpes: string;
  /** JSON array of tags such as `telehealth` (migration 0017). */
  tags: string;
}

/** `scans`: one row per scan run. */
export interface ScansTable {
  id: string;
  scope: string;
  started_at: string;
  finished_at: string | null;
  counts: string;
  errors: string;
}

/** `observations`: controls, not-assessed records and raw probe facts from a scan. */
export interface ObservationsTable {
  id: string;
  scan_id: string;
  organization_id: string;
  asset_host: string;
  probe: string;
  kind: string;
  payload: string;
  observed_at: string;
}

/** `findings`: the lifecycle-tracked weaknesses. */
export interface FindingsTable {
  id: string;
  organization_id: string;
  type: string;
  factor: string;
  severity: string;
  asset_host: string;
  asset_ip: string | null;
  /**
   * 0 means "no port": port 0 is reserved (RFC 6335 section 6), and a NOT NULL column keeps the unique key working
   * (NULLs never collide).
   */
  asset_port: number;
  evidence: string;
  first_seen: string;
  last_seen: string;
  status: string;
  resolved_at: string | null;
  reopen_count: number;
  last_scan_id: string;
}

/** `finding_events`: one row per lifecycle transition of a finding (migrations/0008-finding-events.ts). */
export interface FindingEventsTable {
  id: string;
  finding_id: string;
  organization_id: string;
  type: string;
  factor: string;
  severity: string;
  /** 'opened' | 'resolved' | 'reopened'. */
  event: string;
  at: string;
  scan_id: string | null;
}

/** `score_snapshots`: an organization's rating at one scoring event (migrations/0007-score-snapshots.ts). */
export interface ScoreSnapshotsTable {
  id: string;
  organization_id: string;
  scan_id: string | null;
  taken_at: string;
  reason: string;
  method_version: string;
  score: number | null;
  grade: string | null;
  /** JSON: [{factor, score, grade, findings, points_lost}] for every factor. */
  factors: string;
  /** JSON: {"<finding type>": count of open scored findings}. */
  finding_counts: string;
  /** JSON: {"<finding type>": points of the overall score lost}; null before migration 0011. */
  finding_points: string | null;
  domain_count: number;
  asset_count: number;
}

import type { DarkwebSchema } from './schema-darkweb.js';
import type { AlertsSchema } from './schema-alerts.js';
import type { DisputesSchema } from './schema-disputes.js';
import type { UsersSchema } from './schema-users.js';
import type { ReputationSchema } from './schema-reputation.js';

/**
 * The whole database as Kysely's type parameter: the core tables plus the dark-web, alert, dispute, user and
 * IP reputation tables.
 */
export interface StoreSchema extends DarkwebSchema, AlertsSchema, DisputesSchema, UsersSchema, ReputationSchema {
  organizations: OrganizationsTable;
  organization_alias_judgements: OrganizationAliasJudgementsTable;
  assets: AssetsTable;
  scans: ScansTable;
  observations: ObservationsTable;
  findings: FindingsTable;
  finding_events: FindingEventsTable;
  score_snapshots: ScoreSnapshotsTable;
}
