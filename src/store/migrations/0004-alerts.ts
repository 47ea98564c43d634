/**
 * Watchlists, alerts and the webhook outbox (issue #3 section 6). Only text and integer columns, so
 * the same migration serves SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';

/** Create `watchlists`, `alerts` and `alert_outbox`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watchlists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('webhook_url', 'text')
    .addColumn('secret', 'text')
    // bigint like darkweb_documents.seq (PostgreSQL hands bigint back as a string: read it with Number()).
    .addColumn('high_water_seq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watchlist_id', 'text', (c) => c.notNull().references('watchlists.id').onDelete('cascade'))
    // Not a foreign key to darkweb_documents on purpose: an alert is a record of what was sent, and
    // pruning old documents must not erase it.
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('document_seq', 'bigint', (c) => c.notNull())
    .addColumn('organization_id', 'text')
    .addColumn('matched', 'text', (c) => c.notNull())
    .addColumn('snippet', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    // The "one alert per (watchlist, document)" rule lives in the database, so a re-run or two
    // concurrent runs can never create a second one.
    .addUniqueConstraint('alerts_watchlist_document_unique', ['watchlist_id', 'document_id'])
    .execute();
  await db.schema.createIndex('alerts_created_at_index').on('alerts').column('created_at').execute();

  await db.schema
    .createTable('alert_outbox')
    .addColumn('alert_id', 'text', (c) => c.primaryKey().references('alerts.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_outbox_status_next_attempt_index')
    .on('alert_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
}

/** Drop the three tables, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['alert_outbox', 'alerts', 'watchlists']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
