/**
 * The shapes Vitals prints as JSON and JSON Lines (docs/scan-output.md, docs/darkweb.md), one zod schema
 * each. Every command validates what it prints against its schema before printing it, so a change that
 * drifts from the contract fails the tests instead of shipping; a REST API will serve the same shapes.
 * Field names are a contract: add fields (here first), never rename or drop them. Objects are strict, so a
 * field printed but missing here is an error too.
 */
import { z } from 'zod';
import { ROLES } from '../core/auth.js';
import { ASSET_TAGS } from '../core/asset.js';
import { ENTITY_TYPES } from '../core/darkweb.js';
import { DISPUTE_REASONS, DISPUTE_STATUSES } from '../core/disputes.js';
import { GRADES, SNAPSHOT_REASONS } from '../core/score-snapshots.js';
import { FACTORS, SEVERITIES, STORED_SECTORS } from '../core/types.js';
import { DOCUMENT_CLASSES, SOURCE_TYPES } from '../darkweb/types.js';
import { COHORTS as STUDY_COHORTS, DIRECTIONS } from '../study/figures.js';

/** An ISO-8601 UTC timestamp as the store writes it (`2026-11-28T14:00:00.000Z`). */
const Timestamp = z.iso.datetime();
const Count = z.number().int().nonnegative();
const Severity = z.enum(SEVERITIES);
const SourceType = z.enum(SOURCE_TYPES);
const DocumentClass = z.enum(DOCUMENT_CLASSES);
const ByDocumentClass = z.partialRecord(DocumentClass, Count);

/** What a finding, control or not-assessed record is about; `ip` and `port` only for a server. */
export const AssetRefOutput = z.strictObject({
  host: z.string(),
  ip: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
});

/** One finding: `scan --format json|jsonl` and `findings --format json|jsonl`. */
export const FindingOutput = z.strictObject({
  /** The store's id: what `vitals dispute add` takes. */
  id: z.string().min(1),
  type: z.string().min(1),
  title: z.string(),
  factor: z.enum(FACTORS),
  severity: Severity,
  organization: z.string(),
  asset: AssetRefOutput,
  evidence: z.record(z.string(), z.unknown()),
  first_seen: Timestamp,
  last_seen: Timestamp,
  status: z.enum(['open', 'resolved']),
  resolved_at: Timestamp.nullable(),
  /** `vitals findings` only: the dispute in force on the finding, or null. */
  dispute: z
    .strictObject({
      id: z.string().min(1),
      status: z.enum(['open', 'accepted']),
      reason: z.string(),
      note: z.string(),
      expires_at: Timestamp.nullable(),
    })
    .nullable()
    .optional(),
  /** `vitals findings` only: the finding's host is excluded from the organization. */
  asset_excluded: z.boolean().optional(),
});

/** `vitals tls ENDPOINT --format json`: one endpoint's TLS assessment, its SSL Labs grade and findings. */
export const TlsReportOutput = z.strictObject({
  endpoint: z.strictObject({ host: z.string(), address: z.string(), port: z.number().int().min(1).max(65535) }),
  /** `completed`; `no_service` (refused or unreachable); `not_assessed` (garbage, a stall, the policy...). */
  status: z.enum(['completed', 'no_service', 'not_assessed']),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
  observed_at: Timestamp.nullable(),
  connections: Count.nullable(),
  versions: z.array(
    z.strictObject({
      version: z.enum(['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']),
      supported: z.boolean(),
      server_preference: z.boolean().nullable(),
      suites: z.array(
        z.strictObject({ code: z.string().regex(/^0x[0-9a-f]{4,6}$/), name: z.string(), key_exchange: z.string() }),
      ),
    }),
  ),
  groups: z.array(z.string()),
  certificate: z
    .strictObject({
      trust: z.enum(['trusted', 'incomplete', 'untrusted']),
      trust_detail: z.string(),
      chain: z.array(
        z.strictObject({
          subject: z.string(),
          issuer: z.string(),
          not_before: Timestamp,
          not_after: Timestamp,
          dns_names: z.array(z.string()),
          key: z.string(),
          signature: z.string(),
          self_signed: z.boolean(),
          sha256: z.string(),
        }),
      ),
    })
    .nullable(),
  grade: z
    .strictObject({
      grade: z.enum(['A+', 'A', 'B', 'C', 'D', 'E', 'F', 'T', 'M']),
      grade_ignoring_trust: z.enum(['A+', 'A', 'B', 'C', 'D', 'E', 'F']),
      score: z.number(),
      protocol: z.number(),
      key_exchange: z.number(),
      cipher: z.number(),
      caps: z.array(z.strictObject({ grade: z.string(), reason: z.string() })),
    })
    .nullable(),
  findings: z.array(FindingOutput),
  not_assessed: z.array(z.strictObject({ check: z.string(), reason: z.string() })),
});

