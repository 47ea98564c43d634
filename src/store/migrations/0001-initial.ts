/**
 * Initial schema. Written with Kysely's schema builder using only types both dialects share (text,
 * integer), so one migration serves SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';

/** Create the five tables and their indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('domains', 'text', (c) => c.notNull())
    .addColumn('telehealth', 'integer', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('addresses', 'text', (c) => c.notNull())
    .addColumn('open_ports', 'text', (c) => c.notNull())
    .addColumn('sources', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addUniqueConstraint('assets_organization_hostname_unique', ['organization_id', 'hostname'])
    .execute();

  await db.schema
    .createTable('scans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scans_started_at_index').on('scans').column('started_at').execute();

  await db.schema
    .createTable('observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scan_id', 'text', (c) => c.notNull().references('scans.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('asset_host', 'text', (c) => c.notNull())
    .addColumn('probe', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('observed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('observations_scan_organization_index')
    .on('observations')
    .columns(['scan_id', 'organization_id'])
    .execute();

  await db.schema
    .createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('factor', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('asset_host', 'text', (c) => c.notNull())
    .addColumn('asset_ip', 'text')
    .addColumn('asset_port', 'integer', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull())
    // Not a foreign key on purpose: pruning old scans must not delete the findings they last saw.
    .addColumn('last_scan_id', 'text', (c) => c.notNull())
    .addUniqueConstraint('findings_identity_unique', ['organization_id', 'type', 'asset_host', 'asset_port'])
    .execute();
  await db.schema
    .createIndex('findings_organization_status_host_index')
    .on('findings')
    .columns(['organization_id', 'status', 'asset_host'])
    .execute();
}

/** Drop everything `up` created, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['findings', 'observations', 'scans', 'assets', 'organizations']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
