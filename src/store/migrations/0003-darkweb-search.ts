/**
 * Full-text search over dark-web documents (issue #3 section 5), one migration for both dialects:
 * - SQLite: an external-content FTS5 table keyed by `seq` over each document's title, text and
 *   facets (one token for its source type, one per class of the document and of its mentions), with
 *   the porter stemmer over unicode61 tokens, prefix indexes for short prefixes, kept in sync by
 *   triggers on documents and mentions (sqlite.org/fts5.html section 4.4.3) and ranked by bm25 with
 *   the title weighted double. The facets let `source_type:` and `class:` filters run inside the
 *   MATCH (`{facets} : "sourceforum"`) instead of as a lookup of every match in the documents table.
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

/**
 * Prefix lengths (in characters) FTS5 keeps a prefix index for (sqlite.org/fts5.html section 4.2);
 * '' for none. Each length adds a posting per word to every insert: measured about 15% of the raw
 * ingestion rate for '2 3', against 2- and 3-character prefix queries 15 times faster on 1M documents.
 */
export const FTS5_PREFIX_LENGTHS: string = '2 3';

type Dialect = 'sqlite' | 'postgres';

function dialectOf(db: Kysely<unknown>): Dialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgres';
  throw new Error('0003-darkweb-search supports SQLite and PostgreSQL only');
}

/** The FTS5 table, the shadow table of what its facets column indexes, and the view FTS5 reads content from. */
const FTS = 'darkweb_documents_fts';
const FACETS = 'darkweb_documents_search_facets';
const CONTENT = 'darkweb_documents_search_content';

/** Every trigger `upSqlite` creates, for `down`. */
const SQLITE_TRIGGERS = [
  'darkweb_documents_fts_insert',
  'darkweb_documents_fts_delete',
  'darkweb_documents_fts_update',
  'darkweb_mentions_fts_insert',
  'darkweb_mentions_fts_delete',
  'darkweb_mentions_fts_update',
] as const;

/**
 * SQL for the facets text of the document row `row` (an alias with id, source_type and class): one
 * token for its source type and one per distinct class of the document and of its mentions, sorted,
 * so the same state always gives the same text (FTS5's integrity-check recomputes it from the view).
 * Underscores are dropped so every value stays one unicode61 token (`leak_site` -> `sourceleaksite`);
 * the `source`/`class` prefixes keep the tokens apart from each other and from ordinary words. Must
 * agree with `fts5FacetToken` in src/store/search/text-query.ts.
 */
function facetsOf(row: string): string {
  return `('source' || replace(${row}.source_type, '_', '') || ' ' || (
    SELECT group_concat('class' || replace(c.class, '_', ''), ' ' ORDER BY c.class)
    FROM (SELECT ${row}.class AS class UNION SELECT m.class FROM darkweb_mentions m WHERE m.document_id =
      ${row}.id) AS c))`;
}

/**
 * Trigger statements that reindex document `documentId` when its facets changed (a mention came, went or changed
 * class).
 */
