/**
 * Test support: the store on every dialect a suite can reach. SQLite always, in a scratch home under
 * the OS temp folder; PostgreSQL too when VITALS_TEST_DATABASE_URL is set, in a fresh scratch
 * database created on the first open() and dropped by dispose(), so a run leaves nothing behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_FILE_NAME, openStore } from './database.js';
import type { Store } from './database.js';

/** The environment variable naming a PostgreSQL server the tests may create scratch databases on. */
export const TEST_DATABASE_URL_VARIABLE = 'VITALS_TEST_DATABASE_URL';

/** A scratch database a suite runs against: opened (again) as often as needed, disposed of once. */
export interface TestDialect {
  /** Shown in test titles. */
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Open a store on the scratch database (creating it on the first call; later calls reopen it). */
  open(): Promise<Store>;
  /** Delete the scratch database (safe to call when open() never ran). */
  dispose(): Promise<void>;
  /**
   * Run one SQL statement over a connection of its own, around Vitals' code (after open()): what
   * anyone with the database could do, for tests of guards that live in the database itself.
   */
  runSql(statement: string): Promise<void>;
}

// The label goes into an unquoted SQL identifier (CREATE DATABASE cannot take a bind parameter), so
// only lower-case letters, digits and underscores; 30 characters keeps the whole name well under
// PostgreSQL's 63-byte identifier limit (NAMEDATALEN - 1).
const LABEL = /^[a-z][a-z0-9_]{0,29}$/;

/** Fresh scratch dialects for one suite: SQLite always, PostgreSQL when VITALS_TEST_DATABASE_URL is set. */
export function testDialects(label = 'test'): TestDialect[] {
  if (!LABEL.test(label)) throw new Error(`test dialect label must match ${LABEL}: ${JSON.stringify(label)}`);
  const dialects = [sqliteDialect(label)];
  const url = process.env[TEST_DATABASE_URL_VARIABLE];
  if (url !== undefined && url !== '') dialects.push(postgresDialect(url, label));
  return dialects;
}

/** The label names the temp folder (vitals-<label>-XXXXXX) so a leftover one says which suite made it. */
function sqliteDialect(label: string): TestDialect {
  // Made on the first open(), like the PostgreSQL database, so a dialect never opened leaves nothing.
  let home: string | undefined;
  return {
    name: 'SQLite',
    open: () => {
      home ??= mkdtempSync(join(tmpdir(), `vitals-${label.replaceAll('_', '-')}-`));
      return openStore({ home });
    },
    dispose: async () => {
      if (home !== undefined) rmSync(home, { recursive: true, force: true });
    },
    runSql: async (statement) => {
      if (home === undefined) throw new Error('runSql before open()');
      const database = new Database(join(home, SQLITE_FILE_NAME));
      try {
        database.exec(statement);
      } finally {
        database.close();
      }
    },
  };
}

function postgresDialect(adminUrl: string, label: string): TestDialect {
  const database = `vitals_${label}_${randomBytes(6).toString('hex')}`;
  const scratchUrl = new URL(adminUrl);
  scratchUrl.pathname = `/${database}`;
  let created = false;
  return {
    name: 'PostgreSQL',
    open: async () => {
      if (!created) {
        await runAdminStatement(adminUrl, `CREATE DATABASE ${database}`);
        created = true;
      }
      return openStore({ databaseUrl: scratchUrl.toString() });
    },
    dispose: async () => {
      // WITH (FORCE) (PostgreSQL 13+) ends sessions a failed test left open instead of failing the drop.
      if (created) await runAdminStatement(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
    runSql: (statement) => runAdminStatement(scratchUrl.toString(), statement),
  };
}

/**
 * CREATE/DROP DATABASE cannot run inside a transaction or on the target database: a short-lived admin
 * connection (also how runSql reaches the scratch database).
 */
async function runAdminStatement(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
