/**
 * Alias judgements (issue #9 section 1): for each alias of each organization, whether it counts alone
 * or is ambiguous, why (english_word, place_name, acronym, shared, override, corpus, none), and the
 * corpus counts that can demote it (documents where it matched; where it stood without any of the
 * organization's unambiguous terms). Written by `orgs import` and after ingestion; an organization
 * without rows (imported by an older version) is judged again at the next ingestion. Same DDL on SQLite
 * and PostgreSQL.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization_alias_judgements')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('ambiguous', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('standalone', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('judged_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_alias_judgements_pk', ['organization_id', 'alias'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organization_alias_judgements').ifExists().execute();
}