function reindexFacetsOf(documentId: string): string {
  const stale = `FROM darkweb_documents d JOIN ${FACETS} f ON f.seq = d.seq WHERE d.id = ${documentId} AND
    f.facets <> ${facetsOf('d')}`;
  return `
    INSERT INTO ${FTS}(${FTS}, rowid, title, text, facets) SELECT 'delete', d.seq, d.title, d.text, f.facets ${stale};
    INSERT INTO ${FTS}(rowid, title, text, facets) SELECT d.seq, d.title, d.text, ${facetsOf('d')} ${stale};
    UPDATE ${FACETS} SET facets = (SELECT ${facetsOf('d')} FROM darkweb_documents d WHERE d.seq = ${FACETS}.seq)
      WHERE seq = (SELECT d.seq FROM darkweb_documents d WHERE d.id = ${documentId});`;
}

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  // What the facets column holds for each document, exactly as indexed: a 'delete' must hand FTS5
  // the old values (sqlite.org/fts5.html section 4.4.3), and mentions change them after the fact.
  await sql.raw(`CREATE TABLE ${FACETS} (seq INTEGER PRIMARY KEY, facets TEXT NOT NULL)`).execute(db);
  // External content may be a view (section 4.4.3): snippet() and rebuild read title and text from
  // the documents, facets from the shadow table.
  await sql
    .raw(`CREATE VIEW ${CONTENT} AS SELECT d.seq AS seq, d.title AS title, d.text AS text, f.facets AS facets
    FROM darkweb_documents d JOIN ${FACETS} f ON f.seq = d.seq`)
    .execute(db);
  // prefix = '2 3': `ro*` or `pat*` would otherwise merge the doclists of thousands of words on every
  // evaluation (section 4.2); longer prefixes expand to few enough words to merge at query time.
  const prefix = FTS5_PREFIX_LENGTHS === '' ? '' : `, prefix = '${FTS5_PREFIX_LENGTHS}'`;
  await sql
    .raw(`CREATE VIRTUAL TABLE ${FTS} USING fts5(
    title, text, facets,
    content = '${CONTENT}', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'${prefix}
  )`)
    .execute(db);
  // An external-content table holds only the index: the triggers feed it every change of the indexed
  // values, and a delete must hand back the old values so their tokens can be removed.
  await sql
    .raw(`CREATE TRIGGER darkweb_documents_fts_insert AFTER INSERT ON darkweb_documents BEGIN
    INSERT INTO ${FACETS}(seq, facets) VALUES (new.seq, ${facetsOf('new')});
    INSERT INTO ${FTS}(rowid, title, text, facets) SELECT new.seq, new.title, new.text, f.facets FROM
      ${FACETS} f WHERE f.seq = new.seq;
  END`)
    .execute(db);
  // AFTER, and the mention triggers only touch documents that still exist: when a delete cascades to
  // the mentions, their triggers find no document and leave the index to this one, in either order.
  await sql
    .raw(`CREATE TRIGGER darkweb_documents_fts_delete AFTER DELETE ON darkweb_documents BEGIN
    INSERT INTO ${FTS}(${FTS}, rowid, title, text, facets) SELECT 'delete', old.seq, old.title, old.text,
      f.facets FROM ${FACETS} f WHERE f.seq = old.seq;
    DELETE FROM ${FACETS} WHERE seq = old.seq;
  END`)
    .execute(db);
  // A change of the class or source type changes the facets, so it reindexes the document too.
  await sql
    .raw(`CREATE TRIGGER darkweb_documents_fts_update AFTER UPDATE OF id, seq, title, text, source_type, class
      ON darkweb_documents BEGIN
    INSERT INTO ${FTS}(${FTS}, rowid, title, text, facets) SELECT 'delete', old.seq, old.title, old.text,
      f.facets FROM ${FACETS} f WHERE f.seq = old.seq;
    DELETE FROM ${FACETS} WHERE seq = old.seq;
    INSERT INTO ${FACETS}(seq, facets) VALUES (new.seq, ${facetsOf('new')});
    INSERT INTO ${FTS}(rowid, title, text, facets) SELECT new.seq, new.title, new.text, f.facets FROM
      ${FACETS} f WHERE f.seq = new.seq;
  END`)
    .execute(db);
  // Mentions carry classes too (`class:` matches them): reindex only when the class set really changed,
  // which a mention of the document's own class (the common case) does not.
  await sql
    .raw(`CREATE TRIGGER darkweb_mentions_fts_insert AFTER INSERT ON darkweb_mentions BEGIN
    ${reindexFacetsOf('new.document_id')}
  END`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER darkweb_mentions_fts_delete AFTER DELETE ON darkweb_mentions BEGIN
    ${reindexFacetsOf('old.document_id')}
  END`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER darkweb_mentions_fts_update AFTER UPDATE OF class, document_id ON darkweb_mentions BEGIN
    ${reindexFacetsOf('old.document_id')}
    ${reindexFacetsOf('new.document_id')}
  END`)
    .execute(db);
  // `rank` (what ORDER BY rank sorts on) becomes bm25 with a title match worth twice a text match; the
  // facets weigh nothing, so a filter never changes a document's score.
  await sql.raw(`INSERT INTO ${FTS}(${FTS}, rank) VALUES ('rank', 'bm25(2.0, 1.0, 0.0)')`).execute(db);
  // Filters left outside the MATCH (posted_at:, and org:/entity semi-joins on id) are checked on each
  // text match, newest first: this covering index answers them from one small b-tree instead of a
  // lookup through the seq index into the wide document rows. Appends cost little: seq only grows.
  await sql
    .raw(`CREATE INDEX darkweb_documents_search_filter_index ON darkweb_documents (seq, posted_at, id)`)
    .execute(db);
  // Documents stored before this migration get their facets and are indexed now.
  await sql
    .raw(`INSERT INTO ${FACETS}(seq, facets) SELECT d.seq, ${facetsOf('d')} FROM darkweb_documents d`)
    .execute(db);
  await sql.raw(`INSERT INTO ${FTS}(${FTS}) VALUES ('rebuild')`).execute(db);
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
  await db.schema
    .createIndex('darkweb_mentions_class_document_index')
    .on('darkweb_mentions')
    .columns(['class', 'document_id'])
    .execute();
}

/** Drop everything `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('darkweb_mentions_class_document_index').ifExists().execute();
  await db.schema.dropIndex('darkweb_entities_type_lower_value_index').ifExists().execute();
  if (dialectOf(db) === 'sqlite') {
    for (const trigger of SQLITE_TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.id(trigger)}`.execute(db);
    await sql`DROP TABLE IF EXISTS ${sql.id(FTS)}`.execute(db);
    await sql`DROP VIEW IF EXISTS ${sql.id(CONTENT)}`.execute(db);
    await sql`DROP TABLE IF EXISTS ${sql.id(FACETS)}`.execute(db);
    await sql`DROP INDEX IF EXISTS darkweb_documents_search_filter_index`.execute(db);
  } else {
    await db.schema.dropIndex('darkweb_documents_search_index').ifExists().execute();
    await sql`ALTER TABLE darkweb_documents DROP COLUMN IF EXISTS search_vector`.execute(db);
  }
}
