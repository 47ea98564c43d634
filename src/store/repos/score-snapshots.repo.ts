/**
 * Score snapshots (RATINGS.md): written by the ratings service at every scoring event, read by
 * `--as-of`, trends, the study and the portfolio. Function names are the contract between helpers.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { GRADES, SNAPSHOT_REASONS } from '../../core/score-snapshots.js';
import type { ScoreSnapshot, ScoreSnapshotInput, SnapshotFactor } from '../../core/score-snapshots.js';
import { FACTORS } from '../../core/types.js';
import { chunks, fromJson, inTransaction, isoTimestamp, newId, toJson } from '../codec.js';
import { StoreError } from '../errors.js';
import type { ScoreSnapshotsTable, StoreSchema } from '../schema.js';

/** Rows read per round trip by streamSnapshots: bounded memory whatever the history's size. */
/** Organizations per page of `streamSnapshots` (about 2,000 rows for 8 months of monthly snapshots). */
const STREAM_PAGE_ORGANIZATIONS = 250;

const score = z.number().finite().min(0).max(100);
const factorSchema = z.strictObject({
  factor: z.enum(FACTORS),
  score: score.nullable(),
  grade: z.enum(GRADES).nullable(),
  findings: z.number().int().nonnegative(),
  points_lost: z.number().finite().min(0).max(100),
});
const factorsSchema = z.array(factorSchema);
const countsSchema = z.record(z.string().min(1), z.number().int().nonnegative());
const pointsSchema = z.record(z.string().min(1), z.number().finite().min(0).max(100));
const inputSchema = z
  .object({
    id: z.string().min(1).optional(),
    organizationId: z.string().min(1),
    scanId: z.string().min(1).nullable(),
    takenAt: z.string(),
    reason: z.enum(SNAPSHOT_REASONS),
    methodVersion: z.string().min(1),
    score: score.nullable(),
    grade: z.enum(GRADES).nullable(),
    factors: factorsSchema,
    findingCounts: countsSchema,
    findingPoints: pointsSchema.optional(),
    domainCount: z.number().int().nonnegative(),
    assetCount: z.number().int().nonnegative(),
  })
  .refine((s) => (s.score === null) === (s.grade === null), { message: 'score and grade are null together' });

function toSnapshot(row: Selectable<ScoreSnapshotsTable>): ScoreSnapshot {
  const factors = factorsSchema.safeParse(fromJson(row.factors, 'score_snapshots.factors'));
  const counts = countsSchema.safeParse(fromJson(row.finding_counts, 'score_snapshots.finding_counts'));
  const points =
    row.finding_points === null
      ? undefined
      : pointsSchema.safeParse(fromJson(row.finding_points, 'score_snapshots.finding_points'));
  const reason = SNAPSHOT_REASONS.find((r) => r === row.reason);
  const grade = row.grade === null ? null : GRADES.find((g) => g === row.grade);
  if (!factors.success || !counts.success || points?.success === false || reason === undefined || grade === undefined) {
    throw new StoreError(
      'database-corrupt',
      `score snapshot ${row.id}: malformed factors, counts, points, reason or grade`,
    );
  }
  return {
    id: row.id,
    organizationId: row.organization_id,
    scanId: row.scan_id,
    takenAt: row.taken_at,
    reason,
    methodVersion: row.method_version,
    // pg hands double precision back as a number; Number() also covers a driver that gives text.
    score: row.score === null ? null : Number(row.score),
    grade,
    factors: factors.data as SnapshotFactor[],
    findingCounts: counts.data,
    ...(points === undefined ? {} : { findingPoints: points.data! }),
    domainCount: Number(row.domain_count),
    assetCount: Number(row.asset_count),
  };
}

