/**
 * IP reputation (issue #8 section 3): threat feeds and their entries, and the networks organizations
 * declare. A feed is keyed by its name, so a re-import replaces its entries; an entry keeps the date its
 * network was first listed across re-imports. Networks are canonical CIDR text (`192.0.2.7/32`).
 */
import type { Kysely } from 'kysely';

/** Create `reputation_feeds`, `reputation_entries` and `organization_networks`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reputation_feeds')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('reputation_entries')
    .addColumn('feed', 'text', (c) => c.notNull().references('reputation_feeds.name').onDelete('cascade'))
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('first_listed', 'text', (c) => c.notNull())
    .addColumn('last_listed', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reputation_entries_pk', ['feed', 'network'])
    .execute();
  await db.schema
    .createTable('organization_networks')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_networks_pk', ['organization_id', 'network'])
    .execute();
}

/** Drop the tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organization_networks').ifExists().execute();
  await db.schema.dropTable('reputation_entries').ifExists().execute();
  await db.schema.dropTable('reputation_feeds').ifExists().execute();
}