/** One discovered host in `scan --format json`. */
export const AssetOutput = z.strictObject({
  organization: z.string(),
  host: z.string(),
  addresses: z.array(z.string()),
  cname_chain: z.array(z.string()),
  discovered_by: z.array(z.string()),
  /** Where the web probe reached the host: the CPE 2.3 names it recognised and `telehealth` when it serves it. */
  cpes: z.array(z.string().startsWith('cpe:2.3:')).optional(),
  tags: z.array(z.enum(ASSET_TAGS)).optional(),
});

/**
 * One endpoint's grade: `tls` the SSL Labs-style grade of a TLS endpoint (host, address, port), `headers`
 * the Observatory-style header grade of a host's web site (no port).
 */
export const EndpointGradeOutput = z.strictObject({
  kind: z.enum(['tls', 'headers']),
  host: z.string(),
  address: z.string(),
  port: z.number().int().min(1).max(65535).nullable(),
  grade: z.string().min(1),
  score: z.number(),
});

/** A good practice found on the way (`controls` of `scan --format json`). */
export const ControlOutput = z.strictObject({
  control: z.string().min(1),
  organization: z.string(),
  asset: AssetRefOutput,
  evidence: z.record(z.string(), z.unknown()),
});

/** A check that could not be judged on a host (`not_assessed` of `scan --format json`). */
export const NotAssessedOutput = z.strictObject({
  check: z.string().min(1),
  organization: z.string(),
  asset: AssetRefOutput,
  reason: z.string(),
});

/** The `scan` part of `scan --format json`: settings, counts and failed targets. */
export const ScanSummaryOutput = z.strictObject({
  id: z.string().min(1),
  started_at: Timestamp,
  finished_at: Timestamp,
  resolver: z.string(),
  trust_anchor: z.string(),
  wordlist: z.boolean(),
  wordlist_file: z.string().nullable(),
  permutations: z.boolean(),
  // The named counts always, plus `severity_<severity>` for each severity.
  counts: z
    .object({
      targets: Count,
      scanned: Count,
      refused: Count,
      failed: Count,
      assets: Count,
      findings: Count,
      controls: Count,
      not_assessed: Count,
    })
    .catchall(Count),
  errors: z.array(z.looseObject({ message: z.string(), target: z.string().optional() })),
});

/** A check that ran in the scan, with its coverage (`checks` of `scan --format json`). */
export const CheckRunOutput = z.strictObject({
  id: z.string().min(1),
  finding_types: z.array(z.string()),
  targets: Count,
  assets: Count,
  not_assessed: Count,
});

/** `scan --format json`: one document when the scan ends. */
export const ScanReportOutput = z.strictObject({
  scan: ScanSummaryOutput,
  checks: z.array(CheckRunOutput),
  assets: z.array(AssetOutput),
  findings: z.array(FindingOutput),
  controls: z.array(ControlOutput),
  not_assessed: z.array(NotAssessedOutput),
  /** Each graded web and TLS endpoint of the scan. */
  endpoint_grades: z.array(EndpointGradeOutput.extend({ organization: z.string() })),
});

/** One dispute of a finding (`dispute list`). */
export const DisputeOutput = z.strictObject({
  id: z.string().min(1),
  finding_id: z.string().min(1),
  organization: z.string(),
  finding_type: z.string(),
  asset_host: z.string(),
  reason: z.enum(DISPUTE_REASONS),
  note: z.string(),
  status: z.enum(DISPUTE_STATUSES),
  expires_at: Timestamp.nullable(),
  created_by: z.string(),
  created_at: Timestamp,
  decided_by: z.string().nullable(),
  decided_at: Timestamp.nullable(),
  decision_note: z.string().nullable(),
});

