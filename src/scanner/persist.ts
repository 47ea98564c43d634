/**
 * Records one target's scan result in the store, in one transaction: its assets, the lifecycle of its
 * findings, and the controls and not-assessed observations. Returns the findings seen in this scan.
 */
import type { Store } from '../store/database.js';
import type { Finding, FindingInput, ScanCoverage } from '../store/repos/findings.repo.js';
import type { ObservationInput } from '../store/repos/observations.repo.js';
import { getFindingType, listFindingTypes } from '../catalogue/catalogue.js';
import type { TargetResult } from './scan.js';

/** The finding types a DNS and e-mail scan can produce (and so may resolve). */
const DNS_FINDING_TYPES: readonly string[] = listFindingTypes({ factor: 'dns_health' }).map((t) => t.id);

export async function recordTargetResult(
  store: Store,
  scanId: string,
  organizationId: string,
  result: TargetResult,
): Promise<Finding[]> {
  if (result.status !== 'scanned' || !result.discovery) return [];
  const { discovery, outcome } = result;
  const observedAt = result.finishedAt;
  const findings: FindingInput[] = outcome.findings.map((draft) => {
    const type = getFindingType(draft.type);
    return { ...draft, organizationId, factor: type.factor, severity: type.severity, observedAt };
  });
  // What this scan covered: every host it discovered or judged, and the name servers it questioned.
  const covered = new Set<string>();
  for (const asset of discovery.assets) covered.add(asset.host);
  for (const ns of discovery.nameServers) covered.add(ns.host);
  for (const f of outcome.findings) covered.add(f.asset.host);
  for (const c of outcome.controls) covered.add(c.asset.host);
  const coverage: ScanCoverage = {
    organizationId,
    assetHosts: [...covered],
    // A DNS scan judges DNS findings only: dark-web findings on the same host are not its to resolve.
    types: DNS_FINDING_TYPES,
    // A host where anything could not be assessed keeps its open findings: not assessed is never a pass.
    notAssessed: outcome.notAssessed.map((n) => ({ host: n.asset.host })),
  };
  const observations: ObservationInput[] = [
    ...outcome.controls.map(
      (payload): ObservationInput => ({ organizationId, probe: payload.control, observedAt, kind: 'control', payload }),
    ),
    ...outcome.notAssessed.map(
      (payload): ObservationInput => ({
        organizationId,
        probe: payload.check,
        observedAt,
        kind: 'not_assessed',
        payload,
      }),
    ),
  ];
  return store.transaction(async (repos) => {
    await repos.assets.upsertMany(
      organizationId,
      discovery.assets.map((a) => ({ hostname: a.host, sources: a.discoveredBy, addresses: a.addresses })),
      observedAt,
    );
    await repos.findings.recordScanResults(scanId, [coverage], findings);
    if (observations.length > 0) await repos.observations.recordMany(scanId, observations);
    const stored = await repos.findings.listFindings({ organizationId, status: 'open' });
    return stored.filter((f) => f.lastScanId === scanId);
  });
}
