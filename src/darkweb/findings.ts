/**
 * Dark-web findings per organization, derived from the stored mentions and credential sightings and
 * recorded through the finding lifecycle like any scan: a `darkweb.*` finding seen again stays open,
 * one no longer supported (e.g. below a raised confidence floor) is resolved. The coverage names the
 * dark-web types only, so this never resolves a DNS finding on the same host.
 */
import { getFindingType } from '../catalogue/catalogue.js';
import { recordScoreSnapshots } from '../ratings/snapshots.js';
import type { Store } from '../store/database.js';
import type { CredentialSighting, MentionRecord } from '../core/darkweb.js';
import type { FindingInput, LifecycleSummary, ScanCoverage } from '../core/finding.js';
import type { DocumentClass } from './types.js';

/** Finding types this module emits (and the only ones its scans may resolve). */
export const DARKWEB_FINDING_TYPES = [
  'darkweb.ransomware_listing',
  'darkweb.phi_exposure',
  'darkweb.access_for_sale',
  'darkweb.data_for_sale',
  'darkweb.credentials_leaked',
  'darkweb.mention',
] as const;
/** One of DARKWEB_FINDING_TYPES. */
export type DarkwebFindingType = (typeof DARKWEB_FINDING_TYPES)[number];

/** The finding a mention's class feeds. */
export const FINDING_TYPE_BY_CLASS: Readonly<Record<DocumentClass, DarkwebFindingType>> = {
  ransomware_listing: 'darkweb.ransomware_listing',
  phi_exposure: 'darkweb.phi_exposure',
  access_for_sale: 'darkweb.access_for_sale',
  data_for_sale: 'darkweb.data_for_sale',
  credential_leak: 'darkweb.credentials_leaked',
  chatter: 'darkweb.mention',
};

/** Options of `recordDarkwebFindings`. */
export interface DarkwebFindingsOptions {
  /** Mentions below this confidence are ignored; default 0 (the matcher already drops uncorroborated aliases). */
  minConfidence?: number;
  /** Only sightings at or after this time count (posted date, else ingestion date). */
  since?: string;
  /** When the derivation runs (scan start, resolution time); default now. */
  now?: Date;
  /** Only these organizations (by id) are assessed; default every organization in the store. */
  organizationIds?: ReadonlySet<string>;
}

/** What `recordDarkwebFindings` did. */
export interface DarkwebFindingsResult {
  scanId: string;
  findings: FindingInput[];
  lifecycle: LifecycleSummary;
  /** Organizations assessed (those with at least one domain). */
  organizations: number;
  /** Organizations that could not carry findings, and why. */
  skipped: { organization: string; reason: string }[];
}

/** Document ids kept in evidence: enough to look the sightings up, bounded for huge leaks. */
const EVIDENCE_DOCUMENTS = 10;
/** E-mail addresses named in credential evidence (to reset those accounts); passwords never. */
const EVIDENCE_EMAILS = 20;

function sightingTime(m: MentionRecord): string {
  return m.postedAt ?? m.ingestedAt;
}

function mentionEvidence(mentions: MentionRecord[]): Record<string, unknown> {
  const sorted = [...mentions].sort((a, b) => (sightingTime(a) < sightingTime(b) ? 1 : -1));
  return {
    documents: mentions.length,
    first_seen: sorted[sorted.length - 1] === undefined ? null : sightingTime(sorted[sorted.length - 1]!),
    last_seen: sorted[0] === undefined ? null : sightingTime(sorted[0]),
    // reduce, not Math.max(...): one organization can have more mentions than the stack holds arguments.
    max_confidence: mentions.reduce((max, m) => (m.confidence > max ? m.confidence : max), -Infinity),
    source_types: [...new Set(mentions.map((m) => m.sourceType))].sort(),
    doc_ids: sorted.slice(0, EVIDENCE_DOCUMENTS).map((m) => m.documentId),
    example:
      sorted[0] === undefined ? null : { doc_id: sorted[0].documentId, url: sorted[0].url, snippet: sorted[0].snippet },
  };
}

