/**
 * Vulnerability records imported with `vitals vulns import` (KEV and NVD), one per CVE, merged on import:
 * a KEV import keeps the ranges an NVD import stored and the other way round.
 */
import type { Kysely } from 'kysely';
import { mergeVulnRecord, type VulnRecord, VulnRecordSchema } from '../../intel/vulns/vuln-data.js';
import { chunks, inTransaction, isoTimestamp } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';

function parseRecord(text: string, cve: string): VulnRecord {
  const parsed = VulnRecordSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new StoreError('database-corrupt', `vulnerability record ${cve} does not parse`);
  return parsed.data;
}

export class VulnsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Upserts `records` from `source` in one transaction; returns how many were new and how many updated. */
  async importRecords(
    records: readonly VulnRecord[],
    source: string,
    now: string | Date = new Date(),
  ): Promise<{ added: number; updated: number }> {
    const at = isoTimestamp(now);
    return inTransaction(this.db, async (trx) => {
      let added = 0;
      let updated = 0;
      for (const batch of chunks(records, 400)) {
        const existing = new Map(
          (
            await trx
              .selectFrom('vulnerability_records')
              .selectAll()
              .where(
                'cve',
                'in',
                batch.map((r) => r.cve),
              )
              .execute()
          ).map((row) => [row.cve, row]),
        );
        for (const record of batch) {
          const row = existing.get(record.cve);
          if (row === undefined) {
            added++;
            await trx
              .insertInto('vulnerability_records')
              .values({
                cve: record.cve,
                record: JSON.stringify(record),
                sources: JSON.stringify([source]),
                imported_at: at,
              })
              .execute();
            existing.set(record.cve, {
              cve: record.cve,
              record: JSON.stringify(record),
              sources: JSON.stringify([source]),
              imported_at: at,
            });
            continue;
          }
          updated++;
          const merged = mergeVulnRecord(parseRecord(row.record, row.cve), record);
          const sources = [...new Set([...(JSON.parse(row.sources) as string[]), source])];
          const values = { record: JSON.stringify(merged), sources: JSON.stringify(sources), imported_at: at };
          await trx.updateTable('vulnerability_records').set(values).where('cve', '=', record.cve).execute();
          existing.set(record.cve, { ...row, ...values });
        }
      }
      return { added, updated };
    });
  }

  /** Every imported record, by CVE id, and the sources they came from. */
  async all(): Promise<{ records: VulnRecord[]; sources: string[] }> {
    const rows = await this.db.selectFrom('vulnerability_records').selectAll().orderBy('cve').execute();
    const sources = new Set<string>();
    for (const row of rows) for (const s of JSON.parse(row.sources) as string[]) sources.add(s);
    return { records: rows.map((r) => parseRecord(r.record, r.cve)), sources: [...sources].sort() };
  }
}
