/**
 * Host names of lab organizations. Most come from healthcare/telehealth labels a wordlist finds;
 * some are deliberately hidden from wordlists so only Certificate Transparency, a zone transfer or a
 * CNAME leads to them, which is what exercises the scanner's other discovery paths.
 */
import type { LabSector } from './names.js';
import type { Rng } from './rng.js';

/** Labels every organization may use, by sector (wordlist-discoverable). */
const COMMON_LABELS = [
  'www',
  'portal',
  'vpn',
  'remote',
  'webmail',
  'owa',
  'api',
  'sso',
  'billing',
  'citrix',
  'status',
  'intranet',
  'helpdesk',
] as const;

const SECTOR_LABELS: Record<LabSector, readonly string[]> = {
  hospital: ['mychart', 'ehr', 'pacs', 'imaging', 'patient', 'lab', 'results', 'fhir', 'telehealth', 'radiology'],
  clinic: ['mychart', 'patient', 'appointments', 'telehealth', 'ehr', 'intake', 'forms'],
  telehealth: ['telehealth', 'video', 'visit', 'app', 'meet', 'fhir', 'providers'],
  laboratory: ['results', 'lab', 'labresults', 'pathology', 'orders', 'lis', 'courier'],
  pharmacy: ['rx', 'refill', 'refills', 'pharmacy', 'erx', 'shop', 'order'],
  payer: ['members', 'member', 'providers', 'claims', 'eligibility', 'benefits', 'enroll', 'broker'],
  vendor: ['app', 'telehealth', 'video', 'docs', 'fhir', 'sandbox', 'developer'],
};

/** Owners of dangling CNAMEs: forgotten campaign and event sites (never used for live hosts). */
export const DANGLING_CNAME_LABELS = [
  'promo',
  'campaign',
  'events',
  'survey',
  'covidtest',
  'giving',
  'foundation',
  'newsletter',
] as const;

/** Labels of hosts the lab publishes only in Certificate Transparency (not in any wordlist). */
export const CT_ONLY_LABELS = [
  'telehealth-staging',
  'fhir-sandbox2',
  'vpn-dr',
  'pacs-archive',
  'ehr-train',
  'portal-uat2',
  'video-gw-east',
  'citrix-dr',
  'patient-beta',
  'hl7-gw',
  'mychart-poc',
  'sso-dr',
  'imaging-cloud',
  'results-v2',
  'api-partner2',
] as const;

/** Labels of hosts only a zone transfer reveals (internal names leaked by an open AXFR). */
export const AXFR_ONLY_LABELS = [
  'dev-ehr-01',
  'build-01',
  'jenkins-int',
  'sql-prod-02',
  'dc01-backup',
  'ris-test-3',
  'printsrv-2',
  'nas-imaging',
  'vcenter-01',
  'esx-07',
  'hyperv-03',
  'wsus-01',
  'fileserver-02',
  'scan-station-4',
] as const;

/** Names once certified and since removed from DNS (crt.sh keeps them forever). */
export const STALE_CT_LABELS = ['covid-vax-2021', 'webinar-2020', 'old-intranet-2018', 'flu-clinic-2019'] as const;

/** Suffix of the in-domain target an alias points at (`portal` → `portal-prd-01`): found only via the CNAME. */
export const CNAME_TARGET_SUFFIX = '-prd-01';

/** Host names' own labels: mail and name servers. */
const INFRA_LABELS = ['mail', 'ns1', 'ns2'] as const;

/**
 * Every label the lab uses for wordlist-discoverable organization hosts, dangling-CNAME owners
 * included, so the scanner's wordlist can cover the lab. Hidden hosts (CT-only, AXFR-only, CNAME
 * targets) use labels deliberately outside this list.
 */
export const LAB_HOST_LABELS: readonly string[] = Object.freeze(
  [
    ...new Set([...COMMON_LABELS, ...Object.values(SECTOR_LABELS).flat(), ...INFRA_LABELS, ...DANGLING_CNAME_LABELS]),
  ].sort(),
);

/** How an organization's hosts are laid out (cosmetic: the same whatever its weaknesses). */
export interface HostPlan {
  /** Wordlist-discoverable labels with A or CNAME records (3-10, `mail` included when it runs its own mail). */
  labels: string[];
  /** How `www` is published when present. */
  www: 'a' | 'cname-apex' | 'cname-cdn';
  /** Labels that CNAME to the video provider. */
  videoLabels: string[];
  /** A label that CNAMEs to an in-domain target `<label>-prd-01` (only discoverable through the alias). */
  aliasLabel: string | undefined;
  /** Hosts only in Certificate Transparency. */
  ctOnly: string[];
  /** Hosts that exist only while the zone is open to AXFR (internal names). */
  axfrOnly: string[];
  /** Names in CT that no longer exist. */
  staleCt: string[];
  /** Label of the dangling CNAME when the organization has one. */
  danglingLabel: string;
  /** Labels also certified (and therefore in CT) besides the apex. */
  certified: string[];
}

/** Chooses an organization's hosts. `ownMail` adds the `mail` host. */
export function planHosts(rng: Rng, sector: LabSector, telehealth: boolean, ownMail: boolean): HostPlan {
  const pool = [...new Set([...SECTOR_LABELS[sector], ...COMMON_LABELS])];
  const count = rng.range(3, 10) - (ownMail ? 1 : 0);
  const chosen = rng.sample(pool, count);
  // Most organizations have a www host.
  if (!chosen.includes('www') && rng.chance(0.8)) chosen[0] = 'www';
  const labels: string[] = [...new Set(ownMail ? [...chosen, 'mail'] : chosen)];
  const videoCandidates: string[] = labels.filter((l) => l === 'video' || l === 'telehealth' || l === 'meet');
  const videoLabels = videoCandidates.filter(() => rng.chance(telehealth ? 0.8 : 0.5));
  const aliasCandidates = labels.filter((l) => l !== 'www' && l !== 'mail' && !videoLabels.includes(l));
  const aliasLabel = aliasCandidates.length > 0 && rng.chance(0.25) ? rng.pick(aliasCandidates) : undefined;
  const www = rng.pick(['a', 'a', 'cname-apex', 'cname-cdn'] as const);
  const ctOnly = rng.chance(0.3) ? rng.sample(CT_ONLY_LABELS, rng.range(1, 2)) : [];
  const axfrOnly = rng.sample(AXFR_ONLY_LABELS, rng.range(1, 3));
  const staleCt = rng.chance(0.12) ? [rng.pick(STALE_CT_LABELS)] : [];
  const danglingLabel = rng.pick(DANGLING_CNAME_LABELS);
  const certified = labels.filter((l) => l !== 'mail' && rng.chance(0.5));
  return { labels, www, videoLabels, aliasLabel, ctOnly, axfrOnly, staleCt, danglingLabel, certified };
}
