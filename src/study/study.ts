/**
 * The study's arithmetic (issue #10 section 6), pure and streaming: organizations' per-period figures
 * go in one at a time (`StudyAccumulator.add`), and `finish` returns the report.
 *
 * - The unit is the organization. Per factor and per finding type, each organization has a count of
 *   open findings and a count per domain (findings / its domain count); a cohort's figure for a period
 *   is the mean of those over its organizations.
 * - The change runs from the first period to the last, on the organizations with data in both (paired:
 *   the same organizations on both sides, so a change is never an artefact of who was scanned when).
 *   For a factor, the organization must also have the factor rated in both periods. Organizations with
 *   data in only one of the two are left out of every change and counted in the caveats.
 * - change_pct = 100 x (mean last - mean first) / mean first (a ratio of means over the same
 *   organizations). Its 95% interval is a percentile bootstrap that resamples organizations with
 *   replacement within each cohort (telehealth, the rest; `all` combines both replicates, a stratified
 *   bootstrap), seeded so a study is reproducible.
 * - A change whose interval lies above 0 is `declined` (more findings), below 0 `improved`, otherwise
 *   `no_significant_change`.
 */
import { FACTORS } from '../core/types.js';
import { getCatalogue } from '../catalogue/catalogue.js';
import { SparseRows, percentileInterval, stratifiedBootstrap } from './bootstrap.js';
import {
  ALL_FACTORS,
  COHORTS,
  type ChangeEstimate,
  type Cohort,
  type CohortComparison,
  type CohortSummary,
  type Direction,
  type FactorChange,
  type FactorPeriodFigure,
  type FindingTypeChange,
  type FindingTypePeriodFigure,
  type OrganizationPeriodFigures,
  type PeriodSummary,
  type StudyReport,
} from './figures.js';
import type { StudyPeriods } from './periods.js';

/** Options of `finish`. */
export interface StudyOptions {
  /** Bootstrap replicates; default 1,000. */
  resamples?: number;
  /** Seed of the bootstrap; default 1. */
  seed?: number;
  /** Confidence level of the intervals; default 0.95. */
  confidence?: number;
  /** Report only this cohort (the arithmetic of the others is the same either way). */
  cohort?: Cohort;
  /** The factor of a finding type; default: the catalogue's, `unknown` for a type it does not know. */
  factorOfType?: (type: string) => string;
}

export const DEFAULT_RESAMPLES = 1_000;
export const DEFAULT_SEED = 1;

/** The two bootstrap strata; `all` is their union. */
const STRATA = ['telehealth', 'non_telehealth'] as const;
type Stratum = (typeof STRATA)[number];

interface OrganizationRecord {
  stratum: Stratum;
  first?: OrganizationPeriodFigures;
  last?: OrganizationPeriodFigures;
  periods: number;
}

/** Sums of one measure over the organizations of one stratum in one period. */
interface PeriodSums {
  organizations: number;
  findings: number;
  perDomain: number;
}

function stratumOf(telehealth: boolean): Stratum {
  return telehealth ? 'telehealth' : 'non_telehealth';
}

function addSums(map: Map<string, PeriodSums>, key: string, organizations: number, findings: number, perDomain = 0) {
  const sums = map.get(key);
  if (sums === undefined) map.set(key, { organizations, findings, perDomain });
  else {
    sums.organizations += organizations;
    sums.findings += findings;
    sums.perDomain += perDomain;
  }
}

function sumOf(values: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const value of Object.values(values)) total += value;
  return total;
}

/** Rounds for the report: figures to 4 decimals, percentages to 2 (the arithmetic keeps full precision). */
function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

function catalogueFactorOf(): (type: string) => string {
  const factors = new Map(getCatalogue().findings.map((f) => [f.id, f.factor as string]));
  return (type) => factors.get(type) ?? 'unknown';
}

/** The factor order of reports: `all`, the fixed factor list, then anything else by name. */
function factorRank(factor: string): number {
  if (factor === ALL_FACTORS) return -1;
  const index = (FACTORS as readonly string[]).indexOf(factor);
  return index >= 0 ? index : FACTORS.length;
}

function compareFactors(a: string, b: string): number {
  return factorRank(a) - factorRank(b) || a.localeCompare(b);
}

/** Percent change of a ratio of sums; +Infinity when it grows from nothing, 0 when both are 0. */
function changePercent(first: number, last: number): number {
  if (first > 0) return (100 * (last - first)) / first;
  return last > 0 ? Number.POSITIVE_INFINITY : 0;
}

function finiteOrNull(value: number, decimals: number): number | null {
  return Number.isFinite(value) ? round(value, decimals) : null;
}

