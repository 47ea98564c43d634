/**
 * `--fail-on SEVERITY` for CI pipelines: after the scan, exit status 4 when a finding at or above that
 * severity is open for an organization the scan covered (also findings that an earlier scan or the
 * dark-web pipeline opened and this one did not resolve: what counts is the state after the scan).
 */
import { SEVERITIES, type Severity } from '../core/types.js';
import type { Store } from '../store/database.js';
import type { Finding } from '../core/finding.js';
import { sanitizeTerminalLine } from './sanitize.js';
import { ExitStatus } from '../core/errors.js';

export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** Open findings at or above `threshold` of these organizations, most severe first. */
export async function openFindingsAtOrAbove(
  store: Store,
  organizationIds: ReadonlySet<string>,
  threshold: Severity,
): Promise<Finding[]> {
  const open = await store.findings.listFindings({ status: 'open' });
  return open.filter((f) => organizationIds.has(f.organizationId) && isAtOrAbove(f.severity, threshold));
}

/**
 * Sets exit status 4 and says why on standard error when the scanned organizations have an open finding
 * at or above `threshold`; returns whether it tripped.
 */
export async function applyFailOn(
  store: Store,
  organizationIds: ReadonlySet<string>,
  threshold: Severity,
  err: { write(text: string): unknown } = process.stderr,
): Promise<boolean> {
  const over = await openFindingsAtOrAbove(store, organizationIds, threshold);
  if (over.length === 0) return false;
  const counts = SEVERITIES.filter((s) => isAtOrAbove(s, threshold))
    .map((s) => [s, over.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const organizations = new Set(over.map((f) => f.organizationName)).size;
  const findings = over.length === 1 ? 'finding' : 'findings';
  err.write(
    `vitals: --fail-on ${threshold}: ${over.length} open ${findings} at or above ${threshold} (${counts.join(', ')}) ` +
      `in ${organizations} ${organizations === 1 ? 'organization' : 'organizations'}` +
      `; first: ${sanitizeTerminalLine(`${over[0]!.type} on ${over[0]!.asset.host}`)}\n`,
  );
  process.exitCode = ExitStatus.failOn;
  return true;
}
