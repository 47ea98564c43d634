/**
 * Findings as the rest of Vitals sees them: the stored finding view, its statuses, and what a scan hands
 * the store (findings seen, hosts and types covered) with what the lifecycle did. The store
 * (src/store/repos/findings.repo.ts) persists them; scanner, dark-web derivation and CLI read them.
 */
import type { AssetRef, Factor, FindingDraft, Severity } from './types.js';

/** Finding statuses. */
export const FINDING_STATUSES = ['open', 'resolved'] as const;

/** One of FINDING_STATUSES. */
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A finding as a scan reports it: the check's draft plus what the catalogue and scan add. */
export interface FindingInput extends FindingDraft {
  organizationId: string;
  factor: Factor;
  severity: Severity;
  observedAt: string | Date;
}

/** What one scan covered for one organization. */
export interface ScanCoverage {
  organizationId: string;
  /** Hosts this scan assessed: open findings on them that were not seen again get resolved. */
  assetHosts: string[];
  /**
   * Checks that could not run on a covered host (a probe timed out...). Open findings there are kept
   * open rather than resolved: not assessed is never a pass. Without `types`, the whole host is kept.
   */
  notAssessed?: { host: string; types?: string[] }[];
  /**
   * Finding types this scan assessed. When given, only open findings of these types can be resolved:
   * a dark-web derivation covering an organization's first domain must not resolve the DNS findings
   * on that same host, which it never looked at. Without it, every type on a covered host is in scope.
   */
  types?: readonly string[];
}

/** What `recordScanResults` did. */
export interface LifecycleSummary {
  created: number;
  seenAgain: number;
  reopened: number;
  resolved: number;
}

/** A stored finding. */
export interface Finding {
  id: string;
  organizationId: string;
  organizationName: string;
  type: string;
  factor: Factor;
  severity: Severity;
  asset: AssetRef;
  evidence: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
  status: FindingStatus;
  resolvedAt: string | null;
  reopenCount: number;
  lastScanId: string;
}