function directionOf(low: number, high: number): Direction {
  if (low > 0) return 'declined';
  if (high < 0) return 'improved';
  return 'no_significant_change';
}

const NO_ESTIMATE: ChangeEstimate = {
  first: null,
  last: null,
  change_pct: null,
  ci_low: null,
  ci_high: null,
  direction: 'insufficient_data',
};

/**
 * One measured quantity: a factor (or `all`) or a finding type. Its four bootstrap columns are, in
 * order: findings in the first period, in the last, findings per domain in the first, in the last.
 */
interface Measure {
  kind: 'factor' | 'type';
  name: string;
  factor: string;
  column: number;
}

/** Collects per-organization per-period figures, then computes the study. */
export class StudyAccumulator {
  private readonly organizations = new Map<string, OrganizationRecord>();
  private readonly periodIndex: Map<string, number>;
  private readonly firstPeriod: string;
  private readonly lastPeriod: string;
  /** Per period and stratum: organizations with data. */
  private readonly periodOrganizations = new Map<string, number>();
  /** Per period, stratum and measure: sums for the descriptive series. */
  private readonly series = new Map<string, PeriodSums>();
  private readonly seen = new Set<string>();
  private withoutDomains = 0;

  constructor(private readonly periods: StudyPeriods) {
    this.periodIndex = new Map(periods.periods.map((p, i) => [p.period, i]));
    this.firstPeriod = periods.periods[0]!.period;
    this.lastPeriod = periods.periods[periods.periods.length - 1]!.period;
  }

  /**
   * Adds one organization's figures for one period. Figures of a month outside the study's periods are
   * ignored (returns false). One set of figures per organization and period: the caller picks the
   * period's last snapshot (see `lastPerPeriod`).
   */
  add(figures: OrganizationPeriodFigures): boolean {
    if (!this.periodIndex.has(figures.period)) return false;
    const identity = `${figures.organizationId}\u0000${figures.period}`;
    if (this.seen.has(identity))
      throw new Error(`study: two sets of figures for organization ${figures.organizationId} in ${figures.period}`);
    this.seen.add(identity);
    if (!(figures.domainCount > 0)) {
      this.withoutDomains += 1;
      return false;
    }
    const stratum = stratumOf(figures.telehealth);
    let record = this.organizations.get(figures.organizationId);
    if (record === undefined) {
      record = { stratum, periods: 0 };
      this.organizations.set(figures.organizationId, record);
    }
    // The latest period's cohort label wins (an organization that became a telehealth provider).
    record.stratum = stratum;
    record.periods += 1;
    if (figures.period === this.firstPeriod) record.first = figures;
    if (figures.period === this.lastPeriod) record.last = figures;

    const prefix = `${figures.period}\u0000${stratum}\u0000`;
    this.periodOrganizations.set(prefix, (this.periodOrganizations.get(prefix) ?? 0) + 1);
    const total = sumOf(figures.factors);
    addSums(this.series, `${prefix}f\u0000${ALL_FACTORS}`, 1, total, total / figures.domainCount);
    for (const [factor, findings] of Object.entries(figures.factors))
      addSums(this.series, `${prefix}f\u0000${factor}`, 1, findings, findings / figures.domainCount);
    // Every organization with data counts in a type's denominator; only its non-zero types are stored.
    for (const [type, findings] of Object.entries(figures.findingTypes))
      if (findings !== 0) addSums(this.series, `${prefix}t\u0000${type}`, 0, findings, findings / figures.domainCount);
    return true;
  }

