/**
 * Score snapshots: the rating of an organization at a scoring event, stored with the method version so
 * history, `--as-of`, trends and the study read what was scored then. Written at the end of every scan
 * (one per scanned organization), and by the disputes code after a decision or an exclusion.
 */
import { getScoringMethod } from '../catalogue/scoring-method.js';
import type { ScoreSnapshot, ScoreSnapshotInput, SnapshotFactor, SnapshotReason } from '../core/score-snapshots.js';
import type { Factor } from '../core/types.js';
import { rate } from '../scoring/rate.js';
import type { Rating, RatingInput } from '../scoring/types.js';
import type { Store, StoreRepos } from '../store/database.js';
import { isoTimestamp } from '../store/codec.js';
import { StoreError } from '../store/errors.js';
import { ratingInputs } from './rating-input.js';

/** Above this many organizations, read them all in one query rather than one by one. */
const BATCH_LOOKUP = 50;

/** Options of recordScoreSnapshot. */
export interface RecordSnapshotOptions {
  reason: SnapshotReason;
  /** When the event happened (for a scan, its finish time on the scan's clock). */
  at: string | Date;
  scanId?: string | null;
  /** Factors this event assessed (a scan's checks that ran); added to those rated before. */
  assessedFactors?: readonly Factor[];
}

/** One organization of a batch, with the factors the event assessed for it. */
export interface SnapshotTarget {
  organizationId: string;
  assessedFactors?: readonly Factor[];
}

/** The snapshot's factor entries: every factor, points lost in points with two decimals. */
export function snapshotFactors(rating: Rating): SnapshotFactor[] {
  return rating.factors.map((f) => ({
    factor: f.factor,
    score: f.score,
    grade: f.grade,
    findings: f.findings,
    points_lost: f.pointsLostHundredths / 100,
  }));
}

/** Open scored findings per type. */
export function findingCounts(input: RatingInput): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of [...input.findings].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
    counts[f.type] = (counts[f.type] ?? 0) + 1;
  }
  return counts;
}

/** Points of the overall score lost per finding type (two decimals), from the rating's attributions. */
export function findingPoints(rating: Rating): Record<string, number> {
  const hundredths = new Map<string, number>();
  for (const f of rating.findings) hundredths.set(f.type, (hundredths.get(f.type) ?? 0) + f.pointsLostHundredths);
  const points: Record<string, number> = {};
  for (const type of [...hundredths.keys()].sort()) points[type] = hundredths.get(type)! / 100;
  return points;
}

/** Runs `work` in one transaction: the store's own, or the caller's when given repos already inside one. */
function transactionally<T>(store: Store | StoreRepos, work: (repos: StoreRepos) => Promise<T>): Promise<T> {
  return 'transaction' in store ? store.transaction(work) : work(store);
}

/**
 * Scores each organization as of `at` and stores one snapshot each, all in one transaction (the
 * previous snapshot read, the findings read and the write see the same state).
 */
export async function recordScoreSnapshots(
  store: Store | StoreRepos,
  targets: readonly SnapshotTarget[],
  options: Omit<RecordSnapshotOptions, 'assessedFactors'>,
): Promise<ScoreSnapshot[]> {
  const at = isoTimestamp(options.at, 'at');
  const method = getScoringMethod();
  return transactionally(store, async (repos) => {
    const ids = targets.map((t) => t.organizationId);
    const assessedNow = new Map(targets.map((t) => [t.organizationId, t.assessedFactors ?? []]));
    const inputs = await ratingInputs(repos, ids, at, assessedNow);
    // A portfolio scan reads the organizations once; a single decision reads its one.
    const all = ids.length > BATCH_LOOKUP ? new Map((await repos.organizations.list()).map((o) => [o.id, o])) : null;
    const written: ScoreSnapshot[] = [];
    for (const organizationId of new Set(ids)) {
      const organization = all === null ? await repos.organizations.getById(organizationId) : all.get(organizationId);
      if (organization === undefined) throw new StoreError('not-found', `no organization with id ${organizationId}`);
      const input = inputs.get(organizationId)!;
      const rating = rate(input, method);
      const row: ScoreSnapshotInput = {
        organizationId,
        scanId: options.scanId ?? null,
        takenAt: at,
        reason: options.reason,
        methodVersion: rating.methodVersion,
        score: rating.score,
        grade: rating.grade,
        factors: snapshotFactors(rating),
        findingCounts: findingCounts(input),
        findingPoints: findingPoints(rating),
        domainCount: organization.domains.length,
        assetCount: input.assetCount,
      };
      written.push(await repos.scoreSnapshots.insertScoreSnapshot(row));
    }
    return written;
  });
}

/**
 * Scores one organization as of `options.at` and stores the snapshot (RATINGS.md: the disputes code
 * calls this after a decision or an exclusion with reason 'dispute' or 'exclusion').
 */
export async function recordScoreSnapshot(
  store: Store | StoreRepos,
  organizationId: string,
  options: RecordSnapshotOptions,
): Promise<ScoreSnapshot> {
  const target: SnapshotTarget =
    options.assessedFactors === undefined
      ? { organizationId }
      : { organizationId, assessedFactors: options.assessedFactors };
  const [snapshot] = await recordScoreSnapshots(store, [target], options);
  return snapshot!;
}
