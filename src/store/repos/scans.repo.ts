/**
 * Scans: one row per run, with its scope, timing, counters and the errors met on the way.
 */
import type { Kysely, Selectable } from 'kysely';
import { fromJson, isoTimestamp, newId, objectFromJson, toJson } from '../codec.js';
import { StoreError } from '../errors.js';
import type { ScansTable, StoreSchema } from '../schema.js';

/** An error met during a scan (a target that could not be scanned, a probe that crashed). */
export interface ScanErrorEntry {
  message: string;
  target?: string;
  [key: string]: unknown;
}

/** A stored scan. `scope` is whatever JSON the caller described the scan with. */
export interface Scan {
  id: string;
  scope: unknown;
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, number>;
  errors: ScanErrorEntry[];
}

function toScan(row: Selectable<ScansTable>): Scan {
  const counts = objectFromJson(row.counts, 'scans.counts');
  const errors = fromJson(row.errors, 'scans.errors');
  if (!Object.values(counts).every((v) => typeof v === 'number')) {
    throw new StoreError('database-corrupt', `scan ${row.id}: counts are not all numbers`);
  }
  if (!Array.isArray(errors)) throw new StoreError('database-corrupt', `scan ${row.id}: errors is not an array`);
  return {
    id: row.id,
    scope: fromJson(row.scope, 'scans.scope'),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: counts as Record<string, number>,
    errors: errors as ScanErrorEntry[],
  };
}

/** Data access for scans. */
export class ScansRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Start a scan: returns it with a fresh id, no finish time, empty counts and errors. */
  async create(options: { scope: unknown; startedAt?: string | Date }): Promise<Scan> {
    const row = {
      id: newId(),
      scope: toJson(options.scope),
      started_at: isoTimestamp(options.startedAt ?? new Date(), 'startedAt'),
      finished_at: null,
      counts: toJson({}),
      errors: toJson([]),
    };
    await this.db.insertInto('scans').values(row).execute();
    return toScan(row);
  }

  /** Mark a scan finished with its counters and errors. */
  async finish(
    scanId: string,
    result: { counts: Record<string, number>; errors?: ScanErrorEntry[]; finishedAt?: string | Date },
  ): Promise<Scan> {
    const update = await this.db
      .updateTable('scans')
      .set({
        finished_at: isoTimestamp(result.finishedAt ?? new Date(), 'finishedAt'),
        counts: toJson(result.counts),
        errors: toJson(result.errors ?? []),
      })
      .where('id', '=', scanId)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) === 0) throw new StoreError('not-found', `no scan with id ${scanId}`);
    const scan = await this.get(scanId);
    if (scan === undefined) throw new StoreError('not-found', `no scan with id ${scanId}`);
    return scan;
  }

  /** One scan by id. */
  async get(scanId: string): Promise<Scan | undefined> {
    const row = await this.db.selectFrom('scans').selectAll().where('id', '=', scanId).executeTakeFirst();
    return row === undefined ? undefined : toScan(row);
  }

  /** Scans, newest first. */
  async list(options: { limit?: number } = {}): Promise<Scan[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 100, 10_000));
    const rows = await this.db
      .selectFrom('scans')
      .selectAll()
      .orderBy('started_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toScan);
  }
}
