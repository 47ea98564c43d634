/**
 * Which weaknesses each lab organization carries. The ids are the catalogue's DNS finding ids
 * (src/catalogue/catalogue.json; how each is realized: docs/lab.md); the precedence groups below decide
 * which combinations are allowed, so that every injected weakness maps to exactly one finding.
 */
import { listFindingTypes } from '../../catalogue/catalogue.js';
import type { FindingId } from '../../catalogue/ids.js';
import { createRng, type Rng } from './rng.js';

/**
 * DNS finding ids of the catalogue the lab does not plant, each with the reason. Every other DNS finding
 * id is planted: a catalogue entry is either here or in the lab (a test holds the lab to it).
 */
export const NOT_PLANTED = {} as const satisfies Partial<Record<DnsFindingId, string>>;

/** A DNS finding id of the catalogue. */
type DnsFindingId = Extract<FindingId, `dns.${string}`>;

/** A DNS finding id the lab plants. */
export type LabFindingId = Exclude<DnsFindingId, keyof typeof NOT_PLANTED>;

/** Every finding id the lab can inject: the catalogue's dns_health findings, in catalogue order, minus NOT_PLANTED. */
export const LAB_FINDING_IDS: readonly LabFindingId[] = listFindingTypes({ factor: 'dns_health' })
  .map((f) => f.id)
  .filter((id): id is LabFindingId => id.startsWith('dns.') && !Object.hasOwn(NOT_PLANTED, id));

/** Good controls the lab's truth lists (recorded by the scanner as info, never findings). */
export const LAB_CONTROL_IDS = [
  'dns.spf.hardfail',
  'dns.dmarc.reject',
  'dns.dnssec.valid',
  'dns.caa.present',
  'dns.dkim.strong_key',
] as const;
export type LabControlId = (typeof LAB_CONTROL_IDS)[number];

/** How a DNSSEC-invalid zone is broken. */
export type DnssecBreakage = 'expired' | 'bad_signature';

/** Groups of which at most one member may be present (contract: finding precedence). */
const EXCLUSIVE_GROUPS: ReadonlyArray<readonly LabFindingId[]> = [
  // Multiple records and syntax errors hide every other SPF judgement; missing leaves nothing to judge.
  [
    'dns.spf.missing',
    'dns.spf.multiple_records',
    'dns.spf.syntax_error',
    'dns.spf.permissive_all',
    'dns.spf.softfail_all',
  ],
  // A DMARC syntax error is the only DMARC finding; partial_pct is only judged for quarantine/reject.
  ['dns.dmarc.missing', 'dns.dmarc.syntax_error', 'dns.dmarc.policy_none', 'dns.dmarc.partial_pct'],
  ['dns.dkim.not_found', 'dns.dkim.weak_key'],
  ['dns.dnssec.unsigned', 'dns.dnssec.invalid'],
];

/** A weakness that cannot coexist with any of the listed ones. */
const EXCLUDED_BY: Partial<Record<LabFindingId, readonly LabFindingId[]>> = {
  // Look-up limits are only judged on one syntactically valid SPF record.
  'dns.spf.too_many_lookups': ['dns.spf.missing', 'dns.spf.multiple_records', 'dns.spf.syntax_error'],
  'dns.spf.void_lookups': ['dns.spf.missing', 'dns.spf.multiple_records', 'dns.spf.syntax_error'],
  // What check_host() reaches through include:/mx: is judged on one valid record too.
  'dns.spf.include_broken': ['dns.spf.missing', 'dns.spf.multiple_records', 'dns.spf.syntax_error'],
  'dns.spf.too_many_mx': ['dns.spf.missing', 'dns.spf.multiple_records', 'dns.spf.syntax_error'],
  // no_reporting is judged on every valid DMARC record, so it needs one.
  'dns.dmarc.no_reporting': ['dns.dmarc.missing', 'dns.dmarc.syntax_error'],
};

/** Weaknesses of an organization's own name servers: they need self-hosted DNS. */
export const NAME_SERVER_WEAKNESSES: ReadonlySet<LabFindingId> = new Set([
  'dns.axfr.open',
  'dns.resolver.open',
  'dns.version_disclosed',
]);

