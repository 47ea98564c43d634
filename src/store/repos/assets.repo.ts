/**
 * Assets: hosts discovered for an organization, with where they were found. Re-discovery merges:
 * first_seen is kept, sources accumulate, addresses and open ports reflect the latest sight.
 */
import type { Kysely, Selectable } from 'kysely';
import { ASSET_TAGS, type Asset, type AssetTag, type DiscoverySource } from '../../core/asset.js';
import { inTransaction, isoTimestamp, newId, numberArrayFromJson, stringArrayFromJson, toJson } from '../codec.js';
import { StoreError } from '../errors.js';
import type { AssetsTable, StoreSchema } from '../schema.js';
import { canonicalName } from '../../core/names.js';

/** One discovered host. Omitting `addresses`, `openPorts`, `cpes` or `tags` keeps what is stored. */
export interface AssetInput {
  hostname: string;
  sources: DiscoverySource[];
  addresses?: string[];
  openPorts?: number[];
  /** CPE 2.3 names seen on the host now (the web probe's fingerprints); they replace the stored ones. */
  cpes?: string[];
  tags?: AssetTag[];
}

/** Totals of an asset upsert batch. */
export interface AssetUpsertCounts {
  created: number;
  updated: number;
}

/** Host names are case-insensitive (RFC 4343); a trailing root dot is not part of the identity. */
export function normalizeHost(host: string): string {
  return canonicalName(host.trim());
}

function toAsset(row: Selectable<AssetsTable>): Asset {
  return {
    id: row.id,
    organizationId: row.organization_id,
    hostname: row.hostname,
    addresses: stringArrayFromJson(row.addresses, 'assets.addresses'),
    openPorts: numberArrayFromJson(row.open_ports, 'assets.open_ports'),
    sources: stringArrayFromJson(row.sources, 'assets.sources'),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    cpes: stringArrayFromJson(row.cpes, 'assets.cpes'),
    tags: stringArrayFromJson(row.tags, 'assets.tags').map((t) => assetTag(t)),
  };
}

function assetTag(tag: string): AssetTag {
  if (!(ASSET_TAGS as readonly string[]).includes(tag))
    throw new StoreError('database-corrupt', `assets.tags: unknown tag ${JSON.stringify(tag)}`);
  return tag as AssetTag;
}

const CPE_23 = /^cpe:2\.3:[aho*-](?::(?:[^:\\]|\\.)*){10}$/;

function validCpes(cpes: readonly string[], host: string): string[] {
  for (const cpe of cpes)
    if (!CPE_23.test(cpe)) throw new StoreError('invalid-input', `asset ${host}: not a CPE 2.3 name: ${cpe}`);
  return [...new Set(cpes)].sort();
}

function validTags(tags: readonly string[], host: string): AssetTag[] {
  for (const tag of tags)
    if (!(ASSET_TAGS as readonly string[]).includes(tag))
      throw new StoreError('invalid-input', `asset ${host}: unknown tag ${JSON.stringify(tag)}`);
  return [...new Set(tags as AssetTag[])].sort();
}

function validPorts(ports: readonly number[], host: string): number[] {
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new StoreError('invalid-input', `asset ${host}: invalid port ${port}`);
    }
  }
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** Data access for assets. */
export class AssetsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Assets of one organization (or all), by hostname. */
  async list(organizationId?: string): Promise<Asset[]> {
    let query = this.db.selectFrom('assets').selectAll();
    if (organizationId !== undefined) query = query.where('organization_id', '=', organizationId);
    const rows = await query.orderBy('hostname').orderBy('organization_id').execute();
    return rows.map(toAsset);
  }

  /** Record a batch of sightings for one organization in one transaction. */
  async upsertMany(
    organizationId: string,
    assets: readonly AssetInput[],
    seenAt: string | Date = new Date(),
  ): Promise<AssetUpsertCounts> {
    const at = isoTimestamp(seenAt, 'seenAt');
    const counts: AssetUpsertCounts = { created: 0, updated: 0 };
    await inTransaction(this.db, async (trx) => {
      for (const asset of assets) {
        const hostname = normalizeHost(asset.hostname);
        if (hostname === '') throw new StoreError('invalid-input', 'asset hostname is empty');
        const openPorts = asset.openPorts === undefined ? undefined : validPorts(asset.openPorts, hostname);
        const cpes = asset.cpes === undefined ? undefined : validCpes(asset.cpes, hostname);
        const tags = asset.tags === undefined ? undefined : validTags(asset.tags, hostname);
        const existing = await trx
          .selectFrom('assets')
          .selectAll()
          .where('organization_id', '=', organizationId)
          .where('hostname', '=', hostname)
          .executeTakeFirst();
        if (existing === undefined) {
          await trx
            .insertInto('assets')
            .values({
              id: newId(),
              organization_id: organizationId,
              hostname,
              addresses: toJson([...new Set(asset.addresses ?? [])]),
              open_ports: toJson(openPorts ?? []),
              sources: toJson([...new Set(asset.sources)].sort()),
              first_seen: at,
              last_seen: at,
              cpes: toJson(cpes ?? []),
              tags: toJson(tags ?? []),
            })
            .execute();
          counts.created += 1;
          continue;
        }
        const stored = toAsset(existing);
        await trx
          .updateTable('assets')
          .set({
            addresses: toJson(asset.addresses === undefined ? stored.addresses : [...new Set(asset.addresses)]),
            open_ports: toJson(openPorts ?? stored.openPorts),
            sources: toJson([...new Set([...stored.sources, ...asset.sources])].sort()),
            // What runs on the host is its latest sight; a sight older than the stored one changes nothing.
            cpes: toJson(cpes !== undefined && at >= stored.lastSeen ? cpes : stored.cpes),
            tags: toJson(tags !== undefined && at >= stored.lastSeen ? tags : stored.tags),
            // Sightings can be recorded out of order (a slow scan finishing late): never go back in time.
            first_seen: at < stored.firstSeen ? at : stored.firstSeen,
            last_seen: at > stored.lastSeen ? at : stored.lastSeen,
          })
          .where('id', '=', existing.id)
          .execute();
        counts.updated += 1;
      }
    });
    return counts;
  }
}