  /** Computes the report. */
  finish(options: StudyOptions = {}): StudyReport {
    const resamples = options.resamples ?? DEFAULT_RESAMPLES;
    const seed = options.seed ?? DEFAULT_SEED;
    const confidence = options.confidence ?? 0.95;
    const factorOfType = options.factorOfType ?? catalogueFactorOf();
    const wanted = (cohort: Cohort): boolean => options.cohort === undefined || options.cohort === cohort;

    const measures = this.measures(factorOfType);
    const columnCount = measures.length * 4;
    const rows: Record<Stratum, SparseRows> = { telehealth: new SparseRows(), non_telehealth: new SparseRows() };
    /** Paired organizations per stratum and measure. */
    const paired: Record<Stratum, Int32Array> = {
      telehealth: new Int32Array(measures.length),
      non_telehealth: new Int32Array(measures.length),
    };
    for (const record of this.organizations.values()) {
      const { first, last } = record;
      if (first === undefined || last === undefined) continue;
      const entries: Array<readonly [number, number]> = [];
      for (let m = 0; m < measures.length; m++) {
        const measure = measures[m]!;
        const a = measuredValue(first, measure);
        const b = measuredValue(last, measure);
        if (a === undefined || b === undefined) continue;
        paired[record.stratum][m]! += 1;
        entries.push(
          [measure.column, a],
          [measure.column + 1, b],
          [measure.column + 2, a / first.domainCount],
          [measure.column + 3, b / last.domainCount],
        );
      }
      rows[record.stratum].addRow(entries);
    }

    // Replicates of every change, per cohort, measure and scale (0: per organization, 1: per domain).
    const replicateIndex = (cohort: number, measure: number, scale: number): number =>
      (cohort * measures.length + measure) * 2 + scale;
    const replicates = Array.from({ length: COHORTS.length * measures.length * 2 }, () => new Float64Array(resamples));
    const telehealthIndex = COHORTS.indexOf('telehealth');
    const restIndex = COHORTS.indexOf('non_telehealth');
    const allIndex = COHORTS.indexOf('all');
    stratifiedBootstrap([rows.telehealth, rows.non_telehealth], columnCount, { resamples, seed }, (b, [tele, rest]) => {
      for (let m = 0; m < measures.length; m++) {
        const c = measures[m]!.column;
        for (let scale = 0; scale < 2; scale++) {
          const f = c + 2 * scale;
          replicates[replicateIndex(telehealthIndex, m, scale)]![b] = changePercent(tele![f]!, tele![f + 1]!);
          replicates[replicateIndex(restIndex, m, scale)]![b] = changePercent(rest![f]!, rest![f + 1]!);
          replicates[replicateIndex(allIndex, m, scale)]![b] = changePercent(
            tele![f]! + rest![f]!,
            tele![f + 1]! + rest![f + 1]!,
          );
        }
      }
    });

    const pointSums: Record<Stratum, Float64Array> = {
      telehealth: rows.telehealth.sums(columnCount),
      non_telehealth: rows.non_telehealth.sums(columnCount),
    };
    const cohortSums = (cohort: Cohort, column: number): number =>
      cohort === 'all' ? pointSums.telehealth[column]! + pointSums.non_telehealth[column]! : pointSums[cohort][column]!;
    const cohortPaired = (cohort: Cohort, m: number): number =>
      cohort === 'all' ? paired.telehealth[m]! + paired.non_telehealth[m]! : paired[cohort][m]!;

    const estimate = (cohort: Cohort, m: number, scale: number): ChangeEstimate => {
      const n = cohortPaired(cohort, m);
      if (n === 0) return NO_ESTIMATE;
      const column = measures[m]!.column + 2 * scale;
      const firstSum = cohortSums(cohort, column);
      const lastSum = cohortSums(cohort, column + 1);
      const means = { first: round(firstSum / n, 4), last: round(lastSum / n, 4) };
      if (firstSum === 0) return { ...NO_ESTIMATE, ...means };
      const [low, high] = percentileInterval(
        replicates[replicateIndex(COHORTS.indexOf(cohort), m, scale)]!,
        confidence,
      );
      return {
        ...means,
        change_pct: round(changePercent(firstSum, lastSum), 2),
        ci_low: finiteOrNull(low, 2),
        ci_high: finiteOrNull(high, 2),
        direction: directionOf(low, high),
      };
    };

    const factors: FactorChange[] = [];
    const findingTypes: FindingTypeChange[] = [];
    const comparison: CohortComparison[] = [];
    measures.forEach((measure, m) => {
      for (const cohort of COHORTS) {
        if (!wanted(cohort)) continue;
        const headline = { ...estimate(cohort, m, 1), organizations: cohortPaired(cohort, m) };
        const perOrganization = estimate(cohort, m, 0);
        if (measure.kind === 'factor')
          factors.push({ factor: measure.name, cohort, ...headline, per_organization: perOrganization });
        else
          findingTypes.push({
            type: measure.name,
            factor: measure.factor,
            cohort,
            ...headline,
            per_organization: perOrganization,
          });
      }
      if (measure.kind === 'factor' && options.cohort === undefined)
        comparison.push(this.compare(measure, m, pointSums, replicates, replicateIndex, confidence));
    });

    return {
      from: this.periods.from,
      to: this.periods.to,
      by: this.periods.mode,
      method: {
        unit: 'organization',
        headline_measure: 'findings_per_domain',
        measures: [
          'findings_per_organization: mean over organizations of open scored findings',
          "findings_per_domain: mean over organizations of open scored findings / the organization's domain count",
        ],
        snapshot_rule: "an organization's figures in a month are those of its last score snapshot taken in that month",
        change:
          'change_pct = 100 x (mean in the last period - mean in the first) / mean in the first, over paired ' +
          'organizations',
        pairing:
          'only organizations with data in both the first and the last period (and, for a factor, the factor rated ' +
          'in both) enter a change; the others are counted in the caveats',
        interval:
          'percentile bootstrap: organizations resampled with replacement within each cohort (telehealth, the rest); ' +
          '"all" combines both cohorts\' replicates',
        confidence,
        resamples,
        seed,
        strata: [...STRATA],
      },
      periods: this.periodSummaries(),
      cohorts: COHORTS.filter(wanted).map((cohort) => this.cohortSummary(cohort)),
      factors,
      finding_types: findingTypes,
      comparison,
      series: this.factorSeries(measures).filter((f) => wanted(f.cohort)),
      finding_type_series: this.typeSeries(measures).filter((f) => wanted(f.cohort)),
      caveats: this.caveats(),
    };
  }