function credentialEvidence(sightings: CredentialSighting[], mentions: MentionRecord[]): Record<string, unknown> {
  const emails = [...new Set(sightings.map((s) => s.email))].sort();
  const times = [...sightings.map((s) => s.seenAt), ...mentions.map(sightingTime)].sort();
  return {
    email_addresses: emails.length,
    sightings: sightings.length,
    last_seen: times[times.length - 1] ?? null,
    first_seen: times[0] ?? null,
    documents: new Set([...sightings.map((s) => s.documentId), ...mentions.map((m) => m.documentId)]).size,
    examples: emails.slice(0, EVIDENCE_EMAILS),
  };
}

/** Latest time among sightings, as the finding's observation time. */
function latest(times: string[], fallback: string): string {
  return times.reduce((a, b) => (b > a ? b : a), times[0] ?? fallback);
}

/**
 * Derive every organization's dark-web findings from the store and record them as one scan (scope
 * `{darkweb: true}`); asset host = the organization's first domain.
 */
export async function recordDarkwebFindings(
  store: Store,
  options: DarkwebFindingsOptions = {},
): Promise<DarkwebFindingsResult> {
  const now = options.now ?? new Date();
  const minConfidence = options.minConfidence ?? 0;
  const organizations = (await store.organizations.list()).filter(
    (o) => options.organizationIds === undefined || options.organizationIds.has(o.id),
  );
  const mentionFilter = options.since === undefined ? {} : { since: options.since };
  const allMentions = (await store.darkweb.listMentions(mentionFilter)).filter((m) => m.confidence >= minConfidence);
  const byOrganization = new Map<string, MentionRecord[]>();
  for (const m of allMentions)
    byOrganization.set(m.organizationId, [...(byOrganization.get(m.organizationId) ?? []), m]);

  const findings: FindingInput[] = [];
  const coverage: ScanCoverage[] = [];
  const skipped: DarkwebFindingsResult['skipped'] = [];
  for (const org of organizations) {
    const host = org.domains[0];
    if (host === undefined) {
      skipped.push({ organization: org.name, reason: 'no domain to attach dark-web findings to' });
      continue;
    }
    coverage.push({ organizationId: org.id, assetHosts: [host], types: DARKWEB_FINDING_TYPES });
    const mentions = byOrganization.get(org.id) ?? [];
    const byType = new Map<DarkwebFindingType, MentionRecord[]>();
    for (const m of mentions) {
      const type = FINDING_TYPE_BY_CLASS[m.class as DocumentClass];
      if (type === undefined) continue;
      byType.set(type, [...(byType.get(type) ?? []), m]);
    }
    let sightings = await store.darkweb.credentialSightings(org.domains);
    if (options.since !== undefined) sightings = sightings.filter((s) => s.seenAt >= options.since!);
    const add = (type: DarkwebFindingType, evidence: Record<string, unknown>, times: string[]): void => {
      const catalogue = getFindingType(type);
      findings.push({
        type,
        organizationId: org.id,
        factor: catalogue.factor,
        severity: catalogue.severity,
        asset: { host },
        evidence,
        observedAt: latest(times, now.toISOString()),
      });
    };
    for (const [type, list] of byType) {
      if (type === 'darkweb.credentials_leaked') continue;
      add(type, mentionEvidence(list), list.map(sightingTime));
    }
    const credentialMentions = byType.get('darkweb.credentials_leaked') ?? [];
    if (sightings.length > 0 || credentialMentions.length > 0) {
      add('darkweb.credentials_leaked', credentialEvidence(sightings, credentialMentions), [
        ...sightings.map((s) => s.seenAt),
        ...credentialMentions.map(sightingTime),
      ]);
    }
  }

  const scan = await store.scans.create({ scope: { darkweb: true }, startedAt: now });
  const lifecycle = await store.findings.recordScanResults(scan.id, coverage, findings, { resolvedAt: now });
  // The analysis is a scan of the dark-web factors: every covered organization gets a score snapshot.
  const finishedAt = options.now ?? new Date();
  const factors = [...new Set(DARKWEB_FINDING_TYPES.map((type) => getFindingType(type).factor))];
  await recordScoreSnapshots(
    store,
    coverage.map((c) => ({ organizationId: c.organizationId, assessedFactors: factors })),
    { reason: 'scan', at: finishedAt, scanId: scan.id },
  );
  await store.scans.finish(scan.id, {
    counts: { organizations: coverage.length, findings: findings.length, ...lifecycle },
    errors: skipped.map((s) => ({ message: s.reason, target: s.organization })),
    finishedAt,
  });
  return { scanId: scan.id, findings, lifecycle, organizations: coverage.length, skipped };
}