/** A validated input as a table row; throws StoreError('invalid-input') naming every problem. */
function snapshotRow(row: ScoreSnapshotInput): Selectable<ScoreSnapshotsTable> {
  const parsed = inputSchema.safeParse(row);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
    throw new StoreError('invalid-input', `invalid score snapshot: ${problems}`);
  }
  return {
    id: row.id ?? newId(),
    organization_id: row.organizationId,
    scan_id: row.scanId,
    taken_at: isoTimestamp(row.takenAt, 'takenAt'),
    reason: row.reason,
    method_version: row.methodVersion,
    score: row.score,
    grade: row.grade,
    factors: toJson(row.factors),
    finding_counts: toJson(row.findingCounts),
    finding_points: row.findingPoints === undefined ? null : toJson(row.findingPoints),
    domain_count: row.domainCount,
    asset_count: row.assetCount,
  };
}

/** One organization's score at the end of one month (`YYYY-MM`), from its last snapshot in it. */
export interface MonthlyScore {
  organizationId: string;
  month: string;
  score: number | null;
}

/** Inclusive bounds (ISO 8601 UTC timestamps) on taken_at. */
export interface SnapshotRange {
  from?: string;
  to?: string;
}

/** Data access for score snapshots. */
export class ScoreSnapshotsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Write one snapshot; returns it as stored. Refuses malformed rows and unknown organizations. */
  async insertScoreSnapshot(row: ScoreSnapshotInput): Promise<ScoreSnapshot> {
    const values = snapshotRow(row);
    const organization = await this.db
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', row.organizationId)
      .executeTakeFirst();
    if (organization === undefined) throw new StoreError('not-found', `no organization with id ${row.organizationId}`);
    await this.db.insertInto('score_snapshots').values(values).execute();
    return toSnapshot(values);
  }

  /**
   * Write many snapshots in multi-row statements, in one transaction (scoring a whole portfolio's
   * history: the study benchmark writes 30,000 organizations x 8 months). Every row is validated before
   * the first write; an unknown organization fails the foreign key and nothing is written.
   */
  async insertScoreSnapshots(rows: readonly ScoreSnapshotInput[]): Promise<number> {
    const values = rows.map(snapshotRow);
    await inTransaction(this.db, async (trx) => {
      // 12 columns x 500 rows stays under both dialects' bound-parameter limits.
      for (const part of chunks(values)) await trx.insertInto('score_snapshots').values(part).execute();
    });
    return values.length;
  }

  /**
   * The latest snapshot taken at or before `asOf` (an ISO timestamp), or undefined. Two snapshots at the
   * same instant: the one with the larger id wins, so the answer is at least stable.
   */
  async latestSnapshotAsOf(orgId: string, asOf: string): Promise<ScoreSnapshot | undefined> {
    const row = await this.db
      .selectFrom('score_snapshots')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('taken_at', '<=', isoTimestamp(asOf, 'asOf'))
      .orderBy('taken_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toSnapshot(row);
  }

  /**
   * The latest snapshot at or before `asOf` of every organization that has one, by organization id (the
   * portfolio's view): one grouped query, not one per organization. Ties at one instant: the larger id.
   */
  async latestSnapshotsAsOf(asOf: string): Promise<Map<string, ScoreSnapshot>> {
    const at = isoTimestamp(asOf, 'asOf');
    const latest = this.db
      .selectFrom('score_snapshots')
      .select(['organization_id', (eb) => eb.fn.max('taken_at').as('taken_at')])
      .where('taken_at', '<=', at)
      .groupBy('organization_id')
      .as('latest');
    const rows = await this.db
      .selectFrom('score_snapshots as s')
      .innerJoin(latest, (join) =>
        join.onRef('latest.organization_id', '=', 's.organization_id').onRef('latest.taken_at', '=', 's.taken_at'),
      )
      .selectAll('s')
      .orderBy('s.organization_id')
      .orderBy('s.id')
      .execute();
    // Ordered by id within an organization: the last one set is the larger id.
    return new Map(rows.map((row) => [row.organization_id, toSnapshot(row)]));
  }

  /**
   * Each organization's latest snapshot score of every calendar month (UTC) within inclusive bounds, in
   * (organization_id, month) order: the dashboard's trend sparklines. One grouped query for the whole
   * portfolio, and at most one row per organization and month however often it is scanned.
   */
  async monthlyScores(range: Required<SnapshotRange>): Promise<MonthlyScore[]> {
    const from = isoTimestamp(range.from, 'from');
    const to = isoTimestamp(range.to, 'to');
    const month = sql<string>`substr(taken_at, 1, 7)`;
    const latest = this.db
      .selectFrom('score_snapshots')
      .select(['organization_id', (eb) => eb.fn.max('taken_at').as('taken_at')])
      .where('taken_at', '>=', from)
      .where('taken_at', '<=', to)
      .groupBy(['organization_id', month])
      .as('latest');
    const rows = await this.db
      .selectFrom('score_snapshots as s')
      .innerJoin(latest, (join) =>
        join.onRef('latest.organization_id', '=', 's.organization_id').onRef('latest.taken_at', '=', 's.taken_at'),
      )
      .select(['s.organization_id', 's.taken_at', 's.score', 's.id'])
      .orderBy('s.organization_id')
      .orderBy('s.taken_at')
      .orderBy('s.id')
      .execute();
    // Two snapshots at one instant: the larger id (the last in this order) wins.
    const out: MonthlyScore[] = [];
    for (const r of rows) {
      const row = {
        organizationId: r.organization_id,
        month: r.taken_at.slice(0, 7),
        score: r.score === null ? null : Number(r.score),
      };
      const last = out.at(-1);
      if (last?.organizationId === row.organizationId && last.month === row.month) out[out.length - 1] = row;
      else out.push(row);
    }
    return out;
  }

  /** An organization's snapshots, oldest first, within inclusive bounds. */
  async snapshotHistory(orgId: string, range: SnapshotRange = {}): Promise<ScoreSnapshot[]> {
    let query = this.db.selectFrom('score_snapshots').selectAll().where('organization_id', '=', orgId);
    if (range.from !== undefined) query = query.where('taken_at', '>=', isoTimestamp(range.from, 'from'));
    if (range.to !== undefined) query = query.where('taken_at', '<=', isoTimestamp(range.to, 'to'));
    const rows = await query.orderBy('taken_at').orderBy('id').execute();
    return rows.map(toSnapshot);
  }

  /**
   * Every snapshot within inclusive bounds, in (organization_id, taken_at) order, read a page of
   * organizations at a time (no cursor needed on either dialect), so 30,000 organizations x 8 months
   * never sit in memory at once. A page selects its organizations by id (keyset on the primary key) and
   * their snapshots through the (organization_id, taken_at) index: a keyset over the whole table would
   * be sorted again for every page on SQLite, whose planner takes the taken_at index for the range.
   */
  async *streamSnapshots(
    range: Required<SnapshotRange>,
    organizationsPerPage = STREAM_PAGE_ORGANIZATIONS,
  ): AsyncIterable<ScoreSnapshot> {
    const from = isoTimestamp(range.from, 'from');
    const to = isoTimestamp(range.to, 'to');
    let after: string | null = null;
    for (;;) {
      let page = this.db.selectFrom('organizations').select('id').orderBy('id').limit(organizationsPerPage);
      if (after !== null) page = page.where('id', '>', after);
      const ids = (await page.execute()).map((r) => r.id);
      if (ids.length === 0) return;
      const rows = await this.db
        .selectFrom('score_snapshots')
        .selectAll()
        .where('organization_id', 'in', ids)
        .where('taken_at', '>=', from)
        .where('taken_at', '<=', to)
        .orderBy('organization_id')
        .orderBy('taken_at')
        .orderBy('id')
        .execute();
      for (const row of rows) yield toSnapshot(row);
      if (ids.length < organizationsPerPage) return;
      after = ids[ids.length - 1]!;
    }
  }
}