/** Whether `type` is a known finding id. */
export function isLabFindingId(type: string): type is LabFindingId {
  return (LAB_FINDING_IDS as readonly string[]).includes(type);
}

/** Whether adding `type` to `current` keeps the set consistent with the precedence rules. */
export function isCompatible(current: ReadonlySet<LabFindingId>, type: LabFindingId): boolean {
  if (current.has(type)) return true;
  for (const group of EXCLUSIVE_GROUPS) {
    if (group.includes(type) && group.some((other) => current.has(other))) return false;
  }
  const excluded = EXCLUDED_BY[type] ?? [];
  if (excluded.some((other) => current.has(other))) return false;
  for (const other of current) {
    if ((EXCLUDED_BY[other] ?? []).includes(type)) return false;
  }
  return true;
}

/** Validates a weakness list: unknown ids and forbidden combinations throw; returns it sorted in contract order. */
export function normalizeWeaknesses(types: readonly string[]): LabFindingId[] {
  const set = new Set<LabFindingId>();
  for (const type of types) {
    if (!isLabFindingId(type))
      throw new Error(`unknown lab weakness "${type}" (expected one of: ${LAB_FINDING_IDS.join(', ')})`);
    if (!isCompatible(set, type)) {
      throw new Error(
        `weakness "${type}" cannot be combined with ${[...set].join(', ')} (contract finding precedence)`,
      );
    }
    set.add(type);
  }
  return LAB_FINDING_IDS.filter((id) => set.has(id));
}

/** The weaknesses planned for one organization, before they are realized in DNS data. */
export interface WeaknessPlan {
  types: LabFindingId[];
  /** How the zone is broken when `dns.dnssec.invalid` is planned (kept even when it is not). */
  dnssecBreakage: DnssecBreakage;
  /** Whether the organization runs its own name servers. */
  selfHostedDns: boolean;
  /** Planned to have no weakness and every good control. */
  fullyGood: boolean;
}

/** One feature the first organizations must carry between them so every finding id occurs. */
interface CoverageFeature {
  type: LabFindingId;
  breakage?: DnssecBreakage;
}

/** Organizations among which every finding id is guaranteed to occur. */
export const COVERAGE_WINDOW = 25;

/**
 * Plans weaknesses for `count` organizations. Among the first 25, a few are fully good and the
 * others carry every finding id at least once (both DNSSEC breakages too); beyond that, per-org
 * draws at plausible rates.
 */
export function planWeaknesses(seed: number, count: number): WeaknessPlan[] {
  const planRng = createRng(seed, 'coverage');
  const window = Math.min(count, COVERAGE_WINDOW);
  const slots = planRng.shuffle(Array.from({ length: window }, (_, i) => i));
  const goodCount = window >= 10 ? 3 : window >= 3 ? 1 : 0;
  const good = new Set(slots.slice(0, goodCount));
  const carriers = slots.slice(goodCount);

  const forced = new Map<number, Set<LabFindingId>>();
  const forcedBreakage = new Map<number, DnssecBreakage>();
  const features: CoverageFeature[] = planRng.shuffle([
    ...LAB_FINDING_IDS.filter((id) => id !== 'dns.dnssec.invalid').map((type) => ({ type })),
    { type: 'dns.dnssec.invalid', breakage: 'expired' },
    { type: 'dns.dnssec.invalid', breakage: 'bad_signature' },
  ] satisfies CoverageFeature[]);
  let cursor = 0;
  for (const feature of features) {
    // Round-robin over carriers, skipping one whose set conflicts; bounded by the carrier count.
    for (let tries = 0; tries < carriers.length; tries++) {
      const slot = carriers[(cursor + tries) % carriers.length]!;
      const set = forced.get(slot) ?? new Set<LabFindingId>();
      if (!isCompatible(set, feature.type) || set.has(feature.type)) continue;
      set.add(feature.type);
      forced.set(slot, set);
      if (feature.breakage) forcedBreakage.set(slot, feature.breakage);
      cursor = (cursor + tries + 1) % carriers.length;
      break;
    }
  }

  const plans: WeaknessPlan[] = [];
  for (let index = 0; index < count; index++) {
    const rng = createRng(seed, 'weaknesses', index);
    const breakage: DnssecBreakage = forcedBreakage.get(index) ?? (rng.chance(0.5) ? 'expired' : 'bad_signature');
    const fullyGood = good.has(index) || (index >= COVERAGE_WINDOW && rng.chance(0.05));
    if (fullyGood) {
      plans.push({ types: [], dnssecBreakage: breakage, selfHostedDns: rng.chance(0.1), fullyGood: true });
      continue;
    }
    const set = new Set<LabFindingId>(forced.get(index) ?? []);
    // The SPF reach weaknesses draw from a stream of their own, so adding them left the other draws alone.
    for (const type of [...drawRandomWeaknesses(rng), ...drawSpfReachWeaknesses(createRng(seed, 'spf-reach', index))]) {
      if (isCompatible(set, type)) set.add(type);
    }
    const types = LAB_FINDING_IDS.filter((id) => set.has(id));
    const needsOwnServers = types.some((t) => NAME_SERVER_WEAKNESSES.has(t));
    plans.push({
      types,
      dnssecBreakage: breakage,
      selfHostedDns: needsOwnServers || rng.chance(0.05),
      fullyGood: false,
    });
  }
  return plans;
}

