/**
 * The lab's history model (docs/lab-history.md): how each lab organization's posture moves month by
 * month, seeded, so `vitals lab history` can scan a changing world and `vitals study` has real history.
 * Pure: it proposes each month's weakness sets; the runner realizes them in the running lab.
 *
 * The lab serves DNS and e-mail security and a dark web, so every event of the model is realized as what
 * a DNS scan or the dark-web feed can see:
 * - DNS fixes: an open DNS weakness is fixed (more often by everyone but telehealth providers once the
 *   pandemic starts, the reading the seed study offered for DNS health improving);
 * - patches applied and missed: each month's maintenance is applied (it repairs one drifted setting) or
 *   missed (a setting drifts: a DKIM key left weak, DNSSEC signatures left to expire, an SPF include chain
 *   grown past ten look-ups); telehealth providers miss it more often during the rush;
 * - telehealth platforms rolled out fast: a telehealth organization rolls out a platform once, rarely
 *   before the pandemic and mostly in its first two months, with weaker configurations (a permissive or
 *   soft-fail SPF, DMARC at p=none or without reports, no CAA, a wildcard, no DKIM key);
 * - new dark-web mentions: documents posted each month, more of them once the pandemic starts, part of
 *   them aimed at telehealth organizations.
 * Weaknesses of an organization's own name servers (open resolver, zone transfer, version disclosure,
 * a single name server) need a lab restart to change and stay as the world made them.
 */
import { createRng, type Rng } from '../world/rng.js';
import { isCompatible, LAB_FINDING_IDS, type LabFindingId } from '../world/weaknesses.js';

/** The month the model's pandemic starts (the seed study's March-April 2020). */
export const PANDEMIC_START = '2020-03';

/** Every rate of the model, in one place (documented in docs/lab-history.md). */
export const HISTORY_MODEL = {
  /** Monthly chance that one open DNS weakness is fixed. */
  dnsFixRate: { before: 0.06, pandemicTelehealth: 0.03, pandemicRest: 0.14 },
  /** Monthly chance that maintenance is applied; otherwise it is missed. */
  maintenanceRate: { before: 0.8, pandemicTelehealth: 0.5, pandemicRest: 0.8 },
  /** Chance that a missed maintenance makes a setting drift, and that an applied one repairs a drifted setting. */
  driftOnMiss: 0.5,
  repairOnApplied: 0.5,
  /** Monthly chance that a telehealth organization (not yet rolled out) rolls out its platform. */
  rolloutRate: { before: 0.03, pandemic: 0.55 },
  /** Weaker settings a rollout brings: between these many. */
  rolloutWeakenings: { min: 1, max: 3 },
  /** Dark-web documents per month per organization, and the pandemic's multiplier. */
  documentsPerOrganization: 2,
  pandemicDocumentFactor: 2.5,
  /** Share of a pandemic month's documents written about telehealth organizations only. */
  pandemicTelehealthShare: 0.4,
} as const;

/** Weaknesses only a lab restart can change (they change the organization's name servers). */
const FIXED_WEAKNESSES: ReadonlySet<LabFindingId> = new Set([
  'dns.axfr.open',
  'dns.resolver.open',
  'dns.version_disclosed',
  'dns.ns.single',
]);

/** Settings that drift when maintenance is missed. */
export const DRIFT_WEAKNESSES: readonly LabFindingId[] = [
  'dns.dkim.weak_key',
  'dns.dnssec.invalid',
  'dns.spf.too_many_lookups',
];

/**
 * Weaker configurations a hurried telehealth rollout brings. All judged on the apex, so the history's
 * scans (without the wordlist) see every one of them; a dangling alias would sit on a host only the
 * wordlist finds.
 */
export const ROLLOUT_WEAKNESSES: readonly LabFindingId[] = [
  'dns.spf.permissive_all',
  'dns.spf.softfail_all',
  'dns.dmarc.policy_none',
  'dns.dmarc.no_reporting',
  'dns.caa.missing',
  'dns.wildcard',
  'dns.dkim.not_found',
];

/** One organization as the model sees it. */
export interface HistoryOrganization {
  domain: string;
  telehealth: boolean;
  weaknesses: readonly LabFindingId[];
  /** Whether it has rolled out its telehealth platform already. */
  rolledOut: boolean;
}

/** What happened to one organization in one month. */
export type ModelEvent =
  | { kind: 'dns_fix'; type: LabFindingId }
  | { kind: 'patch_applied'; repaired?: LabFindingId }
  | { kind: 'patch_missed'; drifted?: LabFindingId }
  | { kind: 'telehealth_rollout'; added: LabFindingId[] };

/** One organization's proposed change. */
export interface OrganizationChange {
  domain: string;
  before: LabFindingId[];
  after: LabFindingId[];
  rolledOut: boolean;
  events: ModelEvent[];
}

/** The model's plan of one month. */
export interface MonthPlan {
  month: string;
  /** When the month's scan runs: the 15th at 12:00 UTC. */
  scanAt: string;
  pandemic: boolean;
  changes: OrganizationChange[];
  /** Dark-web documents to post this month: about anyone, and about telehealth organizations only. */
  documents: { general: number; telehealth: number };
}

