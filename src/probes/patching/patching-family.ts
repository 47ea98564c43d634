/**
 * The patching probe family: no network traffic. Its context holds the vulnerability data (the shipped
 * file merged with what `vitals vulns import` stored), loaded when the scan starts
 * (scanner/vuln-data-loader.ts); its probe reads the software other probes observed.
 */
import type { ProbeFamily } from '../../core/contract.js';
import { shippedVulnDatabase, type VulnDatabase } from '../../intel/vulns/vuln-data.js';

/** The scan settings the patching family reads. */
export interface PatchingScanOptions {
  /** Default: the shipped data file alone. Plain data, so it crosses to scan threads. */
  vulnerabilities?: VulnDatabase;
}

export interface PatchingContext {
  db: VulnDatabase;
}

export const PATCHING_FAMILY = 'patching';

export const patchingFamily: ProbeFamily<PatchingScanOptions, PatchingContext> = {
  id: PATCHING_FAMILY,
  prepare(settings) {
    const db = settings.vulnerabilities ?? shippedVulnDatabase();
    return { forTarget: () => ({ db }) };
  },
};
