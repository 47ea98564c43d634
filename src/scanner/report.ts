/**
 * The scan's wire format (docs/scan-output.md): one JSON document, or one finding per line (JSONL).
 * Field names are a public contract: add, never rename.
 */
import type { AssetRef, ControlObservation, NotAssessed } from '../core/types.js';
import { getFindingType } from '../catalogue/catalogue.js';
import type { Finding } from '../store/repos/findings.repo.js';
import type { DiscoveredAsset } from '../probes/dns/discovery.types.js';

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
}

export function assetToJson(organization: string, asset: DiscoveredAsset): AssetJson {
  return {
    organization,
    host: asset.host,
    addresses: asset.addresses,
    cname_chain: asset.cnameChain,
    discovered_by: asset.discoveredBy,
  };
}

export function controlToJson(organization: string, control: ControlObservation): Record<string, unknown> {
  return { control: control.control, organization, asset: cleanAsset(control.asset), evidence: control.evidence };
}

export function notAssessedToJson(organization: string, item: NotAssessed): Record<string, unknown> {
  return { check: item.check, organization, asset: cleanAsset(item.asset), reason: item.reason };
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
