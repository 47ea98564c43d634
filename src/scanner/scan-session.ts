/**
 * A whole scan as the CLI runs it: a scan row in the store, the pipeline over every target, each
 * target's result recorded as soon as it is done (so an interrupted scan keeps what it finished), and the
 * scan row closed with its counts and errors.
 */
import type { Store } from '../store/database.js';
import type { Finding } from '../core/finding.js';
import type { ScanErrorEntry } from '../store/repos/scans.repo.js';
import { SEVERITIES } from '../core/types.js';
import { realClock, type ScanSettings, type ScanTarget, type TargetResult } from './scan.js';
import { runScanParallel } from './parallel-scan.js';
import { factorsAssessed, recordTargetResult } from './persist.js';
import { recordScoreSnapshots } from '../ratings/snapshots.js';
import type { Factor } from '../core/types.js';

export interface PortfolioTarget extends ScanTarget {
  organization: string;
  organizationId: string;
}

export interface ScanSessionResult {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  results: TargetResult[];
  findings: Finding[];
  counts: Record<string, number>;
  errors: ScanErrorEntry[];
}

export interface ScanSessionHooks {
  /** Called with each target's stored findings as soon as they are recorded (JSONL streams from here). */
  onTargetRecorded?: (target: PortfolioTarget, result: TargetResult, findings: Finding[]) => void;
  onProgress?: (done: number, total: number, current: string) => void;
}

export async function runScanSession(
  store: Store,
  targets: PortfolioTarget[],
  settings: Omit<ScanSettings, 'onTargetDone'> & {
    /** Scan threads (see parallel-scan.ts); 1 by default. */
    workers?: number;
  },
  scope: Record<string, unknown>,
  hooks: ScanSessionHooks = {},
): Promise<ScanSessionResult> {
  const clock = settings.clock ?? realClock;
  const scan = await store.scans.create({ scope, startedAt: clock() });
  const findings: Finding[] = [];
  const errors: ScanErrorEntry[] = [];
  // Store writes are chained so results are recorded one target at a time, in completion order.
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  const { workers = 1, ...scanSettings } = settings;
  const results = await runScanParallel(
    targets,
    {
      ...scanSettings,
      onTargetDone: (result, done, total) => {
        hooks.onProgress?.(done, total, result.target.domain);
        const target = result.target as PortfolioTarget;
        writes = writes.then(async () => {
          if (writeError) return;
          try {
            if (result.status !== 'scanned') {
              errors.push({
                target: result.target.domain,
                message: result.error ?? result.status,
                status: result.status,
              });
              return;
            }
            const stored = await recordTargetResult(store, scan.id, target.organizationId, result);
            findings.push(...stored);
            hooks.onTargetRecorded?.(target, result, stored);
          } catch (error) {
            writeError = error;
          }
        });
      },
    },
    workers,
  );
  await writes;
  if (writeError) throw writeError;
  const counts: Record<string, number> = {
    targets: targets.length,
    scanned: results.filter((r) => r.status === 'scanned').length,
    refused: results.filter((r) => r.status === 'refused').length,
    failed: results.filter((r) => r.status === 'failed').length,
    assets: results.reduce((n, r) => n + (r.discovery?.assets.length ?? 0), 0),
    findings: findings.length,
    controls: results.reduce((n, r) => n + r.outcome.controls.length, 0),
    not_assessed: results.reduce((n, r) => n + r.outcome.notAssessed.length, 0),
  };
  for (const severity of SEVERITIES)
    counts[`severity_${severity}`] = findings.filter((f) => f.severity === severity).length;
  // One finish time for the scan row and its snapshots, on the scan's clock.
  const finishedAt = clock().toISOString();
  // One score snapshot per scanned organization, with the factors this scan's checks assessed for it.
  const assessed = new Map<string, Set<Factor>>();
  for (const result of results) {
    if (result.status !== 'scanned') continue;
    const { organizationId } = result.target as PortfolioTarget;
    const factors = assessed.get(organizationId) ?? new Set<Factor>();
    for (const factor of factorsAssessed(result)) factors.add(factor);
    assessed.set(organizationId, factors);
  }
  await recordScoreSnapshots(
    store,
    [...assessed].map(([organizationId, factors]) => ({ organizationId, assessedFactors: [...factors] })),
    { reason: 'scan', at: finishedAt, scanId: scan.id },
  );
  const finished = await store.scans.finish(scan.id, { counts, errors, finishedAt });
  return {
    scanId: scan.id,
    startedAt: scan.startedAt,
    finishedAt: finished.finishedAt ?? finishedAt,
    results,
    findings,
    counts,
    errors,
  };
}
