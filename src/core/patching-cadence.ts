/**
 * The patching-cadence metric (issue #8 section 2): per organization, the median number of days from a
 * vulnerable version first being seen on a service (a patch.kev or patch.cve.* finding opening) to its
 * disappearance (the finding resolving), across the stored scans. End-of-life findings are left out: an
 * upgrade of branch is a migration, not a patch.
 */
import type { Finding } from './finding.js';

const VULNERABLE_VERSION = /^patch\.(kev|cve\.)/;
const DAY_MS = 86_400_000;

export interface PatchingCadence {
  /** Median days from first seen to resolved over the resolved findings; null when none resolved yet. */
  median_days_to_patch: number | null;
  /** Vulnerable versions seen and since gone, and still there. */
  resolved: number;
  open: number;
}

export function patchingCadence(findings: readonly Finding[]): PatchingCadence {
  const vulnerable = findings.filter((f) => VULNERABLE_VERSION.test(f.type));
  const days = vulnerable
    .filter((f) => f.status === 'resolved' && f.resolvedAt !== null)
    .map((f) => (Date.parse(f.resolvedAt!) - Date.parse(f.firstSeen)) / DAY_MS)
    .filter((d) => Number.isFinite(d) && d >= 0)
    .sort((a, b) => a - b);
  const middle = days.length >> 1;
  const median =
    days.length === 0 ? null : days.length % 2 === 1 ? days[middle]! : (days[middle - 1]! + days[middle]!) / 2;
  return {
    median_days_to_patch: median === null ? null : Math.round(median * 10) / 10,
    resolved: days.length,
    open: vulnerable.filter((f) => f.status === 'open').length,
  };
}
