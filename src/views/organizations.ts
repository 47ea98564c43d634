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
import { z } from 'zod';
import type { EndpointGrade } from '../core/endpoint-grade.js';
import { ENDPOINT_GRADE_PROBE } from '../scanner/endpoint-grades.js';
import { StoreError } from '../store/errors.js';

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
  /** Each web and TLS endpoint's grade at its latest assessment (SSL Labs-style for TLS, header grade for sites). */
  endpoint_grades: EndpointGradeJson[];
}

/** One endpoint's grade as `orgs show` and the API print it. */
export interface EndpointGradeJson extends EndpointGrade {
  assessed_at: string;
}

const EndpointGradePayload = z.object({
  kind: z.enum(['tls', 'headers']),
  host: z.string(),
  address: z.string(),
  port: z.number().int().min(1).max(65535).nullable(),
  grade: z.string(),
  score: z.number(),
});

/**
 * The grade of each endpoint at the latest scan that graded it (a later scan that did not reach it, or
 * could not assess it, does not erase it: the time says how old it is). TLS first, by host and port.
 */
export async function latestEndpointGrades(store: Store, organizationId: string): Promise<EndpointGradeJson[]> {
  const rows = await store.observations.list({ organizationId, kind: 'probe' });
  const latest = new Map<string, EndpointGradeJson>();
  for (const row of rows) {
    if (row.probe !== ENDPOINT_GRADE_PROBE) continue;
    const parsed = EndpointGradePayload.safeParse(row.payload);
    if (!parsed.success) throw new StoreError('database-corrupt', `observation ${row.id}: not an endpoint grade`);
    const grade = parsed.data;
    const key = `${grade.kind} ${grade.host} ${grade.port ?? ''}`;
    const seen = latest.get(key);
    if (!seen || seen.assessed_at < row.observedAt) latest.set(key, { ...grade, assessed_at: row.observedAt });
  }
  return [...latest.values()].sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'tls' ? -1 : 1) ||
      a.host.localeCompare(b.host) ||
      (a.port ?? 0) - (b.port ?? 0),
  );
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
    endpoint_grades: await latestEndpointGrades(store, org.id),
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
  /** CPE 2.3 names the web probe recognised at the host's latest sight. */
  cpes: string[];
  /** `telehealth` when the host serves telehealth. */
  tags: string[];
}

export function organizationAssetToJson(asset: Asset): OrganizationAssetJson {
  return {
    host: asset.hostname,
    addresses: asset.addresses,
    open_ports: asset.openPorts,
    discovered_by: asset.sources,
    first_seen: asset.firstSeen,
    last_seen: asset.lastSeen,
    cpes: asset.cpes,
    tags: asset.tags,
  };
}
