/**
 * The study service behind `vitals study`: reads the portfolio's score snapshots as a stream (the last
 * one per organization per month counts), the findings' lifecycle events and the dark-web mentions, and
 * hands them to the pure study arithmetic (src/study). Nothing is loaded whole except the organizations'
 * cohort labels, so 30,000 organizations x 8 months stream through.
 */
import type { Store } from '../store/database.js';
import { COHORTS, type Cohort, type MentionFigure, type StudyReport } from '../study/figures.js';
import { lifecycleStatistics } from '../study/lifecycle.js';
import { monthOfTimestamp, studyPeriods, type PeriodMode } from '../study/periods.js';
import { StudyAccumulator, lastPerPeriod, type StudyOptions } from '../study/study.js';

/** What the study needs of a score snapshot (RATINGS.md `score_snapshots`; the repo's ScoreSnapshot has it). */
export interface StudySnapshot {
  organizationId: string;
  takenAt: string;
  factors: ReadonlyArray<{ factor: string; score: number | null; findings: number }>;
  findingCounts: Readonly<Record<string, number>>;
  domainCount: number;
}

/** Where snapshots come from: `streamSnapshots` of the score-snapshots repo, in (organization, time) order. */
export type SnapshotStream = (range: { from: string; to: string }) => AsyncIterable<StudySnapshot>;

/** A study as the CLI asks for it. */
export interface StudyRequest {
  from: string;
  to: string;
  by?: PeriodMode;
  cohort?: Cohort;
  seed?: number;
  resamples?: number;
}

/** Runs the study over the store. */
export async function runStudy(store: Store, snapshots: SnapshotStream, request: StudyRequest): Promise<StudyReport> {
  const periods = studyPeriods(request.from, request.to, request.by ?? 'span');
  const first = periods.periods[0]!;
  const last = periods.periods[periods.periods.length - 1]!;
  const range = { from: first.start, to: last.end };

  const telehealth = new Map((await store.organizations.list()).map((o) => [o.id, o.telehealth]));
  const accumulator = new StudyAccumulator(periods);
  const stream = lastPerPeriod(snapshots(range), (s) => ({
    organizationId: s.organizationId,
    period: monthOfTimestamp(s.takenAt),
  }));
  for await (const snapshot of stream) {
    const isTelehealth = telehealth.get(snapshot.organizationId);
    // An organization removed since it was scored has no cohort any more: its snapshots went with it
    // (cascade), so this only guards against a race with a concurrent removal.
    if (isTelehealth === undefined) continue;
    const factors: Record<string, number> = {};
    // A factor is rated when it has a score; findings without one would be a method bug, still counted.
    for (const f of snapshot.factors) if (f.score !== null || f.findings > 0) factors[f.factor] = f.findings;
    accumulator.add({
      organizationId: snapshot.organizationId,
      telehealth: isTelehealth,
      period: monthOfTimestamp(snapshot.takenAt),
      domainCount: snapshot.domainCount,
      factors,
      findingTypes: snapshot.findingCounts,
    });
  }
  const options: StudyOptions = {
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.resamples !== undefined ? { resamples: request.resamples } : {}),
    ...(request.cohort !== undefined ? { cohort: request.cohort } : {}),
  };
  const report = accumulator.finish(options);
  const wanted = (cohort: Cohort): boolean => request.cohort === undefined || request.cohort === cohort;

  const lifecycle = await lifecycleStatistics(
    store.findings.streamEvents({ before: range.to }),
    periods.periods,
    (id) => {
      const flag = telehealth.get(id);
      return flag === undefined ? undefined : flag ? 'telehealth' : 'non_telehealth';
    },
  );
  report.lifecycle = {
    periods: lifecycle.periods.filter((f) => wanted(f.cohort)),
    remediation: lifecycle.remediation.filter((f) => wanted(f.cohort)),
  };

  const mentions = await store.darkweb.mentionsByMonth(range);
  const figures = new Map<string, MentionFigure>();
  for (const row of mentions) {
    for (const cohort of ['all', row.telehealth ? 'telehealth' : 'non_telehealth'] as const) {
      const key = `${row.month}\u0000${row.class}\u0000${cohort}`;
      const figure = figures.get(key) ?? { month: row.month, class: row.class, cohort, mentions: 0, organizations: 0 };
      figure.mentions += row.mentions;
      // Cohorts are disjoint, so distinct organizations add up.
      figure.organizations += row.organizations;
      figures.set(key, figure);
    }
  }
  report.darkweb = {
    mentions: [...figures.values()]
      .filter((f) => wanted(f.cohort))
      .sort(
        (a, b) =>
          a.month.localeCompare(b.month) ||
          a.class.localeCompare(b.class) ||
          COHORTS.indexOf(a.cohort) - COHORTS.indexOf(b.cohort),
      ),
    undated_rule:
      'a mention is dated by its document posting date, or by its ingestion date when the document has none',
  };
  return report;
}