  /** Every factor seen in the first or last period (rated somewhere), then every finding type seen. */
  private measures(factorOfType: (type: string) => string): Measure[] {
    const factors = new Set<string>([ALL_FACTORS]);
    const types = new Set<string>();
    for (const record of this.organizations.values()) {
      for (const figures of [record.first, record.last]) {
        if (figures === undefined) continue;
        for (const factor of Object.keys(figures.factors)) factors.add(factor);
        for (const [type, n] of Object.entries(figures.findingTypes)) if (n !== 0) types.add(type);
      }
    }
    const measures: Measure[] = [];
    for (const factor of [...factors].sort(compareFactors))
      measures.push({ kind: 'factor', name: factor, factor, column: measures.length * 4 });
    const typed = [...types].map((type) => ({ type, factor: factorOfType(type) }));
    typed.sort((a, b) => compareFactors(a.factor, b.factor) || a.type.localeCompare(b.type));
    for (const { type, factor } of typed)
      measures.push({ kind: 'type', name: type, factor, column: measures.length * 4 });
    return measures;
  }

  private compare(
    measure: Measure,
    m: number,
    sums: Record<Stratum, Float64Array>,
    replicates: Float64Array[],
    replicateIndex: (cohort: number, measure: number, scale: number) => number,
    confidence: number,
  ): CohortComparison {
    const column = measure.column + 2;
    const change = (stratum: Stratum): number | null =>
      sums[stratum][column]! > 0 ? changePercent(sums[stratum][column]!, sums[stratum][column + 1]!) : null;
    const tele = change('telehealth');
    const rest = change('non_telehealth');
    const base = {
      factor: measure.name,
      telehealth_change_pct: tele === null ? null : round(tele, 2),
      non_telehealth_change_pct: rest === null ? null : round(rest, 2),
    };
    if (tele === null || rest === null)
      return { ...base, difference_pct_points: null, ci_low: null, ci_high: null, significant: false };
    const teleReplicates = replicates[replicateIndex(COHORTS.indexOf('telehealth'), m, 1)]!;
    const restReplicates = replicates[replicateIndex(COHORTS.indexOf('non_telehealth'), m, 1)]!;
    const difference = teleReplicates.map((t, b) => t - restReplicates[b]!);
    const [low, high] = percentileInterval(difference, confidence);
    return {
      ...base,
      difference_pct_points: round(tele - rest, 2),
      ci_low: finiteOrNull(low, 2),
      ci_high: finiteOrNull(high, 2),
      significant: low > 0 || high < 0,
    };
  }

  private organizationsIn(period: string, cohort: Cohort): number {
    const count = (stratum: Stratum) => this.periodOrganizations.get(`${period}\u0000${stratum}\u0000`) ?? 0;
    return cohort === 'all' ? count('telehealth') + count('non_telehealth') : count(cohort);
  }

  private seriesSums(period: string, cohort: Cohort, key: string): PeriodSums {
    const get = (stratum: Stratum) => this.series.get(`${period}\u0000${stratum}\u0000${key}`);
    const parts = cohort === 'all' ? [get('telehealth'), get('non_telehealth')] : [get(cohort)];
    const total: PeriodSums = { organizations: 0, findings: 0, perDomain: 0 };
    for (const part of parts) {
      if (part === undefined) continue;
      total.organizations += part.organizations;
      total.findings += part.findings;
      total.perDomain += part.perDomain;
    }
    return total;
  }

  private periodSummaries(): PeriodSummary[] {
    return this.periods.periods.map((p) => ({
      ...p,
      organizations: {
        all: this.organizationsIn(p.period, 'all'),
        telehealth: this.organizationsIn(p.period, 'telehealth'),
        non_telehealth: this.organizationsIn(p.period, 'non_telehealth'),
      },
    }));
  }

