/**
 * Disputes, asset exclusions and the audit log (issue #10 section 5). The tables use only text and
 * integer columns (one definition for both dialects); the audit log's guard is dialect-specific:
 * triggers that refuse every UPDATE and DELETE (and, on PostgreSQL, TRUNCATE), so the log is
 * append-only for anything that reaches the database, not only for Vitals' own code.
 */
import { PostgresAdapter, SqliteAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/** The message both dialects' triggers raise; tests look for it. */
export const AUDIT_LOG_APPEND_ONLY = 'audit_log is append-only';

function dialectOf(db: Kysely<unknown>): 'sqlite' | 'postgres' {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgres';
  throw new Error('0006-disputes-audit supports SQLite and PostgreSQL only');
}

const SQLITE_TRIGGERS = ['audit_log_refuse_update', 'audit_log_refuse_delete'] as const;

async function guardSqlite(db: Kysely<unknown>): Promise<void> {
  // RAISE(ABORT) undoes the statement and fails it (sqlite.org/lang_createtrigger.html, "RAISE()").
  await sql
    .raw(`CREATE TRIGGER audit_log_refuse_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, '${AUDIT_LOG_APPEND_ONLY}'); END`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER audit_log_refuse_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, '${AUDIT_LOG_APPEND_ONLY}'); END`)
    .execute(db);
}

async function guardPostgres(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${AUDIT_LOG_APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege'; END $$`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER audit_log_refuse_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`)
    .execute(db);
  // TRUNCATE fires no row triggers: it needs its own statement-level one.
  await sql
    .raw(`CREATE TRIGGER audit_log_refuse_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`)
    .execute(db);
}

/** Create `disputes`, `asset_exclusions` and `audit_log` with its guard. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('finding_id', 'text', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema.createIndex('disputes_organization_index').on('disputes').column('organization_id').execute();
  await db.schema.createIndex('disputes_finding_index').on('disputes').column('finding_id').execute();

  await db.schema
    .createTable('asset_exclusions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('asset_exclusions_organization_host_unique', ['organization_id', 'host'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('organization_name', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'text')
    .addColumn('finding_type', 'text')
    .addColumn('asset_host', 'text')
    .addColumn('reason', 'text')
    .addColumn('note', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_organization_index')
    .on('audit_log')
    .columns(['organization_id', 'seq'])
    .execute();

  if (dialectOf(db) === 'sqlite') await guardSqlite(db);
  else await guardPostgres(db);
}

/** Drop the guard and the three tables (the log goes with the migration, the only way it can). */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    for (const trigger of SQLITE_TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.id(trigger)}`.execute(db);
  } else {
    await sql`DROP TABLE IF EXISTS audit_log`.execute(db);
    await sql`DROP FUNCTION IF EXISTS audit_log_refuse_change()`.execute(db);
  }
  for (const table of ['audit_log', 'asset_exclusions', 'disputes']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
