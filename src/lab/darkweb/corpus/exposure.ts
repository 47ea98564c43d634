/**
 * Each organization's exposure profile: which document classes it may be mentioned in and how much
 * attention it draws. Without it every organization of a big corpus shows up in every class (each
 * one "listed on a leak site", "PHI exposed"), which no real portfolio looks like. The profile is
 * drawn from the seed: about 30% of organizations are never mentioned (they still appear in traps,
 * which must not match), each class covers a realistic share of organizations, and a heavy-tailed
 * "heat" makes a few organizations mentioned often and most rarely.
 */
import type { DocumentClass } from '../../../darkweb/types.js';
import type { Rng } from '../../world/rng.js';

/**
 * Share of all organizations that a class covers. Orders of magnitude follow public reporting on
 * healthcare (leak-site victims and PHI dumps are a minority; credentials of some staff member
 * leak for a large part of organizations; chatter is the most common).
 */
export const EXPOSURE_RATES: Readonly<Record<DocumentClass, number>> = {
  ransomware_listing: 0.13,
  data_for_sale: 0.2,
  access_for_sale: 0.12,
  credential_leak: 0.35,
  phi_exposure: 0.12,
  chatter: 0.5,
};

/** Share of organizations that no document mentions. */
export const UNTOUCHED_RATE = 0.3;

/** One organization's profile: an empty `classes` means it is never mentioned. */
export interface OrgExposure {
  classes: DocumentClass[];
  /** Relative attention (≥ 1): a document of a class names a member with probability ∝ heat. */
  heat: number;
}

/** Largest heat: bounds how much one organization can dominate a class. */
const MAX_HEAT = 60;
/** Pareto shape: 1.16 is the "80/20" tail (a fifth of the organizations draw most mentions). */
const PARETO_SHAPE = 1.16;

/** A heavy-tailed heat in [1, MAX_HEAT]. */
function drawHeat(rng: Rng): number {
  // Inverse CDF of Pareto(x_m = 1): 1 − u is in (0, 1], so the power is finite.
  return Math.min(MAX_HEAT, (1 - rng.next()) ** (-1 / PARETO_SHAPE));
}

/**
 * `count` distinct indexes out of `candidates`, each drawn with probability ∝ its heat (weighted
 * sampling without replacement, Efraimidis & Spirakis 2006: keep the largest keys u^(1/w)).
 */
function weightedSample(rng: Rng, candidates: readonly number[], heat: readonly number[], count: number): number[] {
  const keyed = candidates.map((i) => ({ i, key: Math.log(1 - rng.next()) / heat[i]! }));
  keyed.sort((a, b) => b.key - a.key || a.i - b.i);
  return keyed.slice(0, count).map((k) => k.i);
}

/** How many of `n` organizations a share covers: at least one when anyone is exposed, so every class occurs. */
function quota(n: number, share: number, exposed: number): number {
  return Math.min(exposed, Math.max(1, Math.round(n * share)));
}

/**
 * Plans the exposure of `count` organizations (same rng, same plan). Shares are quotas, not
 * independent coin flips, so even 25 organizations get every class and several untouched ones;
 * hot organizations are more likely to be in several classes, as heavily targeted ones are.
 */
export function planExposure(count: number, rng: Rng): OrgExposure[] {
  const heat = Array.from({ length: count }, () => drawHeat(rng));
  const order = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  // Never more than count − 1 untouched: a portfolio of one is still exposed.
  const untouched = new Set(order.slice(0, Math.min(count - 1, Math.round(count * UNTOUCHED_RATE))));
  const exposed = order.filter((i) => !untouched.has(i)).sort((a, b) => a - b);
  const classes: DocumentClass[][] = Array.from({ length: count }, () => []);
  const byRate = (Object.keys(EXPOSURE_RATES) as DocumentClass[]).filter((c) => c !== 'chatter');
  for (const cls of byRate) {
    for (const i of weightedSample(rng, exposed, heat, quota(count, EXPOSURE_RATES[cls], exposed.length)))
      classes[i]!.push(cls);
  }
  // Chatter last: every exposed organization that no other class took is talked about, so
  // "exposed" always means "mentioned somewhere"; the rest of the quota goes by heat.
  const silent = exposed.filter((i) => classes[i]!.length === 0);
  const loud = exposed.filter((i) => classes[i]!.length > 0);
  const more = Math.max(0, quota(count, EXPOSURE_RATES.chatter, exposed.length) - silent.length);
  for (const i of [...silent, ...weightedSample(rng, loud, heat, more)]) classes[i]!.push('chatter');
  // Two decimals: the plan is written to truth.json, and the rounded heat is the one followed.
  return heat.map((h, i) => ({
    classes: untouched.has(i) ? [] : classes[i]!,
    heat: untouched.has(i) ? 0 : Math.round(h * 100) / 100,
  }));
}

/** Per class, the organizations it may name, picked by heat. */
export class ExposureRoster<T> {
  private readonly members = new Map<DocumentClass, { items: T[]; cumulative: number[] }>();

  constructor(items: readonly T[], plan: readonly OrgExposure[]) {
    items.forEach((item, i) => {
      const exposure = plan[i];
      if (exposure === undefined) return;
      for (const cls of exposure.classes) {
        const entry = this.members.get(cls) ?? { items: [], cumulative: [] };
        entry.items.push(item);
        entry.cumulative.push((entry.cumulative.at(-1) ?? 0) + exposure.heat);
        this.members.set(cls, entry);
      }
    });
  }

  /** Members of `cls` (empty when none). */
  of(cls: DocumentClass): readonly T[] {
    return this.members.get(cls)?.items ?? [];
  }

  /** One member of `cls` by heat, or undefined when the class has none. */
  pick(rng: Rng, cls: DocumentClass): T | undefined {
    const entry = this.members.get(cls);
    if (entry === undefined) return undefined;
    const target = rng.next() * entry.cumulative.at(-1)!;
    // First cumulative sum above the target (binary search keeps a million documents fast).
    let lo = 0;
    let hi = entry.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entry.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return entry.items[lo];
  }

  /** Up to `count` distinct members of `cls`, by heat. */
  sample(rng: Rng, cls: DocumentClass, count: number): T[] {
    const all = this.of(cls);
    if (count >= all.length) return rng.shuffle(all);
    const out: T[] = [];
    // A hot member keeps coming back: a bounded number of draws, then the first members not yet taken.
    for (let attempt = 0; attempt < count * 8 && out.length < count; attempt++) {
      const one = this.pick(rng, cls);
      if (one !== undefined && !out.includes(one)) out.push(one);
    }
    for (const one of all) {
      if (out.length >= count) break;
      if (!out.includes(one)) out.push(one);
    }
    return out;
  }
}
