/**
 * The scan's wire format (docs/scan-output.md): one JSON document, or one finding per line (JSONL).
 * Field names are a public contract: add, never rename.
 */
import type { AssetRef, ControlObservation, NotAssessed } from '../core/types.js';
import { getFindingType } from '../catalogue/catalogue.js';
import type { Finding } from '../core/finding.js';
import type { DiscoveredAsset } from '../probes/dns/discovery.types.js';
import type { AssetFingerprint } from '../core/endpoint-grade.js';
import { coveredHosts } from './coverage.js';
import type { TargetResult } from './scan.js';
import type { ScanSessionResult } from './scan-session.js';

export interface FindingJson {
  /** The store's id: what `vitals dispute add` takes (listings print its first 8 characters). */
  id: string;
  type: string;
  title: string;
  factor: string;
  severity: string;
  organization: string;
  asset: AssetRef;
  evidence: Record<string, unknown>;
  first_seen: string;
  last_seen: string;
  status: string;
  resolved_at: string | null;
  /**
   * `vitals findings` only (scan output leaves it out): the dispute in force on the finding, or null.
   * An `open` one leaves the finding in the score, marked disputed; an `accepted` one takes it out.
   */
  dispute?: FindingDisputeJson | null;
  /** `vitals findings` only: the finding's host is excluded from the organization (it does not count). */
  asset_excluded?: boolean;
}

/** A dispute as a finding listing shows it. */
export interface FindingDisputeJson {
  id: string;
  status: 'open' | 'accepted';
  reason: string;
  note: string;
  expires_at: string | null;
}

export function findingToJson(finding: Finding): FindingJson {
  return {
    id: finding.id,
    type: finding.type,
    title: getFindingType(finding.type).title,
    factor: finding.factor,
    severity: finding.severity,
    organization: finding.organizationName,
    asset: cleanAsset(finding.asset),
    evidence: finding.evidence,
    first_seen: finding.firstSeen,
    last_seen: finding.lastSeen,
    status: finding.status,
    resolved_at: finding.resolvedAt,
  };
}

export interface AssetJson {
  organization: string;
  host: string;
  addresses: string[];
  cname_chain: string[];
  discovered_by: string[];
  cpes?: string[];
  tags?: string[];
}

export function assetToJson(organization: string, asset: DiscoveredAsset, fingerprint?: AssetFingerprint): AssetJson {
  return {
    organization,
    host: asset.host,
    addresses: asset.addresses,
    cname_chain: asset.cnameChain,
    discovered_by: asset.discoveredBy,
    // What the web probe recognised, where it reached the host.
    ...(fingerprint ? { cpes: fingerprint.cpes, tags: fingerprint.telehealth ? ['telehealth'] : [] } : {}),
  };
}

export function controlToJson(organization: string, control: ControlObservation): Record<string, unknown> {
  return { control: control.control, organization, asset: cleanAsset(control.asset), evidence: control.evidence };
}

export function notAssessedToJson(organization: string, item: NotAssessed): Record<string, unknown> {
  return { check: item.check, organization, asset: cleanAsset(item.asset), reason: item.reason };
}

/** One check that ran in the scan, with what it covered (docs/scan-output.md, `checks`). */
export interface CheckJson {
  id: string;
  /** The finding types it judges: the ones this scan may resolve. */
  finding_types: string[];
  /** Targets (organization domains) it ran on. */
  targets: number;
  /** Hosts its finding types were judged on, over all its targets: covered hosts less not-assessed ones. */
  assets: number;
  /** Hosts where it could not assess (a look-up failed); its open findings there stay open. */
  not_assessed: number;
}

/** The checks that ran on the scanned targets, in report order, with their coverage. */
export function checksToJson(results: readonly TargetResult[]): CheckJson[] {
  const byId = new Map<string, CheckJson>();
  for (const result of results) {
    if (result.status !== 'scanned') continue;
    const covered = coveredHosts(result);
    for (const run of result.checks ?? []) {
      let entry = byId.get(run.check);
      if (!entry) {
        entry = { id: run.check, finding_types: [...run.types], targets: 0, assets: 0, not_assessed: 0 };
        byId.set(run.check, entry);
      }
      const gaps = new Set(run.notAssessedHosts);
      entry.targets++;
      entry.assets += [...covered].filter((host) => !gaps.has(host)).length;
      entry.not_assessed += gaps.size;
    }
  }
  return [...byId.values()];
}

function cleanAsset(asset: AssetRef): AssetRef {
  const out: AssetRef = { host: asset.host };
  if (asset.ip !== undefined && asset.ip !== null) out.ip = asset.ip;
  if (asset.port !== undefined && asset.port !== null && asset.port !== 0) out.port = asset.port;
  return out;
}

/** Sorts findings most severe first, then by organization, type and host. */
export function compareFindings(
  a: { severity: string; organization: string; type: string; asset: AssetRef },
  b: typeof a,
): number {
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  return (
    order.indexOf(a.severity) - order.indexOf(b.severity) ||
    a.organization.localeCompare(b.organization) ||
    a.type.localeCompare(b.type) ||
    a.asset.host.localeCompare(b.asset.host)
  );
}

/** What a scan was run with, as `scan --format json` reports it under `scan`. */
export interface ScanSettingsJson {
  resolver: string;
  trust_anchor: string;
  wordlist: boolean;
  wordlist_file: string | null;
  permutations: boolean;
}

/** `scan --format json` (ScanReportOutput): the whole report of a finished scan session. */
export function scanReportToJson(session: ScanSessionResult, settings: ScanSettingsJson) {
  const organizationOf = (r: TargetResult): string => r.target.organization ?? r.target.domain;
  return {
    scan: {
      id: session.scanId,
      started_at: session.startedAt,
      finished_at: session.finishedAt,
      ...settings,
      counts: session.counts,
      errors: session.errors,
    },
    assets: session.results.flatMap((r) =>
      r.discovery
        ? r.discovery.assets.map((a) =>
            assetToJson(
              organizationOf(r),
              a,
              r.fingerprints?.find((f) => f.host === a.host),
            ),
          )
        : [],
    ),
    findings: session.findings.map(findingToJson),
    controls: session.results.flatMap((r) => r.outcome.controls.map((c) => controlToJson(organizationOf(r), c))),
    not_assessed: session.results.flatMap((r) =>
      r.outcome.notAssessed.map((n) => notAssessedToJson(organizationOf(r), n)),
    ),
    checks: checksToJson(session.results),
    endpoint_grades: session.results.flatMap((r) =>
      (r.grades ?? []).map((g) => ({ organization: organizationOf(r), ...g })),
    ),
  };
}
