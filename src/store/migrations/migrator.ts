/**
 * Versioned migrations with Kysely's Migrator and a static provider (no directory scanning, so the
 * list survives bundling and works the same from `src/` under tsx and from `dist/`).
 */
import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as darkweb from './0002-darkweb.js';
import * as darkwebSearch from './0003-darkweb-search.js';
import * as alerts from './0004-alerts.js';
import * as darkwebCredentialHints from './0005-darkweb-credential-hints.js';
import * as disputesAudit from './0006-disputes-audit.js';
import * as scoreSnapshots from './0007-score-snapshots.js';
import * as findingEvents from './0008-finding-events.js';
import * as organizationVendors from './0009-organization-vendors.js';
import * as findingEventsByOrganization from './0010-finding-events-by-organization.js';
import * as scoreSnapshotPoints from './0011-score-snapshot-points.js';
import * as darkwebMentionReasons from './0012-darkweb-mention-reasons.js';
import * as apiUsers from './0013-api-users.js';
import * as organizationAliasJudgements from './0014-organization-alias-judgements.js';
import * as ipReputation from './0015-ip-reputation.js';
import * as vulnerabilityRecords from './0016-vulnerability-records.js';
import * as assetFingerprints from './0017-asset-fingerprints.js';

/** Every migration, by name; names sort in the order they must run. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-darkweb': darkweb,
  '0003-darkweb-search': darkwebSearch,
  '0004-alerts': alerts,
  '0005-darkweb-credential-hints': darkwebCredentialHints,
  '0006-disputes-audit': disputesAudit,
  '0007-score-snapshots': scoreSnapshots,
  '0008-finding-events': findingEvents,
  '0009-organization-vendors': organizationVendors,
  '0010-finding-events-by-organization': findingEventsByOrganization,
  '0011-score-snapshot-points': scoreSnapshotPoints,
  '0012-darkweb-mention-reasons': darkwebMentionReasons,
  '0013-api-users': apiUsers,
  '0014-organization-alias-judgements': organizationAliasJudgements,
  '0015-ip-reputation': ipReputation,
  '0016-vulnerability-records': vulnerabilityRecords,
  '0017-asset-fingerprints': assetFingerprints,
};

const staticProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/**
 * A Migrator over `db` using the static list above (tests may pass another list). Unordered migrations
 * are allowed: helpers land numbered migrations in any order (RATINGS.md), so a database may have run
 * 0007 or 0008 before 0006 exists.
 */
export function createMigrator(
  db: Kysely<unknown>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Migrator {
  const provider: MigrationProvider =
    migrations === MIGRATIONS ? staticProvider : { getMigrations: async () => ({ ...migrations }) };
  return new Migrator({ db, provider, allowUnorderedMigrations: true });
}

/** Apply every pending migration; returns the names applied now. Throws the first failure. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error !== undefined) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * SQLite variant: Kysely runs SQLite migrations outside any transaction and with no lock between
 * processes (its adapter assumes one connection). Two vitals processes opening a fresh file would
 * race, and a failing migration would leave half a schema. SQLite DDL is transactional, so hold a
 * write lock (BEGIN IMMEDIATE, waiting up to the busy timeout) around the whole run.
 */
export async function migrateSqliteToLatest(db: Kysely<unknown>): Promise<string[]> {
  await sql`begin immediate`.execute(db);
  try {
    const applied = await migrateToLatest(db);
    await sql`commit`.execute(db);
    return applied;
  } catch (error) {
    await sql`rollback`.execute(db).catch(() => undefined);
    throw error;
  }
}

/** Names of the migrations already applied, oldest first. */
export async function appliedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const all = await createMigrator(db).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
