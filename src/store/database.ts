/**
 * Opens the store: SQLite (default, `<home>/vitals.db`) or PostgreSQL (when a URL is given), runs
 * pending migrations, and hands out the repositories. One Kysely query code serves both dialects.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { ensurePrivateDir, ensurePrivateFile, tightenIfPresent } from '../core/private-files.js';
import { StoreError, redactDatabaseUrl } from './errors.js';
import { appliedMigrations, migrateSqliteToLatest, migrateToLatest } from './migrations/migrator.js';
import { AlertsRepo } from './repos/alerts.repo.js';
import { AssetsRepo } from './repos/assets.repo.js';
import { AuditRepo } from './repos/audit.repo.js';
import { DisputesRepo } from './repos/disputes.repo.js';
import { VendorsRepo } from './repos/vendors.repo.js';
import { ReputationRepo } from './repos/reputation.repo.js';
import { VulnsRepo } from './repos/vulns.repo.js';
import { FindingsRepo } from './repos/findings.repo.js';
import { DarkwebRepo } from './repos/darkweb.repo.js';
import { DarkwebSearchRepo } from './repos/darkweb-search.repo.js';
import { ObservationsRepo } from './repos/observations.repo.js';
import { OrganizationsRepo } from './repos/organizations.repo.js';
import { ScansRepo } from './repos/scans.repo.js';
import { ScoreSnapshotsRepo } from './repos/score-snapshots.repo.js';
import { ScoringInputsRepo } from './repos/scoring-inputs.repo.js';
import { UsersRepo } from './repos/users.repo.js';
import type { StoreSchema } from './schema.js';
import { openSqliteDatabase } from './sqlite-connection.js';

/** How to open the store. */
export interface OpenStoreOptions {
  /** Folder holding `vitals.db` (created if missing); defaults to `~/.vitals`. The CLI passes `$VITALS_HOME`. */
  home?: string;
  /**
   * PostgreSQL URL (`postgres://user:pass@host:5432/db`); when set, SQLite is not used. The CLI passes
   * `$VITALS_DATABASE_URL`.
   */
  databaseUrl?: string;
  /** How long SQLite waits for another writer before `database-locked`; default 5000 ms. */
  busyTimeoutMs?: number;
  /** How long PostgreSQL may take to accept a connection; default 10000 ms. */
  connectTimeoutMs?: number;
}

/** The repositories, bound to the store or to a transaction. */
export interface StoreRepos {
  readonly organizations: OrganizationsRepo;
  readonly assets: AssetsRepo;
  readonly scans: ScansRepo;
  readonly observations: ObservationsRepo;
  readonly findings: FindingsRepo;
  readonly darkweb: DarkwebRepo;
  readonly darkwebSearch: DarkwebSearchRepo;
  readonly alerts: AlertsRepo;
  readonly scoreSnapshots: ScoreSnapshotsRepo;
  readonly disputes: DisputesRepo;
  readonly audit: AuditRepo;
  readonly scoringInputs: ScoringInputsRepo;
  readonly vendors: VendorsRepo;
  readonly users: UsersRepo;
  readonly reputation: ReputationRepo;
  readonly vulns: VulnsRepo;
}

