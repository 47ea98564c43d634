/**
 * What the web probe recognised on each asset (issue #7 section 2, "Fingerprinting"): the CPE 2.3 names of
 * the products it runs, for the patching-cadence factor, and tags such as `telehealth`, as JSON arrays of
 * strings. Assets stored before this migration, or never reached by the web probe, get empty lists.
 * Same DDL on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('assets')
    .addColumn('cpes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('assets')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assets').dropColumn('tags').execute();
  await db.schema.alterTable('assets').dropColumn('cpes').execute();
}
