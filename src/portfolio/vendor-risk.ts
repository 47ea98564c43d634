/**
 * Third-party risk (issue #10 section 4): an organization's vendors (from the `vendors` import column)
 * with their grades, and a summary a vendor-risk office reads first. Pure: callers hand in each
 * vendor's latest snapshot at the date they look at.
 *
 * The level is the weakest link's: `high` when a vendor is graded F, `elevated` when one is graded D,
 * `unknown` when no vendor is rated yet, `low` otherwise, `none` without vendors. A vendor not rated
 * is counted, never treated as good.
 */
import { GRADES } from '../core/score-snapshots.js';
import type { Grade, ScoreSnapshot } from '../core/score-snapshots.js';
import type { VendorGrade, VendorRiskSummary } from '../core/scorecard.js';

export type { VendorGrade, VendorRiskSummary } from '../core/scorecard.js';

/** A vendor and its snapshot (undefined: never scored). */
export interface VendorInput {
  name: string;
  telehealth: boolean;
  snapshot: ScoreSnapshot | undefined;
}

/** The vendors, worst first (the unrated last), and their summary. */
export function vendorRisk(vendors: readonly VendorInput[]): { vendors: VendorGrade[]; summary: VendorRiskSummary } {
  const rows = vendors
    .map(
      (v): VendorGrade => ({
        organization: v.name,
        telehealth: v.telehealth,
        score: v.snapshot?.score ?? null,
        grade: v.snapshot?.grade ?? null,
        scored_at: v.snapshot?.takenAt ?? null,
      }),
    )
    .sort(
      (a, b) =>
        (a.score === null ? 1 : 0) - (b.score === null ? 1 : 0) ||
        (a.score ?? 0) - (b.score ?? 0) ||
        a.organization.localeCompare(b.organization),
    );
  const rated = rows.filter((r) => r.score !== null);
  const grades = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  for (const r of rated) if (r.grade !== null) grades[r.grade] += 1;
  const mean =
    rated.length === 0 ? null : Math.round((rated.reduce((s, r) => s + r.score!, 0) / rated.length) * 10) / 10;
  const weakest = rated[0] ?? null;
  const level: VendorRiskSummary['level'] =
    rows.length === 0
      ? 'none'
      : grades.F > 0
        ? 'high'
        : grades.D > 0
          ? 'elevated'
          : rated.length === 0
            ? 'unknown'
            : 'low';
  const unrated = rows.length - rated.length;
  const parts: string[] = [`${rows.length} vendor${rows.length === 1 ? '' : 's'}`];
  if (rows.length > 0) {
    const weak = (['F', 'D'] as const).filter((g) => grades[g] > 0).map((g) => `${grades[g]} graded ${g}`);
    if (weak.length > 0) parts.push(weak.join(', '));
    if (weakest !== null)
      parts.push(`weakest ${weakest.organization} (${weakest.score!.toFixed(1)}, ${weakest.grade})`);
    if (mean !== null) parts.push(`mean ${mean.toFixed(1)}`);
    if (unrated > 0) parts.push(`${unrated} not rated`);
  }
  return {
    vendors: rows,
    summary: {
      level,
      vendors: rows.length,
      rated: rated.length,
      unrated,
      grades,
      mean_score: mean,
      weakest,
      text: `vendor risk ${level}: ${parts.join('; ')}`,
    },
  };
}
