/**
 * Points lost per finding type on every score snapshot, so `vitals scorecard --as-of` lists a past date's
 * top issues with the points each cost, as the live scorecard does. Nullable: snapshots written before
 * this migration kept counts only, and stay as they were (snapshots are never rewritten).
 */
import type { Kysely } from 'kysely';

/** Add `score_snapshots.finding_points` (JSON text, null on older rows). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('score_snapshots').addColumn('finding_points', 'text').execute();
}

/** Drop the column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('score_snapshots').dropColumn('finding_points').execute();
}
