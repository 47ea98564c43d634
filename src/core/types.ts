/**
 * Domain types shared by every layer. No dependencies: probes, checks, scoring, store and CLI all
 * speak these.
 */

/** Finding severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rating factors (fixed ids, see issue #2 section 3). */
export const FACTORS = [
  'dns_health',
  'tls',
  'application_security',
  'network_security',
  'patching_cadence',
  'ip_reputation',
  'hacker_chatter',
  'information_leak',
] as const;
export type Factor = (typeof FACTORS)[number];

/** Organization sectors a portfolio file may give (issue #2 section 2). */
export const SECTORS = ['hospital', 'clinic', 'telehealth', 'laboratory', 'pharmacy', 'payer', 'vendor'] as const;
/**
 * Every sector the store holds: the above plus `unclassified`, given to a domain scanned ad hoc
 * (`vitals scan DOMAIN`) that belongs to no imported organization. Files cannot claim it.
 */
export const STORED_SECTORS = [...SECTORS, 'unclassified'] as const;
export type Sector = (typeof STORED_SECTORS)[number];

/** What a finding or observation is about. `host` is a DNS name (or an IP literal). */
export interface AssetRef {
  host: string;
  ip?: string;
  port?: number;
}

/**
 * What a check emits for a weakness it found. Factor, severity and title come from the catalogue
 * entry named by `type` (a stable id such as `dns.spf.missing`).
 */
export interface FindingDraft<Id extends string = string> {
  type: Id;
  asset: AssetRef;
  evidence: Record<string, unknown>;
}

/**
 * A good control seen on the way (SPF `-all`, DMARC `reject`, DNSSEC valid, CAA present...).
 * Recorded as an `info` observation; it never costs or earns points by itself.
 */
export interface ControlObservation<Id extends string = string> {
  control: Id;
  asset: AssetRef;
  evidence: Record<string, unknown>;
}

/**
 * Something a check could not judge because the probe behind it failed (timeout, garbage reply).
 * Never a pass: it is reported as `not_assessed`.
 */
export interface NotAssessed {
  check: string;
  asset: AssetRef;
  reason: string;
}

/** What one check returns; the type parameters narrow the ids it may emit (see core/contract.ts). */
export interface CheckOutcome<FindingId extends string = string, ControlId extends string = string> {
  findings: FindingDraft<FindingId>[];
  controls: ControlObservation<ControlId>[];
  notAssessed: NotAssessed[];
}

/** Result of one probe: sslyze's ScanCommandAttempt. A failed probe is data, never a missing key. */
export type ProbeAttempt<T> =
  | { status: 'completed'; result: T }
  | { status: 'not_assessed'; reason: ProbeErrorReason; detail: string };

export type ProbeErrorReason =
  | 'timeout'
  | 'malformed_reply'
  | 'network_error'
  | 'refused'
  | 'servfail'
  | 'other'
  /** The scan's network policy refused the destination (no packet was sent), or a scan-wide budget ran out. */
  | 'policy_refused';

export function emptyOutcome<F extends string = string, C extends string = string>(): CheckOutcome<F, C> {
  return { findings: [], controls: [], notAssessed: [] };
}

export function mergeOutcomes(outcomes: CheckOutcome[]): CheckOutcome {
  const merged = emptyOutcome();
  for (const o of outcomes) {
    merged.findings.push(...o.findings);
    merged.controls.push(...o.controls);
    merged.notAssessed.push(...o.notAssessed);
  }
  return merged;
}
