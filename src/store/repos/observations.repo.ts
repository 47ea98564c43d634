/**
 * Observations: what a scan saw besides findings. `control` rows are good controls (info, never
 * points by themselves), `not_assessed` rows are checks that could not judge (never a pass), and
 * `probe` rows keep raw probe facts for evidence and debugging.
 */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { CheckOutcome, ControlObservation, NotAssessed } from '../../core/types.js';
import { chunks, inTransaction, isoTimestamp, newId, objectFromJson, toJson } from '../codec.js';
import { capEvidence } from '../../core/evidence-text.js';
import { StoreError } from '../errors.js';
import type { ObservationsTable, StoreSchema } from '../schema.js';
import { normalizeHost } from './assets.repo.js';

/** Observation kinds. */
export const OBSERVATION_KINDS = ['control', 'not_assessed', 'probe'] as const;
/** One of OBSERVATION_KINDS. */
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** The kind-specific part of an observation. */
export type ObservationBody =
  | { kind: 'control'; payload: ControlObservation }
  | { kind: 'not_assessed'; payload: NotAssessed }
  | { kind: 'probe'; assetHost: string; payload: Record<string, unknown> };

/** What a caller records. `probe` names the probe or check that produced it. */
export type ObservationInput = { organizationId: string; probe: string; observedAt: string | Date } & ObservationBody;

/** A stored observation. */
export type Observation = {
  id: string;
  scanId: string;
  organizationId: string;
  assetHost: string;
  probe: string;
  observedAt: string;
} & (
  | { kind: 'control'; payload: ControlObservation }
  | { kind: 'not_assessed'; payload: NotAssessed }
  | { kind: 'probe'; payload: Record<string, unknown> }
);

/** Filters for `list`; all optional, combined with AND. */
export interface ObservationFilter {
  scanId?: string;
  organizationId?: string;
  kind?: ObservationKind;
  assetHost?: string;
}

const assetSchema = z.object({ host: z.string(), ip: z.string().optional(), port: z.number().int().optional() });
const controlSchema = z.object({
  control: z.string(),
  asset: assetSchema,
  evidence: z.record(z.string(), z.unknown()),
});
const notAssessedSchema = z.object({ check: z.string(), asset: assetSchema, reason: z.string() });

function toObservation(row: Selectable<ObservationsTable>): Observation {
  const base = {
    id: row.id,
    scanId: row.scan_id,
    organizationId: row.organization_id,
    assetHost: row.asset_host,
    probe: row.probe,
    observedAt: row.observed_at,
  };
  const payload = objectFromJson(row.payload, 'observations.payload');
  const corrupt = (): never => {
    throw new StoreError('database-corrupt', `observation ${row.id}: payload does not match kind ${row.kind}`);
  };
  switch (row.kind) {
    case 'control': {
      const parsed = controlSchema.safeParse(payload);
      return parsed.success ? { ...base, kind: 'control', payload: parsed.data } : corrupt();
    }
    case 'not_assessed': {
      const parsed = notAssessedSchema.safeParse(payload);
      return parsed.success ? { ...base, kind: 'not_assessed', payload: parsed.data } : corrupt();
    }
    case 'probe':
      return { ...base, kind: 'probe', payload };
    default:
      return corrupt();
  }
}

function hostOf(input: ObservationInput): string {
  return normalizeHost(input.kind === 'probe' ? input.assetHost : input.payload.asset.host);
}

/** Data access for observations. */
export class ObservationsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Record a batch for one scan in one transaction. */
  async recordMany(scanId: string, observations: readonly ObservationInput[]): Promise<number> {
    const rows = observations.map((o) => ({
      id: newId(),
      scan_id: scanId,
      organization_id: o.organizationId,
      asset_host: hostOf(o),
      probe: o.probe,
      kind: o.kind,
      payload: toJson(o.kind === 'control' ? { ...o.payload, evidence: capEvidence(o.payload.evidence) } : o.payload),
      observed_at: isoTimestamp(o.observedAt, 'observedAt'),
    }));
    await inTransaction(this.db, async (trx) => {
      // Multi-row inserts, chunked: 8 parameters per row stays far below every driver's limit.
      for (const part of chunks(rows, 200)) await trx.insertInto('observations').values(part).execute();
    });
    return rows.length;
  }

  /** Record the controls and not-assessed parts of a check outcome (findings go to the findings repo). */
  async recordOutcome(
    scanId: string,
    organizationId: string,
    probe: string,
    outcome: Pick<CheckOutcome, 'controls' | 'notAssessed'>,
    observedAt: string | Date,
  ): Promise<number> {
    return this.recordMany(scanId, [
      ...outcome.controls.map((payload) => ({ organizationId, probe, observedAt, kind: 'control' as const, payload })),
      ...outcome.notAssessed.map((payload) => ({
        organizationId,
        probe,
        observedAt,
        kind: 'not_assessed' as const,
        payload,
      })),
    ]);
  }

  /** Observations matching `filter`, oldest first. */
  async list(filter: ObservationFilter = {}): Promise<Observation[]> {
    let query = this.db.selectFrom('observations').selectAll();
    if (filter.scanId !== undefined) query = query.where('scan_id', '=', filter.scanId);
    if (filter.organizationId !== undefined) query = query.where('organization_id', '=', filter.organizationId);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.assetHost !== undefined) query = query.where('asset_host', '=', normalizeHost(filter.assetHost));
    const rows = await query.orderBy('observed_at').orderBy('asset_host').orderBy('id').execute();
    return rows.map(toObservation);
  }
}
