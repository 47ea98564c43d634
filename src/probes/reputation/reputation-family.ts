/**
 * The reputation probe family: no network traffic. Its context holds the threat-feed index the scan
 * loaded from the store when it started (scanner/reputation-data.ts), and the networks the target's
 * organization declares; its probe looks up the addresses discovery found and those networks.
 */
import type { ProbeFamily } from '../../core/contract.js';
import type { PrefixIndex } from '../../intel/reputation/prefix-index.js';

/** What a scan hands the family: plain data, so it crosses to scan threads by structured clone. */
export interface ReputationData {
  index: PrefixIndex;
  /** Feeds in the index; none means reputation cannot be assessed. */
  feedCount: number;
  /** Declared networks (canonical CIDR) by target domain: an organization's go with its first domain. */
  networksByDomain: Record<string, string[]>;
}

/** The scan settings the reputation family reads. */
export interface ReputationScanOptions {
  /** Absent: no feeds were loaded (the probe is not assessed, saying so). */
  reputation?: ReputationData;
}

export interface ReputationContext {
  data: ReputationData | null;
  networks: readonly string[];
}

export const REPUTATION_FAMILY = 'reputation';

export const reputationFamily: ProbeFamily<ReputationScanOptions, ReputationContext> = {
  id: REPUTATION_FAMILY,
  prepare(settings) {
    const data = settings.reputation ?? null;
    return { forTarget: (domain) => ({ data, networks: data?.networksByDomain[domain] ?? [] }) };
  },
};
