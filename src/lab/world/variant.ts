/**
 * Cosmetic choices of one organization that do not depend on its weaknesses: which mail provider it
 * uses, which malformed SPF term it would publish, its DKIM selector, its hosts... Fixed when the
 * world is built, so changing an organization's weaknesses later changes only what they govern.
 */
import { planHosts, type HostPlan } from './hosts.js';
import type { OrgIdentity } from './names.js';
import { createRng } from './rng.js';
import type { WeaknessPlan } from './weaknesses.js';

/** Mail set-up: own mail server, one of two providers, or a null MX (RFC 7505: receives no mail). */
export type MailSetup = 'own' | 'mailhost-a' | 'mailhost-b' | 'null';

export interface OrgVariant {
  hosts: HostPlan;
  mail: MailSetup;
  /** Add the bulk-mail provider's include (and maybe `a`) to a good SPF record: up to exactly 10 look-ups. */
  spfBulk: boolean;
  spfExtraA: boolean;
  /** The malformed term an SPF syntax error uses (RFC 7208 section 4.6.1 grammar violations). */
  spfBadTerm: string;
  /** The `all` a permissive record ends with (RFC 7208 section 5.1: `all` alone means `+all`). */
  spfPermissiveAll: '+all' | '?all' | 'all';
  /** Policy of a DMARC record without a DMARC weakness. */
  dmarcGoodPolicy: 'reject' | 'quarantine';
  dmarcExplicitPct100: boolean;
  dmarcStrictAlignment: boolean;
  /** A record that starts `v=DMARC1` but violates RFC 7489 section 6.4 (`{rua}` is filled in). */
  dmarcBadRecord: string;
  dmarcPartial: { policy: 'quarantine' | 'reject'; pct: number };
  /**
   * How a policy_none record says it: `p=none`, or no p / an unknown p with a valid rua, which receivers
   * apply as p=none (RFC 7489 6.6.3).
   */
  dmarcNoneForm: 'explicit' | 'p-missing' | 'p-invalid';
  /** Common selector of the organization's own DKIM key. */
  dkimSelector: string;
  /** Also publish an Ed25519 key (RFC 8463) at a second common selector. */
  dkimEd25519: boolean;
  /** A key at a selector no scanner guesses (does not count as found). */
  dkimUncommonSelector: string | undefined;
  caaIssuer: 'letsencrypt.org' | 'digicert.com' | 'sectigo.com';
  caaIodef: boolean;
  verificationTxt: string[];
  /** Self-hosted DNS: where ns2 lives (two servers), or whether a single-NS set-up has a same-/24 twin. */
  ns2: 'own-other-24' | 'provider';
  singleNs: 'alone' | 'own-same-24';
  /** What a self-hosted server discloses in CHAOS version.bind when it does. */
  serverVersion: string;
}

const SERVER_VERSIONS = [
  '9.11.4-P2-RedHat-9.11.4-26.P2.el7',
  '9.16.1-Ubuntu',
  'Microsoft DNS 6.1.7601 (1DB15D39)',
  'PowerDNS Authoritative Server 4.1.10',
  'dnsmasq-2.80',
] as const;

/**
 * What each disclosed version means for patching (checks/patching_cadence/), declared by hand from the
 * public records rather than computed with the scanner's matcher: BIND 9.11.4-P2 and 9.16.1 are in the
 * ranges of CVE-2020-8616 (NVD CVSS 8.6) and CVE-2020-8617 (NVD CVSS 5.9), 9.0.0 to 9.11.18 and 9.16.0 to
 * 9.16.2 (NVD, ISC advisories), neither on CISA's KEV catalog; both branches are past end of life (ISC). The
 * other servers' versions are in no range of the shipped data.
 */
