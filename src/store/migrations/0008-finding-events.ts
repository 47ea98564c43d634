/**
 * Finding lifecycle events (issue #10 section 3): the `findings` row keeps only a finding's current
 * state (a reopen clears resolved_at), so the study's per-period counts of new, resolved and regressed
 * findings and its days to remediate need the history: one row per transition, written by the findings
 * repo in the scan's transaction. Existing findings are backfilled from what their row still says (an
 * `opened` event at first_seen, a `resolved` one at resolved_at); reopens before this migration are not
 * recoverable and are not invented. Text and integer columns only, so one migration serves both dialects.
 */
import { sql, type Kysely } from 'kysely';

/** Create `finding_events`, its indexes, and backfill it from `findings`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('finding_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('finding_id', 'text', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('factor', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    // 'opened' (first seen), 'resolved' (not seen again on a covered host), 'reopened' (seen again after that).
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    // Not a foreign key, like findings.last_scan_id: pruning old scans must not erase history.
    .addColumn('scan_id', 'text')
    .execute();
  await db.schema
    .createIndex('finding_events_finding_at_index')
    .on('finding_events')
    .columns(['finding_id', 'at', 'id'])
    .execute();
  await db.schema.createIndex('finding_events_at_index').on('finding_events').column('at').execute();
  await sql`
    insert into finding_events (id, finding_id, organization_id, type, factor, severity, event, at, scan_id)
    select id || ':opened', id, organization_id, type, factor, severity, 'opened', first_seen, null from findings
  `.execute(db);
  await sql`
    insert into finding_events (id, finding_id, organization_id, type, factor, severity, event, at, scan_id)
    select id || ':resolved', id, organization_id, type, factor, severity, 'resolved', resolved_at, null
    from findings where status = 'resolved' and resolved_at is not null
  `.execute(db);
}

/** Drop the table (its indexes go with it). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('finding_events').ifExists().execute();
}