/** A host excluded from an organization's rating (`assets excluded`). */
export const AssetExclusionOutput = z.strictObject({
  id: z.string().min(1),
  organization: z.string(),
  host: z.string(),
  reason: z.string(),
  created_by: z.string(),
  created_at: Timestamp,
});

/** One entry of the audit trail (`audit`). */
export const AuditEntryOutput = z.strictObject({
  seq: Count,
  at: Timestamp,
  actor: z.string(),
  action: z.string(),
  organization: z.string(),
  subject_id: z.string(),
  finding_id: z.string().nullable(),
  finding_type: z.string().nullable(),
  asset_host: z.string().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

const OrganizationFields = {
  name: z.string().min(1),
  sector: z.enum(STORED_SECTORS),
  telehealth: z.boolean(),
  domains: z.array(z.string()),
  aliases: z.array(z.string()),
  tags: z.array(z.string()),
};

const Grade = z.enum(GRADES);
const Score = z.number().min(0).max(100);
const NullableScore = Score.nullable();
const Points = z.number().nonnegative();

/** One factor of a score: its own score and grade, its open findings, the points it cost. */
export const FactorScoreOutput = z.strictObject({
  factor: z.enum(FACTORS),
  score: Score.nullable(),
  grade: Grade.nullable(),
  findings: Count,
  points_lost: z.number().nonnegative(),
});

/** One organization of the portfolio (`orgs list --format json|jsonl`): score, trend, open findings by severity. */
export const OrganizationOutput = z.strictObject({
  ...OrganizationFields,
  score: Score.nullable(),
  grade: Grade.nullable(),
  trend: z.number().nullable(),
  trend_since: Timestamp.nullable(),
  open_findings: z.strictObject({ critical: Count, high: Count, medium: Count, low: Count, info: Count }),
});

/** One stored asset of an organization (`orgs show --format json`). */
export const OrganizationAssetOutput = z.strictObject({
  host: z.string(),
  addresses: z.array(z.string()),
  open_ports: z.array(z.number().int()),
  discovered_by: z.array(z.string()),
  first_seen: Timestamp,
  last_seen: Timestamp,
  /** CPE 2.3 names the web probe recognised on the host at its latest sight. */
  cpes: z.array(z.string().startsWith('cpe:2.3:')),
  /** `telehealth` when the host serves telehealth. */
  tags: z.array(z.enum(ASSET_TAGS)),
});

/** One vendor with its grade (scorecard vendors, `portfolio --vendors-of`). */
export const VendorGradeOutput = z.strictObject({
  organization: z.string(),
  telehealth: z.boolean(),
  score: NullableScore,
  grade: Grade.nullable(),
  scored_at: Timestamp.nullable(),
});

/** The vendor-risk summary: the weakest link's level, counts and one sentence. */
export const VendorRiskSummaryOutput = z.strictObject({
  level: z.enum(['none', 'low', 'elevated', 'high', 'unknown']),
  vendors: Count,
  rated: Count,
  unrated: Count,
  grades: z.record(Grade, Count),
  mean_score: NullableScore,
  weakest: VendorGradeOutput.nullable(),
  text: z.string(),
});

/** `orgs show --format json`: one organization with its assets and findings. */
export const OrganizationDetailOutput = z.strictObject({
  ...OrganizationFields,
  score: Score.nullable(),
  grade: Grade.nullable(),
  method_version: z.string(),
  factors: z.array(FactorScoreOutput),
  /** The organizations it depends on (the `vendors` import column) with their grades. */
  vendors: z.strictObject({ summary: VendorRiskSummaryOutput, list: z.array(VendorGradeOutput) }),
  assets: z.array(OrganizationAssetOutput),
  findings: z.array(FindingOutput),
  /** Median days from a vulnerable version first seen to its disappearance, across stored scans. */
  patching_cadence: z.strictObject({
    median_days_to_patch: z.number().min(0).nullable(),
    resolved: Count,
    open: Count,
  }),
  /** Each web and TLS endpoint's grade at the latest scan that graded it. */
  endpoint_grades: z.array(EndpointGradeOutput.extend({ assessed_at: Timestamp })),
});

/** How one alias of an organization is judged (`orgs aliases`): whether it counts alone, and why. */
export const AliasJudgementOutput = z.strictObject({
  org: z.string(),
  alias: z.string(),
  ambiguous: z.boolean(),
  reason: z.enum(['english_word', 'place_name', 'acronym', 'shared', 'override', 'corpus', 'none']),
  detail: z.string(),
  /** Documents where the alias matched, and of those, documents without the organization's name or domain. */
  occurrences: Count,
  standalone: Count,
});

/** One mention of a monitored organization in a dark-web document (`darkweb mentions`). */
export const MentionOutput = z.strictObject({
  doc_id: z.string().min(1),
  org: z.string(),
  class: DocumentClass,
  confidence: z.number().min(0).max(1),
  source_type: SourceType,
  snippet: z.string(),
  posted_at: Timestamp.nullable(),
  source: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  via: z.string(),
  matched: z.string(),
  /** Why the mention has its class: the organization's role first, then the document's features. */
  reasons: z.array(z.string()),
});

/**
 * One extracted identifier (`darkweb entities`), for export to MISP and SIEMs: `value` is the literal
 * text as it stands in the stored document (a credential pair's secret replaced by a fixed mask, never
 * in clear), `normalized` the form searches match (lower-case e-mail, PHI indicator kind).
 */
export const EntityOutput = z.strictObject({
  doc_id: z.string().min(1),
  type: z.enum(ENTITY_TYPES),
  value: z.string(),
  normalized: z.string(),
  start: Count,
  end: Count,
  confidence: z.number().min(0).max(1),
});

/** One ranked result of `darkweb search`. */
export const SearchHitOutput = z.strictObject({
  doc_id: z.string().min(1),
  title: z.string().nullable(),
  source: z.string(),
  source_type: SourceType,
  url: z.string().nullable(),
  posted_at: Timestamp.nullable(),
  class: DocumentClass,
  score: z.number().nullable(),
  snippet: z.string(),
  orgs: z.array(z.string()),
});

const DeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
const WatchlistKind = z.enum(['organization', 'term', 'regex']);

/** One stored alert with its delivery state (`darkweb watch alerts`). */
export const AlertOutput = z.strictObject({
  alert_id: z.string().min(1),
  watchlist: z.string(),
  kind: WatchlistKind,
  doc_id: z.string(),
  organization: z.string().nullable(),
  matched: z.string(),
  snippet: z.string(),
  created_at: Timestamp,
  delivered_at: Timestamp.nullable(),
  delivery: z
    .strictObject({
      status: DeliveryStatus,
      attempts: Count,
      next_attempt_at: Timestamp,
      last_error: z.string().nullable(),
    })
    .nullable(),
});

/** The body of a webhook POST: one alert with its document (docs/darkweb.md, "Watchlists and alerts"). */
export const WebhookAlertOutput = z.strictObject({
  alert_id: z.string().min(1),
  watchlist: z.string(),
  document: z.strictObject({
    doc_id: z.string(),
    title: z.string().nullable(),
    url: z.string().nullable(),
    source_type: SourceType,
    posted_at: Timestamp.nullable(),
    snippet: z.string(),
  }),
  // Absent (not null) for a term or regex watchlist's alert.
  organization: z.string().optional(),
  matched: z.string(),
  created_at: Timestamp,
});

/** One watchlist (`darkweb watch list`). */
export const WatchlistOutput = z.strictObject({
  name: z.string().min(1),
  kind: WatchlistKind,
  pattern: z.string(),
  flags: z.string(),
  webhook: z.string().nullable(),
  evaluated_through_seq: Count,
  alerts: Count,
  created_at: Timestamp,
});

/** `darkweb watch run --format json`: what each watchlist found, what delivery did, the outbox after it. */
export const WatchRunOutput = z.strictObject({
  watchlists: z.array(
    z.strictObject({
      name: z.string(),
      kind: WatchlistKind,
      documents: Count,
      new_alerts: Count,
      evaluated_through_seq: Count,
      error: z.string().nullable(),
    }),
  ),
  // These two keep the camelCase names they were first printed with: they are part of the contract now.
  delivery: z
    .strictObject({
      delivered: Count,
      failed: Count,
      retryLater: Count,
      attempts: Count,
      deferred: Count,
      unavailableReceivers: z.array(z.strictObject({ url: z.string(), lastError: z.string(), pending: Count })),
      retried_failed: Count,
    })
    .nullable(),
  outbox: z.strictObject({
    pending: Count,
    due: Count,
    delivered: Count,
    failed: Count,
    leased: Count,
    leasedUntil: Timestamp.nullable(),
    nextAttemptAt: Timestamp.nullable(),
  }),
});

/** `darkweb ingest --format json`: what was read, stored and found. */
export const IngestSummaryOutput = z.strictObject({
  documents: z.strictObject({
    read: Count,
    new: Count,
    duplicates: Count,
    near_duplicates: Count,
    rejected: Count,
  }),
  documents_by_class: ByDocumentClass,
  mentions: Count,
  mentions_by_class: ByDocumentClass,
  entities: Count,
  credentials: Count,
  skipped_files: z.array(z.string()),
  failed_files: z.array(z.string()),
  problems: Count,
  interrupted: z.boolean(),
  /** Aliases corpus evidence demoted to ambiguous in this run (`alias (organization): why`). */
  demoted_aliases: z.array(z.string()),
  seconds: z.number().nonnegative(),
  docs_per_second: z.number().nonnegative(),
  findings: z
    .strictObject({
      scan_id: z.string(),
      organizations: Count,
      open: Count,
      created: Count,
      seenAgain: Count,
      reopened: Count,
      resolved: Count,
    })
    .nullable(),
});

/** One fetched page (`darkweb crawl --format jsonl`, and `pages` of `--format json`). */
export const CrawlPageOutput = z.strictObject({
  url: z.string(),
  site: z.string(),
  depth: Count,
  source_type: SourceType,
  title: z.string().nullable(),
  author: z.string().nullable(),
  posted_at: Timestamp.nullable(),
  format: z.string(),
  fetched_at: Timestamp,
});

/** `darkweb crawl --format json`. */
export const CrawlSummaryOutput = z.strictObject({
  crawl: z.strictObject({
    pages: Count,
    requests: Count,
    failed: z.array(z.strictObject({ url: z.string(), reason: z.string() })),
    skipped: z.array(z.strictObject({ url: z.string(), reason: z.string() })),
    out_of_scope_links: Count,
    left_over: Count,
    interrupted: z.boolean(),
  }),
  documents: z.strictObject({
    new: Count,
    duplicates: Count,
    near_duplicates: Count,
    rejected: Count,
    mentions: Count,
    mentions_by_class: ByDocumentClass,
  }),
  pages: z.array(CrawlPageOutput),
  findings: z.strictObject({ open: Count, organizations: Count }).nullable(),
});

/** `spf check --format json`: the RFC 7208 result with the trace of every term evaluated. */
export const SpfCheckOutput = z.strictObject({
  domain: z.string(),
  ip: z.string(),
  sender: z.string(),
  result: z.enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror']),
  explanation: z.string().nullable(),
  reason: z.string(),
  lookups: Count,
  void_lookups: Count,
  trace: z.array(
    z.strictObject({
      depth: Count,
      domain: z.string(),
      term: z.string(),
      outcome: z.string(),
      queries: z.array(z.string()),
    }),
  ),
});

/** `lab status --format json`: whether the lab runs, and its recorded state when there is one. */
export const LabStatusOutput = z.strictObject({
  running: z.boolean(),
  pid: z.number().int().optional(),
  startToken: z.string().optional(),
  seed: z.number().int().optional(),
  orgs: Count.optional(),
  port: z.number().int().optional(),
  resolver: z.string().optional(),
  startedAt: Timestamp.optional(),
  files: z.record(z.string(), z.string()).optional(),
  darkweb: z.strictObject({ proxy: z.string(), seeds: z.array(z.string()) }).optional(),
  /** The ports of the lab's TLS endpoints. */
  tls: z.strictObject({ https: z.number().int(), alt: z.number().int() }).optional(),
  /** Standard service port → the port the lab's network service listens on, where they differ. */
  servicePorts: z.record(z.string(), z.number().int()).optional(),
  web: z.strictObject({ http: z.number().int() }).optional(),
});

const LabWeaknessOutput = z.strictObject({
  type: z.string(),
  organization: z.string(),
  host: z.string(),
  ip: z.string().optional(),
  port: z.number().int().optional(),
  evidence: z.record(z.string(), z.unknown()),
});

/** `lab truth --format json`: the lab's organizations, every injected weakness and every good control. */
export const LabTruthOutput = z.strictObject({
  seed: z.number().int(),
  organizations: z.array(
    z.strictObject({
      name: z.string(),
      domain: z.string(),
      sector: z.string(),
      telehealth: z.boolean(),
      aliases: z.array(z.string()),
      hosts: z.array(
        z.strictObject({ host: z.string(), addresses: z.array(z.string()), discoverableBy: z.array(z.string()) }),
      ),
    }),
  ),
  weaknesses: z.array(LabWeaknessOutput),
  controls: z.array(z.strictObject({ control: z.string(), organization: z.string(), host: z.string() })),
  /** IP reputation findings the lab's feed files plant (found once they are imported). */
  reputation: z.array(LabWeaknessOutput).optional(),
});

/**
 * `--format sarif`: SARIF 2.1.0, whose full schema (OASIS) a test validates against; here only its frame,
 * so that this output too passes a schema before it is printed.
 */
export const SarifLogOutput = z.looseObject({
  $schema: z.string(),
  version: z.literal('2.1.0'),
  runs: z.array(z.looseObject({ tool: z.looseObject({ driver: z.looseObject({ name: z.string() }) }) })).length(1),
});

/** `scorecard ORG --format json` (the shape of `core/scorecard.ts`, which a type test holds it to). */
export const ScorecardOutput = z.strictObject({
  organization: z.string(),
  organization_id: z.string().min(1),
  as_of: Timestamp,
  method_version: z.string(),
  source: z.enum(['live', 'snapshot']),
  snapshot: z
    .strictObject({ taken_at: Timestamp, reason: z.enum(SNAPSHOT_REASONS), scan_id: z.string().nullable() })
    .nullable(),
  score: NullableScore,
  grade: Grade.nullable(),
  assets: Count,
  domains: Count,
  factors: z.array(FactorScoreOutput),
  top_issues: z.array(
    z.strictObject({
      type: z.string(),
      title: z.string(),
      factor: z.enum(FACTORS).nullable(),
      severity: Severity.nullable(),
      findings: Count,
      disputed: Count,
      hosts: z.array(z.string()),
      points_lost: Points.nullable(),
    }),
  ),
  plan: z.array(
    z.strictObject({
      step: z.number().int().positive(),
      type: z.string(),
      title: z.string(),
      factor: z.enum(FACTORS),
      severity: Severity,
      findings: Count,
      hosts: z.array(z.string()),
      score_before: Score,
      score_after: Score,
      gain: z.number(),
      grade_after: Grade,
      remediation: z.string(),
    }),
  ),
  findings: z.array(
    z.strictObject({
      id: z.string(),
      type: z.string(),
      factor: z.enum(FACTORS),
      severity: Severity,
      asset: z.string(),
      disputed: z.boolean(),
      points_lost: Points,
    }),
  ),
  disputes: z.array(
    z.strictObject({
      dispute_id: z.string(),
      finding_id: z.string(),
      type: z.string(),
      asset: z.string(),
      status: z.enum(['open', 'accepted']),
      reason: z.string(),
      note: z.string(),
      expires_at: Timestamp.nullable(),
      points_lost: Points.nullable(),
    }),
  ),
  excluded_hosts: z.array(z.string()),
  vendors: z.strictObject({ summary: VendorRiskSummaryOutput, list: z.array(VendorGradeOutput) }),
});

const Percentile = NullableScore;
const PercentilesShape = {
  p10: Percentile,
  p25: Percentile,
  p50: Percentile,
  p75: Percentile,
  p90: Percentile,
  mean: Percentile,
};

/** `portfolio --format json` (the shape of `core/scorecard.ts`'s PortfolioReport). */
export const PortfolioOutput = z.strictObject({
  as_of: Timestamp,
  filters: z.strictObject({
    sector: z.enum(STORED_SECTORS).nullable(),
    cohort: z.enum(['telehealth', 'non_telehealth']).nullable(),
    vendors_of: z.string().nullable(),
  }),
  organizations: Count,
  rated: Count,
  not_rated: Count,
  not_scored: Count,
  method_versions: z.array(z.string()),
  grade_distribution: z.record(Grade, Count),
  score: z.strictObject(PercentilesShape),
  histogram: z.array(z.strictObject({ from: z.number(), to: z.number(), count: Count })),
  factors: z.array(
    z.strictObject({ factor: z.enum(FACTORS), rated: Count, ...PercentilesShape, mean_points_lost: Points.nullable() }),
  ),
  weakest_factors: z.array(z.strictObject({ factor: z.enum(FACTORS), mean_points_lost: Points, p50: Percentile })),
  ranked: z.array(
    z.strictObject({
      rank: z.number().int().positive().nullable(),
      organization: z.string(),
      sector: z.enum(STORED_SECTORS),
      telehealth: z.boolean(),
      score: NullableScore,
      grade: Grade.nullable(),
      scored_at: Timestamp.nullable(),
      weakest_factor: z.enum(FACTORS).nullable(),
    }),
  ),
  vendor_risk: VendorRiskSummaryOutput.nullable(),
});

/** The dashboard's portfolio table (`GET /api/v1/portfolio/table`): one row per organization. */
export const PortfolioTableOutput = z.strictObject({
  as_of: Timestamp,
  organizations: z.array(
    z.strictObject({
      name: z.string(),
      sector: z.enum(STORED_SECTORS),
      telehealth: z.boolean(),
      score: NullableScore,
      grade: Grade.nullable(),
      trend: z.number().nullable(),
      worst_factor: z.enum(FACTORS).nullable(),
      open_findings: z.strictObject({ critical: Count, high: Count, medium: Count, low: Count, info: Count }),
      mentions: Count,
      sparkline: z.array(z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/), score: NullableScore })),
    }),
  ),
});