  private factorSeries(measures: readonly Measure[]): FactorPeriodFigure[] {
    const out: FactorPeriodFigure[] = [];
    for (const measure of measures) {
      if (measure.kind !== 'factor') continue;
      for (const { period } of this.periods.periods) {
        for (const cohort of COHORTS) {
          const sums = this.seriesSums(period, cohort, `f\u0000${measure.name}`);
          out.push(periodFigure({ period, cohort, factor: measure.name }, sums.organizations, sums));
        }
      }
    }
    return out;
  }

  private typeSeries(measures: readonly Measure[]): FindingTypePeriodFigure[] {
    const out: FindingTypePeriodFigure[] = [];
    for (const measure of measures) {
      if (measure.kind !== 'type') continue;
      for (const { period } of this.periods.periods) {
        for (const cohort of COHORTS) {
          const sums = this.seriesSums(period, cohort, `t\u0000${measure.name}`);
          const organizations = this.organizationsIn(period, cohort);
          out.push(periodFigure({ period, cohort, type: measure.name, factor: measure.factor }, organizations, sums));
        }
      }
    }
    return out;
  }

  private cohortSummary(cohort: Cohort): CohortSummary {
    const summary: CohortSummary = {
      cohort,
      organizations: 0,
      paired: 0,
      first_only: 0,
      last_only: 0,
      between_only: 0,
    };
    for (const record of this.organizations.values()) {
      if (cohort !== 'all' && record.stratum !== cohort) continue;
      summary.organizations += 1;
      if (record.first !== undefined && record.last !== undefined) summary.paired += 1;
      else if (record.first !== undefined) summary.first_only += 1;
      else if (record.last !== undefined) summary.last_only += 1;
      else summary.between_only += 1;
    }
    return summary;
  }

  private caveats(): StudyReport['caveats'] {
    const all = this.cohortSummary('all');
    const notes: string[] = [];
    if (all.first_only + all.last_only + all.between_only > 0)
      notes.push(
        `${all.first_only + all.last_only + all.between_only} of ${all.organizations} organizations with data lack ` +
          `data in ${this.firstPeriod} or ${this.lastPeriod} and are left out of every change ` +
          `(${all.first_only} first period only, ${all.last_only} last period only, ${all.between_only} neither)`,
      );
    if (this.withoutDomains > 0)
      notes.push(`${this.withoutDomains} snapshots without any domain are left out (no per-domain figure exists)`);
    if (all.paired === 0) notes.push(`no organization has data in both ${this.firstPeriod} and ${this.lastPeriod}`);
    notes.push(
      'a factor counts only where it is rated (checks for it ran); findings per factor depend on which checks exist ' +
        'and ran in each period',
    );
    return {
      organizations: all.organizations,
      paired: all.paired,
      first_only: all.first_only,
      last_only: all.last_only,
      between_only: all.between_only,
      without_domains: this.withoutDomains,
      notes,
    };
  }
}

function measuredValue(figures: OrganizationPeriodFigures, measure: Measure): number | undefined {
  if (measure.kind === 'type') return figures.findingTypes[measure.name] ?? 0;
  if (measure.name === ALL_FACTORS) return sumOf(figures.factors);
  return figures.factors[measure.name];
}

function periodFigure<T extends { period: string; cohort: Cohort }>(
  key: T,
  organizations: number,
  sums: PeriodSums,
): T & PeriodFigureFields {
  return {
    ...key,
    organizations,
    findings_per_organization: organizations > 0 ? round(sums.findings / organizations, 4) : null,
    findings_per_domain: organizations > 0 ? round(sums.perDomain / organizations, 4) : null,
  };
}

interface PeriodFigureFields {
  organizations: number;
  findings_per_organization: number | null;
  findings_per_domain: number | null;
}

/**
 * The last item per organization and period of a stream ordered by organization then time (as
 * `streamSnapshots` yields): one organization's items arrive together, so only the current one is held.
 */
export async function* lastPerPeriod<T>(
  items: AsyncIterable<T> | Iterable<T>,
  keyOf: (item: T) => { organizationId: string; period: string },
): AsyncGenerator<T> {
  let current: { organizationId: string; periods: Map<string, T> } | undefined;
  for await (const item of items) {
    const { organizationId, period } = keyOf(item);
    if (current === undefined || current.organizationId !== organizationId) {
      if (current !== undefined) yield* current.periods.values();
      current = { organizationId, periods: new Map() };
    }
    // Time order within an organization: a later item of the same period replaces the earlier one.
    current.periods.set(period, item);
  }
  if (current !== undefined) yield* current.periods.values();
}
