/**
 * Dark-web tables (issue #3), with the same portable types as 0001 (text, integer, real) so one
 * migration serves SQLite and PostgreSQL. See schema-darkweb.ts for what each column holds.
 */
import type { Kysely } from 'kysely';

/** Create the dark-web tables and their indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('darkweb_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // integer (not bigint): pg returns int4 as a JS number, and a corpus stays far below 2^31 documents.
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('title', 'text')
    .addColumn('author', 'text')
    .addColumn('posted_at', 'text')
    .addColumn('ingested_at', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull().unique())
    .addColumn('simhash', 'text', (c) => c.notNull())
    .addColumn('near_dup_group', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('class_score', 'real', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('darkweb_documents_posted_at_index')
    .on('darkweb_documents')
    .column('posted_at')
    .execute();
  await db.schema
    .createIndex('darkweb_documents_near_dup_group_index')
    .on('darkweb_documents')
    .column('near_dup_group')
    .execute();

  await db.schema
    .createTable('darkweb_entities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('darkweb_documents.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('start_offset', 'integer', (c) => c.notNull())
    .addColumn('end_offset', 'integer', (c) => c.notNull())
    .addColumn('confidence', 'real', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('darkweb_entities_type_value_index')
    .on('darkweb_entities')
    .columns(['type', 'value'])
    .execute();
  await db.schema.createIndex('darkweb_entities_document_index').on('darkweb_entities').column('document_id').execute();

  await db.schema
    .createTable('darkweb_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('darkweb_documents.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_hint', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('darkweb_credentials_domain_index').on('darkweb_credentials').column('domain').execute();
  await db.schema
    .createIndex('darkweb_credentials_document_index')
    .on('darkweb_credentials')
    .column('document_id')
    .execute();

  await db.schema
    .createTable('darkweb_mentions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('darkweb_documents.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('confidence', 'real', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('matched', 'text', (c) => c.notNull())
    .addColumn('snippet', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('darkweb_mentions_document_organization_unique', ['document_id', 'organization_id'])
    .execute();
  await db.schema
    .createIndex('darkweb_mentions_organization_class_index')
    .on('darkweb_mentions')
    .columns(['organization_id', 'class'])
    .execute();

  await db.schema
    .createTable('darkweb_ingest_checkpoints')
    .addColumn('source_key', 'text', (c) => c.primaryKey())
    // bigint: JSONL files beyond 2 GiB are expected; pg returns int8 as text, the repo converts.
    .addColumn('byte_offset', 'bigint', (c) => c.notNull())
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('darkweb_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/** Drop everything `up` created, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'darkweb_settings',
    'darkweb_ingest_checkpoints',
    'darkweb_mentions',
    'darkweb_credentials',
    'darkweb_entities',
    'darkweb_documents',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