/** Months since year 0 of a validated `YYYY-MM` (the CLI validates months before they get here). */
function monthIndex(month: string): number {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (match === null) throw new RangeError(`not a month: ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

/** The scan date of a month. */
export function scanDate(month: string): string {
  const index = monthIndex(month);
  const year = Math.floor(index / 12);
  return new Date(Date.UTC(year, index - year * 12, 15, 12)).toISOString();
}

function inPandemic(month: string): boolean {
  return monthIndex(month) >= monthIndex(PANDEMIC_START);
}

/** Adds `type` when compatible with what is there; returns whether it was added. */
function tryAdd(set: Set<LabFindingId>, type: LabFindingId): boolean {
  if (set.has(type) || !isCompatible(set, type)) return false;
  set.add(type);
  return true;
}

function pickAbsent(rng: Rng, set: Set<LabFindingId>, candidates: readonly LabFindingId[]): LabFindingId | undefined {
  const open = rng.shuffle(candidates.filter((t) => !set.has(t)));
  return open.find((t) => isCompatible(set, t));
}

/**
 * The month's plan for every organization, from their state at the end of the previous month. The first
 * month of a history is scanned as the world was built (`planMonth` is called for the months after it).
 */
export function planMonth(seed: number, month: string, organizations: readonly HistoryOrganization[]): MonthPlan {
  const pandemic = inPandemic(month);
  const m = HISTORY_MODEL;
  const changes = organizations.map((org): OrganizationChange => {
    // One stream per organization and month: adding an organization does not move the others' draws.
    const rng = createRng(seed, 'history', month, org.domain);
    const set = new Set(org.weaknesses);
    const events: ModelEvent[] = [];
    let rolledOut = org.rolledOut;

    const fixRate = pandemic
      ? org.telehealth
        ? m.dnsFixRate.pandemicTelehealth
        : m.dnsFixRate.pandemicRest
      : m.dnsFixRate.before;
    const fixable = [...set].filter((t) => !FIXED_WEAKNESSES.has(t));
    if (fixable.length > 0 && rng.chance(fixRate)) {
      const type = rng.pick(fixable);
      set.delete(type);
      events.push({ kind: 'dns_fix', type });
    }

    const maintained = pandemic
      ? org.telehealth
        ? m.maintenanceRate.pandemicTelehealth
        : m.maintenanceRate.pandemicRest
      : m.maintenanceRate.before;
    if (rng.chance(maintained)) {
      const drifted = DRIFT_WEAKNESSES.filter((t) => set.has(t));
      if (drifted.length > 0 && rng.chance(m.repairOnApplied)) {
        const repaired = rng.pick(drifted);
        set.delete(repaired);
        events.push({ kind: 'patch_applied', repaired });
      } else events.push({ kind: 'patch_applied' });
    } else {
      const drift = rng.chance(m.driftOnMiss) ? pickAbsent(rng, set, DRIFT_WEAKNESSES) : undefined;
      if (drift !== undefined) tryAdd(set, drift);
      events.push(drift === undefined ? { kind: 'patch_missed' } : { kind: 'patch_missed', drifted: drift });
    }

    if (org.telehealth && !rolledOut && rng.chance(pandemic ? m.rolloutRate.pandemic : m.rolloutRate.before)) {
      rolledOut = true;
      const wanted = rng.range(m.rolloutWeakenings.min, m.rolloutWeakenings.max);
      const added: LabFindingId[] = [];
      for (const type of rng.shuffle(ROLLOUT_WEAKNESSES)) {
        if (added.length >= wanted) break;
        if (tryAdd(set, type)) added.push(type);
      }
      events.push({ kind: 'telehealth_rollout', added });
    }
    return { domain: org.domain, before: [...org.weaknesses], after: sortLike(set), rolledOut, events };
  });
  return { month, scanAt: scanDate(month), pandemic, changes, documents: documentCounts(month, organizations) };
}

/**
 * Dark-web documents posted in `month`: `perOrganization` per organization, times the pandemic factor once
 * it starts, when part of them are written about telehealth organizations only.
 */
export function documentCounts(
  month: string,
  organizations: readonly Pick<HistoryOrganization, 'telehealth'>[],
  perOrganization: number = HISTORY_MODEL.documentsPerOrganization,
): MonthPlan['documents'] {
  const m = HISTORY_MODEL;
  const total = Math.round(organizations.length * perOrganization);
  if (!inPandemic(month)) return { general: total, telehealth: 0 };
  const surge = total * m.pandemicDocumentFactor;
  const telehealth = organizations.some((o) => o.telehealth) ? Math.round(surge * m.pandemicTelehealthShare) : 0;
  return { general: Math.round(surge) - telehealth, telehealth };
}

/** In the lab's own order (LAB_FINDING_IDS), as setWeaknesses returns it. */
function sortLike(set: ReadonlySet<LabFindingId>): LabFindingId[] {
  return LAB_FINDING_IDS.filter((id) => set.has(id));
}