const StudyCohort = z.enum(STUDY_COHORTS);
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
/**
 * A study's factor column: a factor, or `all` for the row that adds every factor up. Text, as the study
 * reads it from stored snapshots: a history may hold factors of an earlier method version.
 */
const StudyFactor = z.string().min(1);
const Mean = z.number().nonnegative().nullable();
const ChangeShape = {
  first: Mean,
  last: Mean,
  change_pct: z.number().nullable(),
  ci_low: z.number().nullable(),
  ci_high: z.number().nullable(),
  direction: z.enum(DIRECTIONS),
};
const ChangeEstimateOutput = z.strictObject(ChangeShape);
const PeriodFigureShape = {
  period: Month,
  cohort: StudyCohort,
  organizations: Count,
  findings_per_organization: Mean,
  findings_per_domain: Mean,
};

/** `study --format json` (the shape of `study/figures.ts`'s StudyReport, which a type test holds it to). */
export const StudyOutput = z.strictObject({
  from: Month,
  to: Month,
  by: z.enum(['span', 'month']),
  method: z.strictObject({
    unit: z.literal('organization'),
    headline_measure: z.literal('findings_per_domain'),
    measures: z.array(z.string()),
    snapshot_rule: z.string(),
    change: z.string(),
    pairing: z.string(),
    interval: z.string(),
    confidence: z.number().gt(0).lt(1),
    resamples: z.number().int().positive(),
    seed: z.number().int(),
    strata: z.array(StudyCohort),
  }),
  periods: z.array(
    z.strictObject({ period: Month, start: Timestamp, end: Timestamp, organizations: z.record(StudyCohort, Count) }),
  ),
  cohorts: z.array(
    z.strictObject({
      cohort: StudyCohort,
      organizations: Count,
      paired: Count,
      first_only: Count,
      last_only: Count,
      between_only: Count,
    }),
  ),
  factors: z.array(
    z.strictObject({
      ...ChangeShape,
      factor: StudyFactor,
      cohort: StudyCohort,
      organizations: Count,
      per_organization: ChangeEstimateOutput,
    }),
  ),
  finding_types: z.array(
    z.strictObject({
      ...ChangeShape,
      type: z.string(),
      factor: z.string(),
      cohort: StudyCohort,
      organizations: Count,
      per_organization: ChangeEstimateOutput,
    }),
  ),
  comparison: z.array(
    z.strictObject({
      factor: StudyFactor,
      telehealth_change_pct: z.number().nullable(),
      non_telehealth_change_pct: z.number().nullable(),
      difference_pct_points: z.number().nullable(),
      ci_low: z.number().nullable(),
      ci_high: z.number().nullable(),
      significant: z.boolean(),
    }),
  ),
  series: z.array(z.strictObject({ ...PeriodFigureShape, factor: StudyFactor })),
  finding_type_series: z.array(z.strictObject({ ...PeriodFigureShape, type: z.string(), factor: z.string() })),
  lifecycle: z
    .strictObject({
      periods: z.array(
        z.strictObject({
          period: Month,
          cohort: StudyCohort,
          factor: StudyFactor,
          new: Count,
          persisting: Count,
          resolved: Count,
          regressed: Count,
          open_at_end: Count,
        }),
      ),
      remediation: z.array(
        z.strictObject({
          period: Month,
          cohort: StudyCohort,
          factor: StudyFactor,
          severity: z.string(),
          resolved: Count,
          mean_days_to_remediate: z.number().nonnegative(),
        }),
      ),
    })
    .optional(),
  darkweb: z
    .strictObject({
      mentions: z.array(
        z.strictObject({
          month: Month,
          class: z.string(),
          cohort: StudyCohort,
          mentions: Count,
          organizations: Count,
        }),
      ),
      undated_rule: z.string(),
    })
    .optional(),
  caveats: z.strictObject({
    organizations: Count,
    paired: Count,
    first_only: Count,
    last_only: Count,
    between_only: Count,
    without_domains: Count,
    notes: z.array(z.string()),
  }),
});

