/**
 * Score snapshots (issue #10 section 3, RATINGS.md): one row per organization per scoring event (the
 * end of a scan, a dispute decision, an exclusion, a simulated month), so `--as-of`, trends and the
 * study read history instead of recomputing it. Text, integer and double columns only, so the same
 * migration serves SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';

/** Create `score_snapshots` and its two indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('score_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    // Not a foreign key: a snapshot records what was scored, whatever happens to the scan row later.
    .addColumn('scan_id', 'text')
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('method_version', 'text', (c) => c.notNull())
    // double precision, not PostgreSQL's 4-byte real, so 74.1 reads back as 74.1 (SQLite: REAL affinity).
    .addColumn('score', 'double precision')
    .addColumn('grade', 'text')
    .addColumn('factors', 'text', (c) => c.notNull())
    .addColumn('finding_counts', 'text', (c) => c.notNull())
    .addColumn('domain_count', 'integer', (c) => c.notNull())
    .addColumn('asset_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('score_snapshots_organization_taken_at_index')
    .on('score_snapshots')
    .columns(['organization_id', 'taken_at'])
    .execute();
  await db.schema.createIndex('score_snapshots_taken_at_index').on('score_snapshots').column('taken_at').execute();
}

/** Drop the table (its indexes go with it). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('score_snapshots').ifExists().execute();
}
