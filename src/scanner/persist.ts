/**
 * Records one target's scan result in the store, in one transaction: its assets, the lifecycle of its
 * findings, and the controls and not-assessed observations. Returns the findings seen in this scan.
 */
import type { Store } from '../store/database.js';
import type { Finding, FindingInput, ScanCoverage } from '../core/finding.js';
import type { ObservationInput } from '../store/repos/observations.repo.js';
import { getFindingType } from '../catalogue/catalogue.js';
import { coveredHosts } from './coverage.js';
import type { Factor } from '../core/types.js';
import type { TargetResult } from './scan.js';
import { ENDPOINT_GRADE_PROBE } from './endpoint-grades.js';

/**
 * The factors a target's scan assessed: those of the checks that ran and could judge the target (a check
 * whose probes failed on the target domain has no data, and no data is never a pass), and that found
 * something to judge (web checks on an organization without any web site judged nothing).
 */
export function factorsAssessed(result: TargetResult): Factor[] {
  const factors = new Set<Factor>();
  for (const check of result.checks ?? []) {
    if (check.notAssessedHosts.includes(result.target.domain) || check.observed === false) continue;
    for (const type of check.types) factors.add(getFindingType(type).factor);
  }
  return [...factors];
}

export async function recordTargetResult(
  store: Store,
  scanId: string,
  organizationId: string,
  result: TargetResult,
): Promise<Finding[]> {
  if (result.status !== 'scanned') return [];
  const { outcome } = result;
  const assets = result.discovery?.assets ?? [];
  const checks = result.checks ?? [];
  const observedAt = result.finishedAt;
  const findings: FindingInput[] = outcome.findings.map((draft) => {
    const type = getFindingType(draft.type);
    return { ...draft, organizationId, factor: type.factor, severity: type.severity, observedAt };
  });
  // What this scan covered: every host it discovered or judged, and the name servers it questioned.
  const covered = coveredHosts(result);
  const coverage: ScanCoverage = {
    organizationId,
    assetHosts: [...covered],
    // Only the finding types of the checks that ran: a skipped check, or dark-web findings on the same
    // host, are not this scan's to resolve.
    types: [...new Set(checks.flatMap((c) => c.types))],
    // Where a check could not assess a host, its open findings there stay open: not assessed is never a pass.
    // A check whose probe could not observe the target judged none of its hosts.
    notAssessed: checks.flatMap((c) =>
      (c.unobserved ? [...covered] : c.notAssessedHosts).map((host) => ({ host, types: c.types })),
    ),
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
    ...(result.grades ?? []).map(
      (grade): ObservationInput => ({
        organizationId,
        probe: ENDPOINT_GRADE_PROBE,
        observedAt,
        kind: 'probe',
        assetHost: grade.host,
        payload: { ...grade },
      }),
    ),
  ];
  const fingerprints = new Map((result.fingerprints ?? []).map((f) => [f.host, f] as const));
  return store.transaction(async (repos) => {
    await repos.assets.upsertMany(
      organizationId,
      assets.map((a) => {
        const seen = fingerprints.get(a.host);
        return {
          hostname: a.host,
          sources: a.discoveredBy,
          addresses: a.addresses,
          // Only hosts the web probe reached: elsewhere what is stored stays.
          ...(seen ? { cpes: seen.cpes, tags: seen.telehealth ? ['telehealth' as const] : [] } : {}),
        };
      }),
      observedAt,
    );
    // Resolved at the target's finish time, like the findings seen: both on the scan's clock.
    await repos.findings.recordScanResults(scanId, [coverage], findings, { resolvedAt: observedAt });
    if (observations.length > 0) await repos.observations.recordMany(scanId, observations);
    const stored = await repos.findings.listFindings({ organizationId, status: 'open' });
    return stored.filter((f) => f.lastScanId === scanId);
  });
}
