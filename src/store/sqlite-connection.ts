/**
 * Opens the SQLite file for Kysely's SqliteDialect, with WAL, a busy timeout, foreign keys, and every
 * driver error translated to a `StoreError` that names the file.
 */
import Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { translateSqliteError } from './errors.js';

/** Open `file` (created if missing) and prepare the connection; throws `StoreError` on lock or corruption. */
export function openSqliteDatabase(file: string, busyTimeoutMs: number): SqliteDatabase {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    // The first statement reads the header: a file that is not a database fails here (SQLITE_NOTADB).
    // WAL lets readers (the web UI) work while a scan writes (https://www.sqlite.org/wal.html).
    db.pragma('journal_mode = WAL');
    // SQLite leaves foreign keys off unless asked, per connection (https://www.sqlite.org/foreignkeys.html).
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    db?.close();
    throw translateSqliteError(error, file);
  }
  return wrapDatabase(db, file);
}

/** Statements kept prepared per connection, by SQL text (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 64;

function wrapDatabase(db: Database.Database, file: string): SqliteDatabase {
  /**
   * Kysely prepares every query it runs. Compiling a multi-row INSERT of a few thousand parameters, or a
   * lookup of a thousand values (`where content_hash in (…)`), costs SQLite about as much as running it,
   * and ingestion sends the same ones batch after batch, so statements are reused. A reader's `iterate`
   * keeps its statement busy until the stream ends, so a stream always gets a statement of its own;
   * `all` and `run` finish before they return.
   */
  const statements = new Map<string, Database.Statement>();
  const prepared = (text: string): Database.Statement => {
    const cached = statements.get(text);
    if (cached !== undefined) {
      statements.delete(text);
      statements.set(text, cached);
      return cached;
    }
    const statement = guard(() => db.prepare(text));
    if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    statements.set(text, statement);
    return statement;
  };
  const guard = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw translateSqliteError(error, file);
    }
  };
  return {
    close: () => db.close(),
    prepare(query: string): SqliteStatement {
      // Kysely opens transactions with a deferred `begin`. Our transactions write, and a deferred one
      // that read first fails at once with SQLITE_BUSY when it tries to upgrade to a write lock while
      // another connection writes, without waiting for the busy timeout. BEGIN IMMEDIATE takes the
      // write lock up front and so waits (https://www.sqlite.org/lang_transaction.html).
      const text = query.length < 16 && query.trim().toLowerCase() === 'begin' ? 'begin immediate' : query;
      const statement = prepared(text);
      return {
        reader: statement.reader,
        all: (parameters) => guard(() => statement.all(...parameters)),
        run: (parameters) => guard(() => statement.run(...parameters)),
        iterate: (parameters) => guard(() => db.prepare(text).iterate(...parameters)),
      };
    },
  };
}
