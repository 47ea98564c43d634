/**
 * Why each mention has its class (issue #9 section 2): the features that decided the document's class
 * and the organization's role in it (target, owner, or named in passing), as a JSON array of strings.
 * Mentions stored before this migration get an empty list. Same DDL on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('darkweb_mentions')
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('darkweb_mentions').dropColumn('reasons').execute();
}
