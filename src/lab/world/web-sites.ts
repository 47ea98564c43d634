/**
 * The lab's web sites: which addresses serve one, built from which template, and the ground truth each
 * template plants. A template is a whole site (headers, cookies, pages, files) with the exact
 * application_security findings and good controls a correct scanner reports on every host name that
 * resolves to its address. The servers that serve them are in src/lab/web/.
 *
 * Choice per organization (seeded, `planWebSites`): HTTPS sites where the TLS tier serves the address,
 * HTTP-only sites on some addresses it does not. The first 25 organizations carry every template between
 * them, so every finding id occurs at 25 organizations.
 */
import type { ControlId, FindingId } from '../../catalogue/ids.js';
import { orgAddress } from './infrastructure.js';
import { createRng } from './rng.js';
import type { TruthControl, TruthOrganization, TruthWeakness } from './truth.js';

export type AppFindingId = Extract<FindingId, `app.${string}`>;
export type AppControlId = Extract<ControlId, `app.${string}`>;

export const WEB_TEMPLATE_IDS = [
  'good-corporate',
  'weak-https',
  'legacy-http',
  'good-portal',
  'portal-http',
  'vpn',
  'owa',
  'files',
  'telehealth',
] as const;
export type WebTemplateId = (typeof WEB_TEMPLATE_IDS)[number];

/** Sites served over HTTPS (at an address the TLS tier serves on its `https` port). */
const MAIN_TEMPLATES: readonly WebTemplateId[] = ['good-corporate', 'weak-https'];
const SPECIAL_HTTPS_TEMPLATES: readonly WebTemplateId[] = ['good-portal', 'vpn', 'owa', 'files', 'telehealth'];
/** Sites served over plain HTTP only (an address without a TLS endpoint on the `https` port). */
const HTTP_ONLY_TEMPLATES: readonly WebTemplateId[] = ['legacy-http', 'portal-http'];

/**
 * The Strict-Transport-Security max-age each template's HTTPS answers carry (null: none), which
 * src/lab/web/site-content.ts sends: a year earns a good TLS endpoint SSL Labs' A+, a day does not.
 */
export const TEMPLATE_HSTS_MAX_AGE: Readonly<Record<WebTemplateId, number | null>> = {
  'good-corporate': 31_536_000,
  'good-portal': 31_536_000,
  telehealth: 31_536_000,
  owa: 31_536_000,
  'weak-https': 86_400,
  vpn: null,
  files: null,
  'legacy-http': null,
  'portal-http': null,
};

/** What a template plants: the findings and controls of every host name at its address. */
export const TEMPLATE_TRUTH: Readonly<Record<WebTemplateId, { findings: AppFindingId[]; controls: AppControlId[] }>> = {
  'good-corporate': { findings: [], controls: ['app.https.enforced', 'app.hsts.enabled', 'app.csp.enforced'] },
  'good-portal': { findings: [], controls: ['app.https.enforced', 'app.hsts.enabled', 'app.csp.enforced'] },
  telehealth: { findings: [], controls: ['app.https.enforced', 'app.hsts.enabled', 'app.csp.enforced'] },
  'weak-https': {
    findings: [
      'app.https.not_enforced',
      'app.hsts.short_max_age',
      'app.csp.unsafe',
      'app.clickjacking',
      'app.cookie.no_secure',
      'app.cookie.no_httponly',
      'app.cookie.no_samesite',
      'app.mixed_content',
      'app.cors.permissive',
      'app.js_library.vulnerable',
    ],
    controls: [],
  },
  'legacy-http': {
    findings: [
      'app.https.not_enforced',
      'app.csp.missing',
      'app.clickjacking',
      'app.xcto.missing',
      'app.referrer_policy.missing',
      'app.cookie.no_httponly',
      'app.cookie.no_samesite',
      'app.version_disclosure',
      'app.sensitive_path.exposed',
      'app.js_library.vulnerable',
    ],
    controls: [],
  },
  'portal-http': {
    findings: [
      'app.https.not_enforced',
      'app.login_over_http',
      'app.csp.missing',
      'app.clickjacking',
      'app.xcto.missing',
      'app.referrer_policy.missing',
    ],
    controls: [],
  },
  vpn: {
    findings: ['app.hsts.missing', 'app.csp.missing', 'app.referrer_policy.missing'],
    controls: ['app.https.enforced'],
  },
  owa: {
    findings: ['app.csp.missing', 'app.clickjacking', 'app.referrer_policy.missing', 'app.version_disclosure'],
    controls: ['app.https.enforced', 'app.hsts.enabled'],
  },
  files: {
    findings: [
      'app.hsts.missing',
      'app.csp.missing',
      'app.clickjacking',
      'app.xcto.missing',
      'app.referrer_policy.missing',
      'app.version_disclosure',
      'app.directory_listing',
      'app.sensitive_path.exposed',
    ],
    controls: ['app.https.enforced'],
  },
};

/**
 * What each template's announced software means for patching (checks/patching_cadence/), declared by hand
 * from the public records: legacy-http's Apache/2.4.29 is in CVE-2019-0211's range (2.4.17 to 2.4.38, on
 * KEV) and its jQuery 1.12.4, like weak-https's 2.2.4, in CVE-2020-11023's (before 3.5.0, on KEV since
 * 2025-01-23); its PHP/7.2.24 is past end of life (7.2 ended 2020-11-30) and just outside CVE-2019-11043's
 * range (7.2 before 7.2.24). owa's X-OWA-Version 15.1.2507.6 is Exchange Server 2016 (ended 2025-10-14).
 * files' Apache/2.4.41 and IIS/10.0 are in no range of the shipped data; the others name no version.
 */