/** `lab history --format json`: the months the history model realized and scanned. */
export const LabHistoryOutput = z.strictObject({
  from: z.string(),
  to: z.string(),
  seed: z.number().int(),
  orgs: Count,
  months: z.array(
    z.looseObject({
      month: z.string(),
      scanAt: Timestamp,
      events: z.record(z.string(), Count),
      refused: Count,
      changes: z.array(
        z.strictObject({ domain: z.string(), added: z.array(z.string()), removed: z.array(z.string()) }),
      ),
      scanned: Count,
      failed: Count,
      findings: Count,
      documents: Count,
      mentions: Count,
      snapshots: Count,
    }),
  ),
});

/** One point of an organization's score history (`GET /api/v1/orgs/{org}/history`), oldest first. */
export const ScoreHistoryPointOutput = z.strictObject({
  taken_at: Timestamp,
  reason: z.enum(SNAPSHOT_REASONS),
  scan_id: z.string().nullable(),
  method_version: z.string(),
  score: Score.nullable(),
  grade: Grade.nullable(),
  factors: z.array(FactorScoreOutput),
});

const Role = z.enum(ROLES);

/** One user (`users list --format json`). */
export const UserOutput = z.strictObject({
  username: z.string().min(1),
  role: Role,
  created_at: Timestamp,
});