/** An open store. */
export interface Store extends StoreRepos {
  readonly dialect: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Run `work` in one transaction: everything it writes through `repos` commits together or not at all. */
  transaction<T>(work: (repos: StoreRepos) => Promise<T>): Promise<T>;
  /** Names of the applied migrations, oldest first. */
  appliedMigrations(): Promise<string[]>;
  /**
   * A value that changes when another connection (another vitals process) commits a change: SQLite's
   * `PRAGMA data_version`; on PostgreSQL the row changes the cumulative statistics have counted, which a
   * backend reports when it ends or goes idle (PostgreSQL 15+: within about ten seconds at most). This
   * connection's own writes do not change it: a cache over the store must also drop what they touch.
   */
  dataVersion(): Promise<string>;
  /** Close connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** File name of the SQLite database inside the home folder. */
export const SQLITE_FILE_NAME = 'vitals.db';

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function reposOf(db: Kysely<StoreSchema>): StoreRepos {
  return {
    organizations: new OrganizationsRepo(db),
    assets: new AssetsRepo(db),
    scans: new ScansRepo(db),
    observations: new ObservationsRepo(db),
    findings: new FindingsRepo(db),
    darkweb: new DarkwebRepo(db),
    darkwebSearch: new DarkwebSearchRepo(db),
    alerts: new AlertsRepo(db),
    scoreSnapshots: new ScoreSnapshotsRepo(db),
    disputes: new DisputesRepo(db),
    audit: new AuditRepo(db),
    scoringInputs: new ScoringInputsRepo(db),
    vendors: new VendorsRepo(db),
    users: new UsersRepo(db),
    reputation: new ReputationRepo(db),
    vulns: new VulnsRepo(db),
  };
}

function storeOver(db: Kysely<StoreSchema>, dialect: Store['dialect'], location: string): Store {
  return {
    ...reposOf(db),
    dialect,
    location,
    transaction: (work) => db.transaction().execute((trx) => work(reposOf(trx))),
    appliedMigrations: () => appliedMigrations(db as Kysely<unknown>),
    dataVersion: async () => {
      const query =
        dialect === 'sqlite'
          ? sql<{ version: unknown }>`select data_version as version from pragma_data_version`
          : sql<{ version: unknown }>`select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text as version
              from pg_stat_user_tables`;
      const { rows } = await query.execute(db);
      return String(rows[0]?.version ?? '');
    },
    close: () => db.destroy(),
  };
}

/** Errors that mean "could not reach or log into the server", as opposed to a failing query. */
function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  // SQLSTATE class 08 is connection exceptions, 28 invalid authorization, 3D000 unknown database,
  // 57P03 server starting up (PostgreSQL manual, appendix A).
  if (typeof code === 'string' && (/^(08|28)/.test(code) || code === '3D000' || code === '57P03')) return true;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ENOTFOUND, ETIMEDOUT...
  return /timeout|terminated|connect/i.test(message);
}

async function migrate(db: Kysely<StoreSchema>, location: string, dialect: Store['dialect']): Promise<void> {
  try {
    await (dialect === 'sqlite' ? migrateSqliteToLatest : migrateToLatest)(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    if (dialect === 'postgres' && isConnectionError(error)) {
      throw new StoreError('database-unreachable', `cannot connect to PostgreSQL at ${location}: ${detail}`, location, {
        cause: error,
      });
    }
    throw new StoreError('migration-failed', `migrating the database at ${location} failed: ${detail}`, location, {
      cause: error,
    });
  }
}

async function openPostgres(databaseUrl: string, connectTimeoutMs: number): Promise<Store> {
  const location = redactDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs, max: 10 });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  await migrate(db, location, 'postgres');
  return storeOver(db, 'postgres', location);
}

async function openSqlite(home: string, busyTimeoutMs: number): Promise<Store> {
  const folder = resolve(home);
  // The database holds an inventory of weaknesses: keep it private to the user, on every open.
  ensurePrivateDir(folder);
  const file = join(folder, SQLITE_FILE_NAME);
  const sidecars = [`${file}-wal`, `${file}-shm`];
  ensurePrivateFile(file);
  for (const sidecar of sidecars) tightenIfPresent(sidecar);
  const database = openSqliteDatabase(file, busyTimeoutMs);
  // SQLite creates the WAL and shared-memory files with the database file's mode; checked all the same.
  for (const sidecar of sidecars) tightenIfPresent(sidecar);
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) });
  await migrate(db, file, 'sqlite');
  return storeOver(db, 'sqlite', file);
}

/** Open (and migrate) the store; throws `StoreError` with a clear code and message on failure. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const databaseUrl = options.databaseUrl?.trim();
  if (databaseUrl !== undefined && databaseUrl !== '') {
    if (!/^postgres(ql)?:\/\//i.test(databaseUrl)) {
      throw new StoreError(
        'invalid-input',
        `unsupported database URL ${redactDatabaseUrl(databaseUrl)}: expected postgres://...`,
      );
    }
    return openPostgres(databaseUrl, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  }
  return openSqlite(options.home ?? join(homedir(), '.vitals'), options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
}
