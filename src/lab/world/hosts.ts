/**
 * Host names of lab organizations, picked with the seeded PRNG from the published subdomain lists
 * (data/wordlists/: the top 5,000 and top 20,000 labels), never from a hand list tuned to the scanner.
 * Ordinary hosts take labels from the top 5,000, the common ones more often, as real zones do. Hidden
 * hosts take labels from ranks 5,001 to 20,000 that the scanner's default wordlist does not have, so
 * only Certificate Transparency, an open zone transfer, an MX record or a CNAME leads to them; some
 * hosts are alterations of an ordinary label (`vpn-staging`), found only by permutations.
 */
import { DEFAULT_WORDLIST, publishedWordlist } from '../../probes/dns/wordlist.js';
import type { LabSector } from './names.js';
import type { Rng } from './rng.js';

/** Labels with a fixed role in every zone; the pools leave them out. */
const ROLE_LABELS: ReadonlySet<string> = new Set(['www', 'mail', 'ns1', 'ns2']);
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

interface LabelPools {
  /** Single labels of the top 5,000 list, most common first. */
  common: readonly string[];
  /** Single labels of ranks 5,001-20,000 that the default wordlist lacks. */
  hidden: readonly string[];
  /** The scanner's default wordlist, to keep hidden names out of it. */
  wordlist: ReadonlySet<string>;
}

let pools: LabelPools | undefined;

/** The label pools, read once from the vendored lists. */
export function labelPools(): LabelPools {
  if (pools) return pools;
  const usable = (label: string): boolean => LDH_LABEL.test(label) && !ROLE_LABELS.has(label);
  const top5000 = publishedWordlist('top5000');
  const inTop = new Set(top5000);
  const wordlist = new Set(DEFAULT_WORDLIST);
  pools = {
    common: top5000.filter(usable),
    hidden: publishedWordlist('top20000').filter((l) => usable(l) && !inTop.has(l) && !wordlist.has(l)),
    wordlist,
  };
  return pools;
}

/** `web1` → `web2`, `portal` → `portal2`: the next host of a numbered series. */
function nextNumber(label: string): string {
  const digits = /^(.*?)(\d+)$/.exec(label);
  if (!digits) return `${label}2`;
  return `${digits[1]}${String(Number(digits[2]) + 1).padStart(digits[2]!.length, '0')}`;
}

/** Alterations the lab makes of an ordinary label for hosts only permutations find (dnsgen/altdns style). */
export const LAB_ALTERATIONS: ReadonlyArray<(label: string) => string> = [
  (l) => `${l}-dev`,
  (l) => `${l}-test`,
  (l) => `${l}-staging`,
  (l) => `dev-${l}`,
  (l) => `staging-${l}`,
  (l) => `${l}-old`,
  (l) => `${l}-uat`,
  nextNumber,
  (l) => `${l}-eu`,
  (l) => `us-${l}`,
];

/** Suffix of the in-domain target an alias points at (`portal` → `portal-prd-01`): found only via the CNAME. */
export const CNAME_TARGET_SUFFIX = '-prd-01';

/** How an organization's hosts are laid out (cosmetic: the same whatever its weaknesses). */
export interface HostPlan {
  /** Labels with A or CNAME records: 3-9 of the top 5,000, and the mail host when it runs its own mail. */
  labels: string[];
  /** How `www` is published when present. */
  www: 'a' | 'cname-apex' | 'cname-cdn';
  /** Labels that CNAME to the video provider. */
  videoLabels: string[];
  /** A label that CNAMEs to an in-domain target `<label>-prd-01` (only discoverable through the alias). */
  aliasLabel: string | undefined;
  /** The mail host's label when the organization runs its own mail: `mail`, or a hidden one only MX names. */
  mailLabel: string | undefined;
  /** Hosts only in Certificate Transparency. */
  ctOnly: string[];
  /** Hosts that exist only while the zone is open to AXFR (internal names). */
  axfrOnly: string[];
  /** Alterations of an ordinary label that no wordlist has: only permutations find them. */
  permutationOnly: string[];
  /** Names in CT that no longer exist. */
  staleCt: string[];
  /** Label of the dangling CNAME when the organization has one. */
  danglingLabel: string;
  /** Labels also certified (and therefore in CT) besides the apex. */
  certified: string[];
}

/** A label of `pool`, the first entries much more often (about as often as real zones use them). */
function pickCommon(rng: Rng, pool: readonly string[], avoid: ReadonlySet<string>): string {
  for (;;) {
    const label = pool[Math.floor(pool.length * rng.next() ** 3)]!;
    if (!avoid.has(label)) return label;
  }
}

/** Chooses an organization's hosts. `ownMail` adds the mail host. */
export function planHosts(rng: Rng, _sector: LabSector, telehealth: boolean, ownMail: boolean): HostPlan {
  const { common, hidden, wordlist } = labelPools();
  const taken = new Set<string>();
  const take = (label: string): string => {
    taken.add(label);
    return label;
  };
  const hiddenLabel = (): string => {
    for (;;) {
      const label = rng.pick(hidden);
      if (!taken.has(label)) return take(label);
    }
  };

  const count = rng.range(3, 9);
  const chosen: string[] = [];
  // Most organizations have a www host.
  if (rng.chance(0.8)) chosen.push(take('www'));
  while (chosen.length < count) chosen.push(take(pickCommon(rng, common, taken)));
  const mailLabel = ownMail ? take(rng.chance(0.6) ? 'mail' : hiddenLabel()) : undefined;
  const labels = mailLabel ? [...chosen, mailLabel] : chosen;
  const ordinary = chosen.filter((l) => l !== 'www');
  // Telehealth organizations often run their video visits on a provider's platform behind their own name.
  const videoLabels = ordinary.length > 0 && rng.chance(telehealth ? 0.6 : 0.15) ? [rng.pick(ordinary)] : [];
  const aliasCandidates = ordinary.filter((l) => !videoLabels.includes(l));
  const aliasLabel = aliasCandidates.length > 0 && rng.chance(0.25) ? rng.pick(aliasCandidates) : undefined;
  const www = rng.pick(['a', 'a', 'cname-apex', 'cname-cdn'] as const);
  const ctOnly = rng.chance(0.3) ? Array.from({ length: rng.range(1, 2) }, hiddenLabel) : [];
  const axfrOnly = Array.from({ length: rng.range(1, 3) }, () => `${hiddenLabel()}-0${rng.range(1, 9)}`);
  const permutationOnly: string[] = [];
  if (ordinary.length > 0 && rng.chance(0.35)) {
    const label = rng.pick(LAB_ALTERATIONS)(rng.pick(ordinary));
    if (!wordlist.has(label) && !taken.has(label)) permutationOnly.push(take(label));
  }
  const staleCt = rng.chance(0.12) ? [`${hiddenLabel()}-${rng.range(2017, 2021)}`] : [];
  const danglingLabel = take(pickCommon(rng, common, taken));
  const certified = chosen.filter(() => rng.chance(0.5));
  return {
    labels,
    www,
    videoLabels,
    aliasLabel,
    mailLabel,
    ctOnly,
    axfrOnly,
    permutationOnly,
    staleCt,
    danglingLabel,
    certified,
  };
}