/** One API token's record (`tokens list --format json`): never the token itself. */
export const ApiTokenOutput = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  role: Role,
  created_by: z.string(),
  created_at: Timestamp,
  expires_at: Timestamp.nullable(),
  last_used_at: Timestamp.nullable(),
});

/** `tokens create --format json`: the token, shown this once, with its record. */
export const TokenCreatedOutput = z.strictObject({
  token: z.string().min(1),
  name: z.string().min(1),
  role: Role,
  expires_at: Timestamp.nullable(),
});

/** `web URL --format json`: one site assessed by hand (src/scanner/web-assessment.ts). */
export const WebReportOutput = z.strictObject({
  target: z.string(),
  host: z.string(),
  address: z.string(),
  endpoints: z.array(
    z.strictObject({
      scheme: z.enum(['http', 'https']),
      port: z.number().int().min(1).max(65535),
      state: z.enum(['answered', 'closed', 'failed']),
      status: z.number().int().nullable(),
      final_url: z.string().nullable(),
      left_scope: z.string().nullable(),
      redirects: z.array(z.string()),
      tls_verified: z.boolean().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  findings: z.array(
    z.strictObject({
      type: z.string().min(1),
      title: z.string(),
      factor: z.enum(FACTORS),
      severity: Severity,
      asset: AssetRefOutput,
      evidence: z.record(z.string(), z.unknown()),
    }),
  ),
  controls: z.array(
    z.strictObject({ control: z.string().min(1), asset: AssetRefOutput, evidence: z.record(z.string(), z.unknown()) }),
  ),
  not_assessed: z.array(z.strictObject({ check: z.string().min(1), asset: AssetRefOutput, reason: z.string() })),
  products: z.array(
    z.strictObject({
      product: z.string(),
      version: z.string().nullable(),
      cpe: z.string().nullable(),
      category: z.string(),
      evidence: z.string(),
    }),
  ),
  telehealth: z.boolean(),
  /** The site's header score and grade by the MDN HTTP Observatory's method (null: no answer to grade). */
  header_grade: z
    .strictObject({ score: z.number().int(), grade: z.string(), tests: z.record(z.string(), z.string()) })
    .nullable(),
});