export const SERVER_VERSION_PATCH_FINDINGS: Readonly<Record<(typeof SERVER_VERSIONS)[number], readonly string[]>> = {
  '9.11.4-P2-RedHat-9.11.4-26.P2.el7': ['patch.cve.high', 'patch.cve.medium', 'patch.eol'],
  '9.16.1-Ubuntu': ['patch.cve.high', 'patch.cve.medium', 'patch.eol'],
  'Microsoft DNS 6.1.7601 (1DB15D39)': [],
  'PowerDNS Authoritative Server 4.1.10': [],
  'dnsmasq-2.80': [],
};

const SPF_BAD_TERMS = ['ipv4:203.0.113.5', 'ip4:300.1.1.1', 'include:', 'ip4:192.0.2.0/33'] as const;
// Without a valid rua: a record with no valid p and a valid rua is applied as p=none (RFC 7489 6.6.3),
// which is the policy_none weakness (OrgVariant.dmarcNoneForm), not a syntax error.
const DMARC_BAD_RECORDS = [
  'v=DMARC1; p=rejected',
  'v=DMARC1; pct=100',
  'v=DMARC1; p=quarantine; pct=150; rua={rua}',
  'v=DMARC1; p=reject; pct=abc; rua={rua}',
] as const;
const STRONG_SELECTORS = ['default', 'google', 'k1', 's1', 'dkim', 'mail', 'key1'] as const;
const UNCOMMON_SELECTORS = ['hc2024', 'mta2023', 'pm-bounces', 'sig1-2025'] as const;

/** Draws an organization's cosmetic choices from its own random stream. */
export function buildVariant(seed: number, identity: OrgIdentity, plan: WeaknessPlan): OrgVariant {
  const rng = createRng(seed, 'variant', identity.index);
  const mailRoll = rng.next();
  const mail: MailSetup =
    mailRoll < 0.25 ? 'own' : mailRoll < 0.62 ? 'mailhost-a' : mailRoll < 0.97 ? 'mailhost-b' : 'null';
  const hosts = planHosts(rng, identity.sector, identity.telehealth, mail === 'own');
  const token = (length: number): string => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
    return out;
  };
  const verificationTxt: string[] = [];
  if (rng.chance(0.5)) verificationTxt.push(`google-site-verification=${token(43)}`);
  if (rng.chance(0.3)) verificationTxt.push(`MS=ms${rng.range(10000000, 99999999)}`);
  return {
    hosts,
    mail,
    spfBulk: rng.chance(0.3),
    spfExtraA: rng.chance(0.4),
    spfBadTerm: rng.pick(SPF_BAD_TERMS),
    spfPermissiveAll: rng.pick(['+all', '?all', 'all'] as const),
    // A fully good organization shows every control, so its DMARC policy is reject.
    dmarcGoodPolicy: plan.fullyGood || rng.chance(0.7) ? 'reject' : 'quarantine',
    dmarcExplicitPct100: rng.chance(0.2),
    dmarcStrictAlignment: rng.chance(0.3),
    dmarcBadRecord: rng.pick(DMARC_BAD_RECORDS),
    dmarcPartial: { policy: rng.chance(0.6) ? 'quarantine' : 'reject', pct: rng.pick([10, 25, 50, 75]) },
    dkimSelector: rng.pick(STRONG_SELECTORS),
    dkimEd25519: rng.chance(0.1),
    dkimUncommonSelector: rng.chance(0.3) ? rng.pick(UNCOMMON_SELECTORS) : undefined,
    caaIssuer: rng.pick(['letsencrypt.org', 'letsencrypt.org', 'digicert.com', 'sectigo.com'] as const),
    caaIodef: rng.chance(0.3),
    verificationTxt,
    ns2: rng.chance(0.6) ? 'own-other-24' : 'provider',
    singleNs: rng.chance(0.5) ? 'alone' : 'own-same-24',
    serverVersion: rng.pick(SERVER_VERSIONS),
    // Drawn last, so the draws above stay what they were before it existed.
    dmarcNoneForm: rng.pick(['explicit', 'explicit', 'p-missing', 'p-invalid'] as const),
  };
}
