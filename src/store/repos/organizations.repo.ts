/**
 * Organizations: the entities rated. `name` is unique case-insensitively (via `name_key`), and
 * upserts are keyed on it so re-importing a file is idempotent.
 */
import type { Kysely, Selectable } from 'kysely';
import { STORED_SECTORS } from '../../core/types.js';
import type { Sector } from '../../core/types.js';
import type { AliasJudgementRecord, Organization, OrganizationInput } from '../../core/organization.js';
import { inTransaction, isoTimestamp, newId, stringArrayFromJson, toJson } from '../codec.js';
import { StoreError } from '../errors.js';
import type { OrganizationsTable, StoreSchema } from '../schema.js';

/** What an upsert did to one organization. */
export type UpsertChange = 'created' | 'updated' | 'unchanged';

/** Totals of an upsert batch. */
export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The case-insensitive key that makes "St. Mary's" and "st.  mary's" the same organization. */
export function organizationNameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function toOrganization(row: Selectable<OrganizationsTable>): Organization {
  if (!(STORED_SECTORS as readonly string[]).includes(row.sector)) {
    throw new StoreError('database-corrupt', `organization ${row.id} has unknown sector ${row.sector}`);
  }
  return {
    id: row.id,
    name: row.name,
    sector: row.sector as Sector,
    domains: stringArrayFromJson(row.domains, 'organizations.domains'),
    telehealth: Number(row.telehealth) === 1,
    aliases: stringArrayFromJson(row.aliases, 'organizations.aliases'),
    tags: stringArrayFromJson(row.tags, 'organizations.tags'),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns an input maps to, normalised so comparison with a stored row is meaningful. */
function columnsOf(input: OrganizationInput) {
  const name = input.name.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name === '') throw new StoreError('invalid-input', 'organization name is empty');
  if (!(STORED_SECTORS as readonly string[]).includes(input.sector)) {
    throw new StoreError('invalid-input', `organization ${name}: unknown sector ${String(input.sector)}`);
  }
  return {
    name,
    name_key: organizationNameKey(name),
    sector: input.sector,
    domains: toJson([...new Set(input.domains)]),
    telehealth: input.telehealth ? 1 : 0,
    aliases: toJson([...new Set(input.aliases ?? [])]),
    tags: toJson([...new Set(input.tags ?? [])]),
  };
}

/** Data access for organizations. */
export class OrganizationsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** All organizations, by name. */
  async list(): Promise<Organization[]> {
    const rows = await this.db.selectFrom('organizations').selectAll().orderBy('name_key').execute();
    return rows.map(toOrganization);
  }

  /** One organization by id. */
  async getById(id: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toOrganization(row);
  }

  /** One organization by name, case-insensitively. */
  async getByName(name: string): Promise<Organization | undefined> {
    const row = await this.db
      .selectFrom('organizations')
      .selectAll()
      .where('name_key', '=', organizationNameKey(name))
      .executeTakeFirst();
    return row === undefined ? undefined : toOrganization(row);
  }

  /** By name first, then by alias (case-insensitive): what the CLI's `--org` argument resolves with. */
  async findByNameOrAlias(nameOrAlias: string): Promise<Organization | undefined> {
    const byName = await this.getByName(nameOrAlias);
    if (byName !== undefined) return byName;
    const key = organizationNameKey(nameOrAlias);
    // Aliases live in a JSON column; organization counts are small, so filter here.
    const all = await this.list();
    return all.find((org) => org.aliases.some((alias) => organizationNameKey(alias) === key));
  }

  /** Create or update one organization, keyed on its name. */
  async upsert(
    input: OrganizationInput,
    now: string | Date = new Date(),
  ): Promise<{ organization: Organization; change: UpsertChange }> {
    const columns = columnsOf(input);
    const at = isoTimestamp(now);
    return inTransaction(this.db, async (trx) => {
      const existing = await trx
        .selectFrom('organizations')
        .selectAll()
        .where('name_key', '=', columns.name_key)
        .executeTakeFirst();
      if (existing === undefined) {
        const row = { id: newId(), ...columns, created_at: at, updated_at: at };
        await trx.insertInto('organizations').values(row).execute();
        return { organization: toOrganization(row), change: 'created' as const };
      }
      const same =
        existing.name === columns.name &&
        existing.sector === columns.sector &&
        existing.domains === columns.domains &&
        Number(existing.telehealth) === columns.telehealth &&
        existing.aliases === columns.aliases &&
        existing.tags === columns.tags;
      if (same) return { organization: toOrganization(existing), change: 'unchanged' as const };
      await trx
        .updateTable('organizations')
        .set({ ...columns, updated_at: at })
        .where('id', '=', existing.id)
        .execute();
      return { organization: toOrganization({ ...existing, ...columns, updated_at: at }), change: 'updated' as const };
    });
  }

  /** Upsert a batch in one transaction: all or nothing. */
  async upsertMany(inputs: readonly OrganizationInput[], now: string | Date = new Date()): Promise<UpsertCounts> {
    const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
    await inTransaction(this.db, async (trx) => {
      const repo = new OrganizationsRepo(trx);
      for (const input of inputs) {
        const { change } = await repo.upsert(input, now);
        counts[change] += 1;
      }
    });
    return counts;
  }

  /** Delete an organization and (by cascade) its assets, observations and findings. */
  /** Every stored alias judgement, by organization then alias. */
  async aliasJudgements(organizationId?: string): Promise<AliasJudgementRecord[]> {
    let query = this.db.selectFrom('organization_alias_judgements').selectAll();
    if (organizationId !== undefined) query = query.where('organization_id', '=', organizationId);
    const rows = await query.orderBy('organization_id').orderBy('alias').execute();
    return rows.map((r) => ({
      organizationId: r.organization_id,
      alias: r.alias,
      ambiguous: Number(r.ambiguous) === 1,
      reason: r.reason,
      detail: r.detail,
      occurrences: Number(r.occurrences),
      standalone: Number(r.standalone),
      judgedAt: r.judged_at,
    }));
  }

  /**
   * Replaces the judgements of the organizations in `records` (grouped by organization) in one
   * transaction; corpus counts of an alias judged again are kept.
   */
  async replaceAliasJudgements(records: readonly AliasJudgementRecord[]): Promise<void> {
    const byOrg = new Map<string, AliasJudgementRecord[]>();
    for (const r of records) byOrg.set(r.organizationId, [...(byOrg.get(r.organizationId) ?? []), r]);
    await inTransaction(this.db, async (trx) => {
      for (const [organizationId, list] of byOrg) {
        const old = await trx
          .selectFrom('organization_alias_judgements')
          .select(['alias', 'occurrences', 'standalone'])
          .where('organization_id', '=', organizationId)
          .execute();
        const counts = new Map(old.map((o) => [o.alias, o]));
        await trx.deleteFrom('organization_alias_judgements').where('organization_id', '=', organizationId).execute();
        if (list.length === 0) continue;
        await trx
          .insertInto('organization_alias_judgements')
          .values(
            list.map((r) => ({
              organization_id: organizationId,
              alias: r.alias,
              ambiguous: r.ambiguous ? 1 : 0,
              reason: r.reason,
              detail: r.detail,
              occurrences: Math.max(r.occurrences, Number(counts.get(r.alias)?.occurrences ?? 0)),
              standalone: Math.max(r.standalone, Number(counts.get(r.alias)?.standalone ?? 0)),
              judged_at: r.judgedAt,
            })),
          )
          .execute();
      }
    });
  }

  /** Removes every judgement of these organizations (their aliases are gone). */
  async clearAliasJudgements(organizationIds: readonly string[]): Promise<void> {
    if (organizationIds.length === 0) return;
    await this.db
      .deleteFrom('organization_alias_judgements')
      .where('organization_id', 'in', [...organizationIds])
      .execute();
  }

  /** Adds corpus counts to stored judgements (rows that do not exist are skipped). */
  async addAliasCounts(
    counts: readonly { organizationId: string; alias: string; occurrences: number; standalone: number }[],
  ): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      for (const c of counts) {
        await trx
          .updateTable('organization_alias_judgements')
          .set((eb) => ({
            occurrences: eb('occurrences', '+', c.occurrences),
            standalone: eb('standalone', '+', c.standalone),
          }))
          .where('organization_id', '=', c.organizationId)
          .where('alias', '=', c.alias)
          .execute();
      }
    });
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
