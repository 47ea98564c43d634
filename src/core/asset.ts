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
}
