/**
 * Full-text search over dark-web documents (issue #3 section 5), one migration for both dialects:
 * - SQLite: an external-content FTS5 table over darkweb_documents(title, text) keyed by `seq`, with
 *   the porter stemmer over unicode61 tokens, kept in sync by insert/delete/update triggers
 *   (sqlite.org/fts5.html section 4.4.3) and ranked by bm25 with the title weighted double.
 * - PostgreSQL: a generated stored tsvector column (title weighted A, text B) with a GIN index
 *   (PostgreSQL manual 12.2.2), so every write keeps it current without triggers.
 * Plus the indexes the search filters use: entity values compared case-insensitively, mention classes.
 */
import { PostgresAdapter, SqliteAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * PostgreSQL refuses a tsvector over 1 MiB ("string is too long for tsvector"), which would make
 * the INSERT of a huge dump fail. Index the first characters only; the whole text stays stored.
 */
export const POSTGRES_INDEXED_CHARS = 200_000;

type Dialect = 'sqlite' | 'postgres';

function dialectOf(db: Kysely<unknown>): Dialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgres';
  throw new Error('0003-darkweb-search supports SQLite and PostgreSQL only');
}

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE VIRTUAL TABLE darkweb_documents_fts USING fts5(
    title, text,
    content = 'darkweb_documents', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
  )`.execute(db);
  // An external-content table holds only the index: the triggers feed it every change of the indexed
  // columns, and a delete must hand back the old values so their tokens can be removed.
  await sql`CREATE TRIGGER darkweb_documents_fts_insert AFTER INSERT ON darkweb_documents BEGIN
    INSERT INTO darkweb_documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
  END`.execute(db);
  await sql`CREATE TRIGGER darkweb_documents_fts_delete AFTER DELETE ON darkweb_documents BEGIN
    INSERT INTO darkweb_documents_fts(darkweb_documents_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
  END`.execute(db);
  // Only changes of the indexed columns touch the index: reclassifying a document must not reindex it.
  await sql`CREATE TRIGGER darkweb_documents_fts_update AFTER UPDATE OF seq, title, text ON darkweb_documents BEGIN
    INSERT INTO darkweb_documents_fts(darkweb_documents_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO darkweb_documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
  END`.execute(db);
  // `rank` (what ORDER BY rank sorts on) becomes bm25 with a title match worth twice a text match.
  await sql`INSERT INTO darkweb_documents_fts(darkweb_documents_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)')`.execute(db);
  // Documents stored before this migration get indexed now.
  await sql`INSERT INTO darkweb_documents_fts(darkweb_documents_fts) VALUES ('rebuild')`.execute(db);
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  // to_tsvector with a constant configuration is immutable, as a generated column requires.
  await sql`ALTER TABLE darkweb_documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', left(coalesce(title, ''), ${sql.lit(POSTGRES_INDEXED_CHARS)})), 'A') ||
    setweight(to_tsvector('english', left("text", ${sql.lit(POSTGRES_INDEXED_CHARS)})), 'B')
  ) STORED`.execute(db);
  await sql`CREATE INDEX darkweb_documents_search_index ON darkweb_documents USING gin (search_vector)`.execute(db);
}

/** Create the full-text index and the search filters' indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await upSqlite(db);
  else await upPostgres(db);
  // Entity filters compare values case-insensitively (`btc:` values keep their case when stored).
  await sql`CREATE INDEX darkweb_entities_type_lower_value_index ON darkweb_entities (type, lower(value))`.execute(db);
  await db.schema.createIndex('darkweb_mentions_class_document_index').on('darkweb_mentions').columns(['class', 'document_id']).execute();
}

/** Drop everything `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('darkweb_mentions_class_document_index').ifExists().execute();
  await db.schema.dropIndex('darkweb_entities_type_lower_value_index').ifExists().execute();
  if (dialectOf(db) === 'sqlite') {
    for (const trigger of ['darkweb_documents_fts_insert', 'darkweb_documents_fts_delete', 'darkweb_documents_fts_update']) {
      await sql`DROP TRIGGER IF EXISTS ${sql.id(trigger)}`.execute(db);
    }
    await sql`DROP TABLE IF EXISTS darkweb_documents_fts`.execute(db);
  } else {
    await db.schema.dropIndex('darkweb_documents_search_index').ifExists().execute();
    await sql`ALTER TABLE darkweb_documents DROP COLUMN IF EXISTS search_vector`.execute(db);
  }
}