export const TEMPLATE_PATCH_TRUTH: Readonly<Record<WebTemplateId, readonly FindingId[]>> = {
  'good-corporate': [],
  'good-portal': [],
  telehealth: [],
  'weak-https': ['patch.kev'],
  'legacy-http': ['patch.kev', 'patch.eol'],
  'portal-http': [],
  vpn: [],
  owa: ['patch.eol'],
  files: [],
};

/** One served address. */
export interface LabWebSite {
  address: string;
  template: WebTemplateId;
  organization: string;
}

/** Among the first this many organizations every template occurs. */
const COVERAGE = 25;

/** Host number of an ordinary host (src/lab/world/zones.ts counts them up from 2, below the alias target's 40). */
function ordinaryHostNumber(address: string, index: number): number | undefined {
  const prefix = orgAddress(index, 1).replace(/\.1$/, '.');
  if (!address.startsWith(prefix)) return undefined;
  const n = Number(address.slice(prefix.length));
  return n >= 2 && n < 40 ? n : undefined;
}

/**
 * How an address answers on the TLS tier's `https` port: OpenSSL with pages, the legacy responder (a first
 * flight, or a modern handshake and then a close: never a page), or not at all.
 */
export type HttpsServing = 'openssl' | 'responder' | undefined;

/**
 * The web sites of the lab's organizations (index order). Every address the TLS tier serves with OpenSSL
 * on its `https` port gets an HTTPS site (its apex a main one, one ordinary host per covered
 * organization a special one, the rest a good corporate site): no page there goes unplanned. Addresses
 * without TLS may get an HTTP-only site. Addresses whose TLS endpoint never serves a page (the
 * legacy responder) get none: the web probe cannot fetch them (`webUnassessableHosts`).
 */
export function planWebSites(
  seed: number,
  organizations: readonly TruthOrganization[],
  httpsServing: (address: string) => HttpsServing,
): LabWebSite[] {
  const sites: LabWebSite[] = [];
  const counters = { main: 0, special: 0, httpOnly: 0 };
  const next = (list: readonly WebTemplateId[], key: keyof typeof counters): WebTemplateId =>
    list[counters[key]++ % list.length]!;
  organizations.forEach((org, index) => {
    const rng = createRng(seed, 'web', index);
    const covered = index < COVERAGE;
    const add = (address: string, template: WebTemplateId): void => {
      sites.push({ address, template, organization: org.name });
    };
    const apex = orgAddress(index, 1);
    if (httpsServing(apex) === 'openssl') add(apex, covered ? next(MAIN_TEMPLATES, 'main') : rng.pick(MAIN_TEMPLATES));
    const ordinary = [
      ...new Set(org.hosts.flatMap((h) => h.addresses).filter((a) => ordinaryHostNumber(a, index) !== undefined)),
    ].sort();
    const secure = ordinary.filter((a) => httpsServing(a) === 'openssl');
    const plain = ordinary.filter((a) => httpsServing(a) === undefined);
    secure.forEach((address, i) => {
      if (i === 0 && covered) add(address, next(SPECIAL_HTTPS_TEMPLATES, 'special'));
      else add(address, i === 0 && rng.chance(0.5) ? rng.pick(SPECIAL_HTTPS_TEMPLATES) : 'good-corporate');
    });
    const httpOnly = plain[0];
    if (httpOnly !== undefined && (covered || rng.chance(0.3)))
      add(httpOnly, covered ? next(HTTP_ONLY_TEMPLATES, 'httpOnly') : rng.pick(HTTP_ONLY_TEMPLATES));
  });
  return sites;
}

/** `organization|host` of every discovered host whose HTTPS endpoint never serves a page. */
export function webUnassessableHosts(
  organizations: readonly TruthOrganization[],
  httpsServing: (address: string) => HttpsServing,
): Set<string> {
  const out = new Set<string>();
  for (const org of organizations)
    for (const host of org.hosts) {
      if (host.discoverableBy.length === 1 && host.discoverableBy[0] === 'permutation') continue;
      const address = host.addresses.find((a) => !a.includes(':')) ?? host.addresses[0];
      if (address !== undefined && httpsServing(address) === 'responder') out.add(`${org.name}|${host.host}`);
    }
  return out;
}

/** The weaknesses and controls the sites plant: every discoverable name at a site's address carries them. */
export function webTruth(
  sites: readonly LabWebSite[],
  organizations: readonly TruthOrganization[],
): { weaknesses: TruthWeakness[]; controls: TruthControl[] } {
  const byAddress = new Map(sites.map((s) => [s.address, s]));
  const weaknesses: TruthWeakness[] = [];
  const controls: TruthControl[] = [];
  for (const org of organizations) {
    for (const host of org.hosts) {
      // A host only permutations reach is not found by a default scan; the lab serves none of them.
      if (host.discoverableBy.length === 1 && host.discoverableBy[0] === 'permutation') continue;
      const address = host.addresses.find((a) => !a.includes(':')) ?? host.addresses[0];
      const site = address === undefined ? undefined : byAddress.get(address);
      if (!site) continue;
      const truth = TEMPLATE_TRUTH[site.template];
      for (const type of [...truth.findings, ...TEMPLATE_PATCH_TRUTH[site.template]])
        weaknesses.push({ type, organization: org.name, host: host.host, ip: site.address, evidence: {} });
      for (const control of truth.controls) controls.push({ control, organization: org.name, host: host.host });
    }
  }
  return { weaknesses, controls };
}
