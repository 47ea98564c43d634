/**
 * Errors the store raises with a stable `code`, so the CLI can print a clear message and exit code
 * instead of a driver stack trace.
 */
import { AppError } from '../core/errors.js';

/** Stable store error codes. */
export type StoreErrorCode =
  | 'database-locked'
  | 'database-corrupt'
  | 'database-unreachable'
  | 'migration-failed'
  | 'invalid-input'
  | 'not-found';

/** An error from the store layer; `location` is the SQLite file or the password-free database URL. */
export class StoreError extends AppError {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly location?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A PostgreSQL URL with any password replaced, safe to print and log. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    // Passwords can also hide in the query string (libpq accepts `?password=`).
    if (url.searchParams.has('password')) url.searchParams.set('password', '***');
    return url.toString();
  } catch {
    // Not parseable as a URL: print nothing of it rather than risk leaking a secret.
    return '<unparseable database URL>';
  }
}

/** better-sqlite3 errors carry SQLite's extended result code name, e.g. `SQLITE_BUSY_SNAPSHOT`. */
function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Maps SQLite's lock and corruption result codes (https://www.sqlite.org/rescode.html) to a
 * `StoreError` naming the file; any other error is returned unchanged.
 */
export function translateSqliteError(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'database-locked',
      `SQLite database ${file} is locked by another writer (${detail}); retry when the other vitals process ` +
        `has finished`,
      file,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      'database-corrupt',
      `SQLite database ${file} is corrupt or not a database (${detail}); restore it from a backup or move it away`,
      file,
      { cause: error },
    );
  }
  return error;
}
