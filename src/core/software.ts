/**
 * Software observations (issue #8 section 2): a product and version some probe saw (a version.bind
 * banner, an SSH or FTP greeting, a Server header, a page fingerprint), as a CPE 2.3 name with how sure
 * the reading is. Any probe may emit these in its typed result; the patching probe collects them from the
 * results it reads and matches them against the vulnerability data.
 */

/** Where on the asset the software answered. */
export interface SoftwareLocation {
  host: string;
  ip?: string;
  port?: number;
}

/** A distribution package's own version: its fixes may be backported, so the upstream version may overstate. */
export interface DistributionPatch {
  /** `ubuntu`, `debian`, `redhat`... */
  distribution: string;
  /** What the banner said of the package: `4ubuntu2.8`, `deb9u7`, `26.P2.el7`. */
  suffix: string;
  /** The release it names when the suffix says (`el7`: RHEL 7, `deb9`: Debian 9). */
  release?: string;
}

export interface SoftwareObservation {
  location: SoftwareLocation;
  /** What the probe read it from (`version.bind`, `ssh-banner`, `http-server-header`...). */
  source: string;
  /** The text as received (capped by the probe). */
  raw: string;
  /** CPE 2.3 formatted string: `cpe:2.3:a:isc:bind:9.11.4:p2:*:*:*:*:*:*`. */
  cpe: string;
  vendor: string;
  product: string;
  /** Upstream version as the vendor numbers it (`9.11.4-P2`, `7.4p1`, `2.4.49`). */
  version: string;
  /** 0 to 1: 0.9 for an upstream version banner, less when a distribution may have backported fixes. */
  confidence: number;
  distributionPatch?: DistributionPatch;
}

/** CVSS v3 qualitative rating (FIRST, CVSS v3.1 specification section 5). */
export function cvssSeverity(score: number): 'critical' | 'high' | 'medium' | 'low' | 'none' {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}
