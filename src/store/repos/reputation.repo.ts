/**
 * Threat feeds and the networks organizations declare (issue #8 section 3). A feed is replaced whole on
 * re-import, in one transaction: networks no longer listed go, new ones come, and a network listed
 * before keeps its first-listed date (the earlier of the stored one and the file's).
 */
import type { Kysely } from 'kysely';
import type { FeedCategory, FeedEntry, FeedListing, FeedSummary } from '../../core/reputation.js';
import { isFeedCategory } from '../../core/reputation.js';
import { chunks, inTransaction, isoTimestamp } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';

/** A feed to store: name, format and category, and its entries (one per network). */
export interface FeedToStore {
  name: string;
  format: string;
  category: FeedCategory;
  entries: readonly FeedEntry[];
}

/** What a re-import changed. */
export interface FeedReplaceCounts {
  added: number;
  removed: number;
  kept: number;
}

function category(value: string, feed: string): FeedCategory {
  if (!isFeedCategory(value)) throw new StoreError('database-corrupt', `feed ${feed} has unknown category ${value}`);
  return value;
}

/** Data access for threat feeds and declared networks. */
export class ReputationRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Replaces feed `feed.name` with `feed.entries`; first-listed dates of networks listed before are kept. */
  async replaceFeed(feed: FeedToStore, now: string | Date = new Date()): Promise<FeedReplaceCounts> {
    const at = isoTimestamp(now);
    return inTransaction(this.db, async (trx) => {
      const previous = new Map(
        (
          await trx
            .selectFrom('reputation_entries')
            .select(['network', 'first_listed'])
            .where('feed', '=', feed.name)
            .execute()
        ).map((r) => [r.network, r.first_listed]),
      );
      await trx.deleteFrom('reputation_entries').where('feed', '=', feed.name).execute();
      await trx.deleteFrom('reputation_feeds').where('name', '=', feed.name).execute();
      await trx
        .insertInto('reputation_feeds')
        .values({
          name: feed.name,
          format: feed.format,
          category: feed.category,
          entry_count: feed.entries.length,
          imported_at: at,
        })
        .execute();
      let kept = 0;
      const rows = feed.entries.map((entry) => {
        const before = previous.get(entry.network);
        if (before !== undefined) kept++;
        return {
          feed: feed.name,
          network: entry.network,
          category: entry.category,
          first_listed: before !== undefined && before < entry.firstListed ? before : entry.firstListed,
          last_listed: entry.lastListed,
        };
      });
      for (const batch of chunks(rows, 400)) await trx.insertInto('reputation_entries').values(batch).execute();
      return { added: rows.length - kept, removed: previous.size - kept, kept };
    });
  }

  /** Removes a feed and its entries; false when there was none of that name. */
  async removeFeed(name: string): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      await trx.deleteFrom('reputation_entries').where('feed', '=', name).execute();
      const result = await trx.deleteFrom('reputation_feeds').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Every feed, by name. */
  async listFeeds(): Promise<FeedSummary[]> {
    const rows = await this.db.selectFrom('reputation_feeds').selectAll().orderBy('name').execute();
    return rows.map((r) => ({
      name: r.name,
      format: r.format,
      entries: Number(r.entry_count),
      importedAt: r.imported_at,
    }));
  }

  /** Every entry of every feed (what a scan's index is built from), in feed and network order. */
  async allEntries(): Promise<FeedListing[]> {
    const rows = await this.db
      .selectFrom('reputation_entries')
      .selectAll()
      .orderBy('feed')
      .orderBy('network')
      .execute();
    return rows.map((r) => ({
      feed: r.feed,
      network: r.network,
      category: category(r.category, r.feed),
      firstListed: r.first_listed,
      lastListed: r.last_listed,
    }));
  }

  /** The networks `organizationId` declares, sorted. */
  async networksOf(organizationId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('organization_networks')
      .select('network')
      .where('organization_id', '=', organizationId)
      .orderBy('network')
      .execute();
    return rows.map((r) => r.network);
  }

  /** Every organization's declared networks, by organization id. */
  async allNetworks(): Promise<Map<string, string[]>> {
    const rows = await this.db
      .selectFrom('organization_networks')
      .select(['organization_id', 'network'])
      .orderBy('organization_id')
      .orderBy('network')
      .execute();
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.organization_id, [...(out.get(r.organization_id) ?? []), r.network]);
    return out;
  }

  /** Makes `networks` (canonical CIDR text) the declared networks of `organizationId`; true if anything changed. */
  async setNetworks(
    organizationId: string,
    networks: readonly string[],
    now: string | Date = new Date(),
  ): Promise<boolean> {
    const wanted = new Set(networks);
    const at = isoTimestamp(now);
    return inTransaction(this.db, async (trx) => {
      const current = new Set(await new ReputationRepo(trx).networksOf(organizationId));
      const removed = [...current].filter((n) => !wanted.has(n));
      const added = [...wanted].filter((n) => !current.has(n));
      if (removed.length > 0)
        await trx
          .deleteFrom('organization_networks')
          .where('organization_id', '=', organizationId)
          .where('network', 'in', removed)
          .execute();
      for (const batch of chunks(added, 400))
        await trx
          .insertInto('organization_networks')
          .values(batch.map((network) => ({ organization_id: organizationId, network, created_at: at })))
          .execute();
      return removed.length + added.length > 0;
    });
  }
}
