/**
 * What the ratings service reads to score organizations, for many at once: their open findings (only
 * the columns the method needs) and their asset counts. One query each per batch, so scoring every
 * organization after a portfolio scan is not one round trip per finding.
 */
import type { Kysely } from 'kysely';
import { FACTORS, SEVERITIES } from '../../core/types.js';
import type { Factor, Severity } from '../../core/types.js';
import { chunks } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';

/** An open finding as scoring needs it. */
export interface OpenFindingForScoring {
  id: string;
  organizationId: string;
  type: string;
  factor: Factor;
  severity: Severity;
  assetHost: string;
  lastSeen: string;
}

/** Data access for scoring inputs. */
export class ScoringInputsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Open findings of these organizations, by organization then id. */
  async openFindings(organizationIds: readonly string[]): Promise<OpenFindingForScoring[]> {
    const out: OpenFindingForScoring[] = [];
    for (const part of chunks([...new Set(organizationIds)])) {
      const rows = await this.db
        .selectFrom('findings')
        .select(['id', 'organization_id', 'type', 'factor', 'severity', 'asset_host', 'last_seen'])
        .where('organization_id', 'in', part)
        .where('status', '=', 'open')
        .orderBy('organization_id')
        .orderBy('id')
        .execute();
      for (const row of rows) {
        if (
          !(FACTORS as readonly string[]).includes(row.factor) ||
          !(SEVERITIES as readonly string[]).includes(row.severity)
        ) {
          throw new StoreError('database-corrupt', `finding ${row.id}: unknown factor or severity`);
        }
        out.push({
          id: row.id,
          organizationId: row.organization_id,
          type: row.type,
          factor: row.factor as Factor,
          severity: row.severity as Severity,
          assetHost: row.asset_host,
          lastSeen: row.last_seen,
        });
      }
    }
    return out;
  }

  /** Number of assets (hosts) of each organization; organizations without assets map to 0. */
  async assetCounts(organizationIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(organizationIds.map((id) => [id, 0]));
    for (const part of chunks([...new Set(organizationIds)])) {
      const rows = await this.db
        .selectFrom('assets')
        .select(['organization_id', (eb) => eb.fn.countAll().as('n')])
        .where('organization_id', 'in', part)
        .groupBy('organization_id')
        .execute();
      // count() is a bigint on PostgreSQL, which pg returns as a string.
      for (const row of rows) counts.set(row.organization_id, Number(row.n));
    }
    return counts;
  }
}
