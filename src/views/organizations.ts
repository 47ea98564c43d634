/**
 * The organization records `vitals orgs list` and `orgs show` print and the REST API serves
 * (OrganizationOutput, OrganizationDetailOutput): built here once, from the store and the ratings service.
 */
import { patchingCadence, type PatchingCadence } from '../core/patching-cadence.js';
import type { Asset } from '../core/asset.js';
import type { Organization } from '../core/organization.js';
import { SEVERITIES, type Severity } from '../core/types.js';
import { currentScores } from '../ratings/portfolio-scores.js';
import { scorecardFor, type Scorecard } from '../ratings/scorecard.js';
import { findingToJson, type FindingJson } from '../scanner/report.js';
import type { Store } from '../store/database.js';
import type { Grade, SnapshotFactor } from '../core/score-snapshots.js';

/** What every organization record starts with. */
interface OrganizationJson {
  name: string;
  sector: Organization['sector'];
  telehealth: boolean;
  domains: string[];
  aliases: string[];
  tags: string[];
  score: number | null;
  grade: Grade | null;
}

/** One organization of `orgs list`. */
export interface OrganizationRow extends OrganizationJson {
  trend: number | null;
  trend_since: string | null;
  open_findings: Record<Severity, number>;
}

const noFindings = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/** Open findings of every organization by severity, by organization id (absent: none). */
export async function openFindingCounts(store: Store): Promise<Map<string, Record<Severity, number>>> {
  const open = await store.findings.listFindings({ status: 'open' });
  // One pass over the findings: filtering them once per organization is quadratic on a large portfolio.
  const byOrg = new Map<string, Record<Severity, number>>();
  for (const f of open) {
    let counts = byOrg.get(f.organizationId);
    if (counts === undefined) byOrg.set(f.organizationId, (counts = noFindings()));
    counts[f.severity]++;
  }
  return byOrg;
}

/** `orgs list`: every organization (or those given) with score, grade, trend and open findings by severity. */
export async function organizationRows(
  store: Store,
  organizations?: readonly Organization[],
  now: Date = new Date(),
): Promise<OrganizationRow[]> {
  const chosen = organizations ?? (await store.organizations.list());
  const openByOrg = await openFindingCounts(store);
  const scores = await currentScores(
    store,
    chosen.map((o) => o.id),
    now,
  );
  return chosen.map((o) => {
    const rated = scores.get(o.id);
    return {
      name: o.name,
      sector: o.sector,
      telehealth: o.telehealth,
      domains: o.domains,
      aliases: o.aliases,
      tags: o.tags,
      score: rated?.score ?? null,
      grade: rated?.grade ?? null,
      trend: rated?.trend ?? null,
      trend_since: rated?.trendSince ?? null,
      open_findings: openByOrg.get(o.id) ?? noFindings(),
    };
  });
}

/** `orgs show --format json`. */
export interface OrganizationDetail extends OrganizationJson {
  method_version: string;
  factors: SnapshotFactor[];
  vendors: Scorecard['vendors'];
  assets: OrganizationAssetJson[];
  findings: FindingJson[];
  /** Median days from a vulnerable version first seen to its disappearance (core/patching-cadence.ts). */
  patching_cadence: PatchingCadence;
}

/** One organization with its score, factors, assets and findings. */
export async function organizationDetail(store: Store, org: Organization): Promise<OrganizationDetail> {
  const assets = await store.assets.list(org.id);
  const findings = await store.findings.listFindings({ organizationId: org.id });
  const card = await scorecardFor(store, org.id);
  return {
    name: org.name,
    sector: org.sector,
    telehealth: org.telehealth,
    domains: org.domains,
    aliases: org.aliases,
    tags: org.tags,
    score: card.score,
    grade: card.grade,
    method_version: card.method_version,
    factors: card.factors,
    vendors: card.vendors,
    assets: assets.map(organizationAssetToJson),
    findings: findings.map(findingToJson),
    patching_cadence: patchingCadence(findings),
  };
}

/** One stored asset as `orgs show` prints it. */
export interface OrganizationAssetJson {
  host: string;
  addresses: string[];
  open_ports: number[];
  discovered_by: string[];
  first_seen: string;
  last_seen: string;
}

export function organizationAssetToJson(asset: Asset): OrganizationAssetJson {
  return {
    host: asset.hostname,
    addresses: asset.addresses,
    open_ports: asset.openPorts,
    discovered_by: asset.sources,
    first_seen: asset.firstSeen,
    last_seen: asset.lastSeen,
  };
}
