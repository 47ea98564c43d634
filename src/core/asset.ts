/** Assets: hosts discovered for an organization, with where they were found (src/store/repos/assets.repo.ts). */

/** How an asset was discovered (open-ended: checks may add sources). */
export type DiscoverySource =
  | 'apex'
  | 'wordlist'
  | 'axfr'
  | 'cname'
  | 'ct'
  | 'ns'
  | 'mx'
  | 'permutation'
  | (string & {});

/** A stored asset. */
export interface Asset {
  id: string;
  organizationId: string;
  hostname: string;
  addresses: string[];
  openPorts: number[];
  sources: string[];
  firstSeen: string;
  lastSeen: string;
  /** CPE 2.3 names of the products the web probe recognised on the host, at its latest sight. */
  cpes: string[];
  /** What the host is, as the web probe recognised it: `telehealth` when it serves telehealth. */
  tags: AssetTag[];
}

/** Tags the scanner puts on an asset. */
export const ASSET_TAGS = ['telehealth'] as const;
export type AssetTag = (typeof ASSET_TAGS)[number];