/** A stale include of a retired provider, and an mx: term over a relay pool of more than 10 exchangers. */
function drawSpfReachWeaknesses(rng: Rng): LabFindingId[] {
  const out: LabFindingId[] = [];
  if (rng.chance(0.03)) out.push('dns.spf.include_broken');
  if (rng.chance(0.02)) out.push('dns.spf.too_many_mx');
  return out;
}

/** Independent draws at rates loosely modelled on healthcare domains' DNS hygiene. */
function drawRandomWeaknesses(rng: Rng): LabFindingId[] {
  const out: LabFindingId[] = [];
  const spf = rng.next();
  if (spf < 0.1) out.push('dns.spf.missing');
  else if (spf < 0.13) out.push('dns.spf.multiple_records');
  else if (spf < 0.16) out.push('dns.spf.syntax_error');
  else if (spf < 0.19) out.push('dns.spf.permissive_all');
  else if (spf < 0.5) out.push('dns.spf.softfail_all');
  if (rng.chance(0.06)) out.push('dns.spf.too_many_lookups');
  if (rng.chance(0.03)) out.push('dns.spf.void_lookups');

  const dmarc = rng.next();
  if (dmarc < 0.22) out.push('dns.dmarc.missing');
  else if (dmarc < 0.25) out.push('dns.dmarc.syntax_error');
  else if (dmarc < 0.5) out.push('dns.dmarc.policy_none');
  else if (dmarc < 0.55) out.push('dns.dmarc.partial_pct');
  if (rng.chance(0.15)) out.push('dns.dmarc.no_reporting');

  const dkim = rng.next();
  if (dkim < 0.25) out.push('dns.dkim.not_found');
  else if (dkim < 0.37) out.push('dns.dkim.weak_key');

  if (rng.chance(0.03)) out.push('dns.mx.missing');
  const dnssec = rng.next();
  if (dnssec < 0.8) out.push('dns.dnssec.unsigned');
  else if (dnssec < 0.83) out.push('dns.dnssec.invalid');
  if (rng.chance(0.7)) out.push('dns.caa.missing');
  if (rng.chance(0.05)) out.push('dns.wildcard');
  if (rng.chance(0.06)) out.push('dns.cname.dangling');
  if (rng.chance(0.05)) out.push('dns.ns.single');
  // Self-hosted DNS (about 12%) brings the name-server weaknesses.
  if (rng.chance(0.12)) {
    if (rng.chance(0.3)) out.push('dns.axfr.open');
    if (rng.chance(0.25)) out.push('dns.resolver.open');
    if (rng.chance(0.4)) out.push('dns.version_disclosed');
  }
  return out;
}
