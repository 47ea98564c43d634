/**
 * Finding lifecycle statistics per period (issue #10 section 3), from the findings' transition events
 * (`finding_events`: opened, resolved, reopened). Pure and streaming: events arrive grouped by finding,
 * in time order, and only the current finding's events are held.
 *
 * For a period [start, end):
 * - new: findings first seen in it (an `opened` event);
 * - resolved: resolutions in it (a finding resolved, reopened and resolved again counts twice);
 * - regressed: reopenings in it (a resolved finding seen again);
 * - persisting: findings open at the start and still open at the end (whatever happened in between);
 * - open_at_end: findings open when the period ends.
 * Days to remediate: for each resolution in the period, the days since the finding was last opened
 * (first seen or reopened); the mean per factor and severity.
 */
import { SEVERITIES } from '../core/types.js';
import { ALL_FACTORS, COHORTS, type Cohort } from './figures.js';
import type { StudyPeriod } from './periods.js';

/** One transition of one finding. */
export interface LifecycleEvent {
  findingId: string;
  organizationId: string;
  factor: string;
  severity: string;
  event: 'opened' | 'resolved' | 'reopened';
  /** ISO 8601 UTC. */
  at: string;
}

/** Counts of one period, cohort and factor (`all`: every factor). */
export interface LifecycleFigure {
  period: string;
  cohort: Cohort;
  factor: string;
  new: number;
  persisting: number;
  resolved: number;
  regressed: number;
  open_at_end: number;
}

/** Days to remediate of the findings resolved in one period, per cohort, factor and severity. */
export interface RemediationFigure {
  period: string;
  cohort: Cohort;
  factor: string;
  severity: string;
  resolved: number;
  mean_days_to_remediate: number;
}

export interface LifecycleReport {
  periods: LifecycleFigure[];
  remediation: RemediationFigure[];
}

const DAY_MS = 86_400_000;

interface Counts {
  new: number;
  persisting: number;
  resolved: number;
  regressed: number;
  open_at_end: number;
}

/**
 * Lifecycle statistics of `periods` over `events` (grouped by finding, each finding's events in time
 * order, as `FindingsRepo.streamEvents` yields them). `cohortOf` places an organization in
 * `telehealth` or `non_telehealth`; an organization it returns undefined for is left out.
 */
export async function lifecycleStatistics(
  events: AsyncIterable<LifecycleEvent> | Iterable<LifecycleEvent>,
  periods: readonly StudyPeriod[],
  cohortOf: (organizationId: string) => Exclude<Cohort, 'all'> | undefined,
): Promise<LifecycleReport> {
  const counts = new Map<string, Counts>();
  const remediation = new Map<string, { resolved: number; days: number }>();
  const bump = (period: string, cohort: Cohort, factor: string, field: keyof Counts): void => {
    for (const c of [cohort, 'all'] as const) {
      for (const f of [factor, ALL_FACTORS]) {
        const key = `${period}\u0000${c}\u0000${f}`;
        let entry = counts.get(key);
        if (entry === undefined) {
          entry = { new: 0, persisting: 0, resolved: 0, regressed: 0, open_at_end: 0 };
          counts.set(key, entry);
        }
        entry[field] += 1;
      }
    }
  };
  const factors = new Set<string>();

  let group: LifecycleEvent[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    const first = group[0]!;
    const cohort = cohortOf(first.organizationId);
    if (cohort !== undefined) {
      factors.add(first.factor);
      measureFinding(group, periods, cohort, bump, (period, severity, days) => {
        for (const c of [cohort, 'all'] as const) {
          const key = `${period}\u0000${c}\u0000${first.factor}\u0000${severity}`;
          const entry = remediation.get(key) ?? { resolved: 0, days: 0 };
          entry.resolved += 1;
          entry.days += days;
          remediation.set(key, entry);
        }
      });
    }
    group = [];
  };
  for await (const event of events) {
    if (group.length > 0 && group[0]!.findingId !== event.findingId) flush();
    group.push(event);
  }
  flush();

  const figures: LifecycleFigure[] = [];
  for (const { period } of periods) {
    for (const cohort of COHORTS) {
      for (const factor of [ALL_FACTORS, ...[...factors].sort()]) {
        const entry = counts.get(`${period}\u0000${cohort}\u0000${factor}`);
        figures.push({
          period,
          cohort,
          factor,
          ...(entry ?? { new: 0, persisting: 0, resolved: 0, regressed: 0, open_at_end: 0 }),
        });
      }
    }
  }
  const remediationFigures: RemediationFigure[] = [...remediation].map(([key, value]) => {
    const [period, cohort, factor, severity] = key.split('\u0000') as [string, Cohort, string, string];
    return {
      period,
      cohort,
      factor,
      severity,
      resolved: value.resolved,
      mean_days_to_remediate: Math.round((value.days / value.resolved) * 100) / 100,
    };
  });
  const order = (r: RemediationFigure): string => `${r.period}\u0000${COHORTS.indexOf(r.cohort)}\u0000${r.factor}`;
  remediationFigures.sort(
    (a, b) => order(a).localeCompare(order(b)) || severityRank(a.severity) - severityRank(b.severity),
  );
  return { periods: figures, remediation: remediationFigures };
}

/** Most severe first; an unknown severity last. */
function severityRank(severity: string): number {
  const rank = (SEVERITIES as readonly string[]).indexOf(severity);
  return rank < 0 ? SEVERITIES.length : rank;
}

/** Walks one finding's events against every period. */
function measureFinding(
  events: readonly LifecycleEvent[],
  periods: readonly StudyPeriod[],
  cohort: Cohort,
  bump: (period: string, cohort: Cohort, factor: string, field: keyof Counts) => void,
  remediated: (period: string, severity: string, days: number) => void,
): void {
  const { factor } = events[0]!;
  /** Open after the events before `at`. */
  const openBefore = (at: string): boolean => {
    let open = false;
    for (const e of events) {
      if (e.at >= at) break;
      open = e.event !== 'resolved';
    }
    return open;
  };
  for (const { period, start, end } of periods) {
    const openAtStart = openBefore(start);
    const openAtEnd = openBefore(end);
    if (openAtStart && openAtEnd) bump(period, cohort, factor, 'persisting');
    if (openAtEnd) bump(period, cohort, factor, 'open_at_end');
  }
  let openedAt: string | undefined;
  for (const e of events) {
    const period = periods.find((p) => p.start <= e.at && e.at < p.end);
    if (e.event === 'resolved') {
      if (period !== undefined) {
        bump(period.period, cohort, factor, 'resolved');
        if (openedAt !== undefined)
          remediated(period.period, e.severity, (Date.parse(e.at) - Date.parse(openedAt)) / DAY_MS);
      }
      openedAt = undefined;
      continue;
    }
    openedAt = e.at;
    if (period !== undefined) bump(period.period, cohort, factor, e.event === 'opened' ? 'new' : 'regressed');
  }
}
