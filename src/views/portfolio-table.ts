/**
 * The dashboard's portfolio table (issue #11 section 3): every organization with grade, score, trend and
 * its sparkline, sector, telehealth flag, worst factor, open findings by severity and dark-web mentions,
 * in one answer the browser sorts, filters and renders virtualized. Scores, grades and factors are each
 * organization's latest snapshot (as `vitals portfolio` reads them); everything comes from a fixed number
 * of grouped queries, whatever the portfolio's size.
 */
import type { Factor, Sector, Severity } from '../core/types.js';
import type { Grade } from '../core/score-snapshots.js';
import { TREND_DAYS } from '../ratings/portfolio-scores.js';
import { roundScore } from '../scoring/rate.js';
import type { Store } from '../store/database.js';
import { openFindingCounts } from './organizations.js';

/** Months of history a sparkline covers (the current month included). */
export const SPARKLINE_MONTHS = 12;

export interface PortfolioTableRow {
  name: string;
  sector: Sector;
  telehealth: boolean;
  /** From the latest snapshot; null when the organization has none or it rated nothing. */
  score: number | null;
  grade: Grade | null;
  /** Points gained since the latest snapshot at or before TREND_DAYS ago; null without one. */
  trend: number | null;
  /** The factor that loses the most points in the latest snapshot; null when it loses none. */
  worst_factor: Factor | null;
  open_findings: Record<Severity, number>;
  mentions: number;
  /** The score at the end of each of the last SPARKLINE_MONTHS months with a snapshot, oldest first. */
  sparkline: Array<{ month: string; score: number | null }>;
}

export interface PortfolioTable {
  as_of: string;
  organizations: PortfolioTableRow[];
}

export async function portfolioTable(store: Store, now: Date): Promise<PortfolioTable> {
  const organizations = await store.organizations.list();
  const open = await openFindingCounts(store);
  const mentions = await store.darkweb.mentionCounts();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (SPARKLINE_MONTHS - 1), 1));
  const monthly = await store.scoreSnapshots.monthlyScores({ from: from.toISOString(), to: now.toISOString() });
  const sparklines = new Map<string, PortfolioTableRow['sparkline']>();
  for (const m of monthly) {
    let line = sparklines.get(m.organizationId);
    if (line === undefined) sparklines.set(m.organizationId, (line = []));
    line.push({ month: m.month, score: m.score });
  }
  // Scores as `vitals portfolio` reads them: each organization's latest snapshot (every scan, dispute
  // decision and exclusion writes one), in two grouped queries. Rating 30,000 organizations live from
  // their findings (as `orgs list` does) reads the store several times per organization: minutes cold.
  const latest = await store.scoreSnapshots.latestSnapshotsAsOf(now.toISOString());
  const past = await store.scoreSnapshots.latestSnapshotsAsOf(
    new Date(now.getTime() - TREND_DAYS * 86_400_000).toISOString(),
  );
  const rows = organizations.map((o): PortfolioTableRow => {
    const rated = latest.get(o.id);
    const reference = past.get(o.id);
    let worst: { factor: Factor; lost: number } | null = null;
    for (const f of rated?.factors ?? [])
      if (f.points_lost > 0 && (worst === null || f.points_lost > worst.lost))
        worst = { factor: f.factor, lost: f.points_lost };
    const comparable = rated?.score != null && reference?.score != null;
    return {
      name: o.name,
      sector: o.sector,
      telehealth: o.telehealth,
      score: rated?.score ?? null,
      grade: rated?.grade ?? null,
      trend: comparable ? roundScore(rated!.score! - reference!.score!) : null,
      worst_factor: worst?.factor ?? null,
      open_findings: open.get(o.id) ?? { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      mentions: mentions.get(o.id) ?? 0,
      sparkline: sparklines.get(o.id) ?? [],
    };
  });
  return { as_of: now.toISOString(), organizations: rows };
}
