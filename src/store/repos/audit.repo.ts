/**
 * The audit log: who disputed, decided or excluded what, when and why. Append-only by construction:
 * this module has no update or delete, rows are written only by `appendAudit` inside the transaction
 * of the change they record (see disputes.repo.ts), and the database's triggers refuse UPDATE and
 * DELETE from anyone else (migrations/0006-disputes-audit.ts).
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { AUDIT_ACTIONS } from '../../core/disputes.js';
import type { AuditAction, AuditEntry } from '../../core/disputes.js';
import { newId, objectFromJson, toJson } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';
import type { AuditLogTable } from '../schema-disputes.js';

/** What a change records; `seq` and `id` are assigned on append. */
export type AuditInput = Omit<AuditEntry, 'seq' | 'id'>;

/** Filters of `AuditRepo.list`. */
export interface AuditFilter {
  organizationId?: string;
}

/** True when `db` talks to PostgreSQL (some locking statements exist there only). */
export function isPostgres(db: Kysely<StoreSchema>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Append one row. Must run inside the transaction of the change it records (`trx.isTransaction`), so
 * the change and its record commit together or not at all.
 */
export async function appendAudit(trx: Kysely<StoreSchema>, entry: AuditInput): Promise<AuditEntry> {
  if (!trx.isTransaction) throw new Error('appendAudit must run inside the transaction of the change it records');
  // seq is max + 1. SQLite transactions hold the write lock from BEGIN (sqlite-connection.ts); on
  // PostgreSQL a table lock (self-conflicting, readers unaffected) keeps two writers from taking one number.
  if (isPostgres(trx)) await sql`lock table audit_log in share row exclusive mode`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('max'))
    .executeTakeFirst();
  const seq = Number(last?.max ?? 0) + 1;
  const id = newId();
  await trx
    .insertInto('audit_log')
    .values({
      seq,
      id,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      organization_id: entry.organizationId,
      organization_name: entry.organizationName,
      subject_id: entry.subjectId,
      finding_id: entry.findingId,
      finding_type: entry.findingType,
      asset_host: entry.assetHost,
      reason: entry.reason,
      note: entry.note,
      details: toJson(entry.details),
    })
    .execute();
  return { ...entry, seq, id };
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  if (!(AUDIT_ACTIONS as readonly string[]).includes(row.action)) {
    throw new StoreError('database-corrupt', `audit_log row ${row.seq}: unknown action ${row.action}`);
  }
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    subjectId: row.subject_id,
    findingId: row.finding_id,
    findingType: row.finding_type,
    assetHost: row.asset_host,
    reason: row.reason,
    note: row.note,
    details: objectFromJson(row.details, 'audit_log.details'),
  };
}

/** Reading the audit log. There is deliberately nothing here that changes a row. */
export class AuditRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Entries in the order they were written (oldest first). */
  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('seq');
    if (filter.organizationId !== undefined) query = query.where('organization_id', '=', filter.organizationId);
    return (await query.execute()).map(toEntry);
  }
}
