/**
 * Permutations of discovered host names, as dnsgen and altdns make them: the first label of each name
 * below the domain with its number changed, an environment or region word added before or after it,
 * an environment word swapped for another, or a word as a new label in front. Candidates come tier by
 * tier (the most productive alterations of every name first), deduplicated and capped, so the cap
 * drops the least likely guesses. Pure: the scanner resolves the candidates, the lab's truth uses the
 * same function to say which hosts permutations reach.
 */
import { canonicalName } from '../../core/names.js';

/** Environment and role words (the common part of dnsgen's and altdns' word lists). */
export const ENVIRONMENT_WORDS = [
  'dev',
  'test',
  'staging',
  'stage',
  'stg',
  'qa',
  'uat',
  'prod',
  'preprod',
  'beta',
  'demo',
  'sandbox',
  'old',
  'new',
  'backup',
  'dr',
  'int',
  'internal',
  'ext',
  'api',
  'admin',
  'v2',
] as const;

/** Region words cloud and hosting names carry. */
export const REGION_WORDS = ['east', 'west', 'us', 'eu', 'uk', 'us-east', 'us-west', 'eu-west'] as const;

/** Most candidates one domain gets: with the default wordlist about as many queries again. */
export const PERMUTATION_LIMIT = 5000;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ENVIRONMENT_SET: ReadonlySet<string> = new Set(ENVIRONMENT_WORDS);

/** Alterations of one label, tier by tier (index = tier). Results may repeat or be invalid: filtered later. */
function alterationTiers(label: string): string[][] {
  const numbers: string[] = [];
  const digits = /^(.*?)(\d+)$/.exec(label);
  if (digits) {
    const [, stem, number] = digits as unknown as [string, string, string];
    const n = Number.parseInt(number, 10);
    for (const m of [n + 1, n - 1, n + 2]) if (m >= 0) numbers.push(`${stem}${String(m).padStart(number.length, '0')}`);
  } else numbers.push(`${label}1`, `${label}2`, `${label}-1`, `${label}-2`, `${label}01`, `${label}-01`);

  // `api-dev` → `api-test`, `api`: the word swapped for another or dropped.
  const swaps: string[] = [];
  const parts = label.split('-');
  parts.forEach((part, i) => {
    if (!ENVIRONMENT_SET.has(part) || parts.length < 2) return;
    swaps.push(parts.filter((_, j) => j !== i).join('-'));
    for (const word of ENVIRONMENT_WORDS) if (word !== part) swaps.push(parts.with(i, word).join('-'));
  });

  const environmentAffixes = ENVIRONMENT_WORDS.flatMap((w) => [`${label}-${w}`, `${w}-${label}`]);
  const regionAffixes = REGION_WORDS.flatMap((w) => [`${label}-${w}`, `${w}-${label}`]);
  const joined = ENVIRONMENT_WORDS.flatMap((w) => [`${label}${w}`, `${w}${label}`]);
  return [numbers, swaps, environmentAffixes, regionAffixes, joined];
}

/**
 * Candidate names for `domain` from the discovered `hosts` (names at or below it; the apex and names
 * already known are not candidates), at most `limit`, most likely first.
 */
export function permutationCandidates(
  domain: string,
  hosts: Iterable<string>,
  limit: number = PERMUTATION_LIMIT,
): string[] {
  const known = new Set<string>();
  const seeds: Array<{ first: string; parent: string }> = [];
  for (const raw of hosts) {
    const host = canonicalName(raw);
    known.add(host);
    if (!host.endsWith(`.${domain}`)) continue;
    const dot = host.indexOf('.');
    const first = host.slice(0, dot);
    if (LABEL.test(first)) seeds.push({ first, parent: host.slice(dot + 1) });
  }
  const tiers = seeds.map((seed) => ({ seed, tiers: alterationTiers(seed.first) }));
  const out = new Set<string>();
  const offer = (name: string): boolean => {
    if (!known.has(name) && name.length <= 253) out.add(name);
    return out.size >= limit;
  };
  const tierCount = 6;
  for (let tier = 0; tier < tierCount; tier++) {
    for (const { seed, tiers: alterations } of tiers) {
      // The last tier puts a word in front as a new label (`dev.portal`): the seed's own name is the parent.
      const names =
        tier < alterations.length
          ? alterations[tier]!.filter((l) => LABEL.test(l)).map((l) => `${l}.${seed.parent}`)
          : ENVIRONMENT_WORDS.map((w) => `${w}.${seed.first}.${seed.parent}`);
      for (const name of names) if (offer(name)) return [...out];
    }
  }
  return [...out];
}

/** The name one label up: where a wildcard would answer for `name`. */
export function parentName(name: string): string {
  return name.slice(name.indexOf('.') + 1);
}
