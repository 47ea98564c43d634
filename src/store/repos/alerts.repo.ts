/**
 * Watchlists, the alerts they raise, and the webhook outbox (issue #3 section 6).
 *
 * Guarantees kept by the database rather than by the caller:
 * - one alert per (watchlist, document): a unique constraint, inserts that conflict do nothing;
 * - an alert, its outbox row and the watchlist's high-water mark commit together, so an interrupted
 *   `watch run` neither loses a match nor raises it twice;
 * - a delivery is marked delivered (outbox and alert, one transaction) only after a 2xx;
 * - a delivery is leased before it is sent, so two deliverers never POST the same alert at once.
 */
import type { Kysely, Selectable } from 'kysely';
import { DELIVERY_STATUSES, WATCHLIST_KINDS } from '../../core/alerts.js';
import type {
  AlertInsert,
  AlertView,
  DeliveryStatus,
  WatchDocument,
  Watchlist,
  WatchlistInput,
  WatchlistKind,
  WatchMention,
} from '../../core/alerts.js';
import { inTransaction, isoTimestamp, newId } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';
import type { AlertOutboxTable, WatchlistsTable } from '../schema-alerts.js';

/** Filters for `listAlerts`, combined with AND. */
export interface AlertFilter {
  watchlistId?: string;
  /** `not_sent`: alerts of watchlists without a webhook. */
  delivery?: DeliveryStatus | 'not_sent';
  /** Alerts created at or after this time. */
  since?: string | Date;
  limit?: number;
}

/** A delivery leased to one deliverer. */
export interface ClaimedDelivery {
  alertId: string;
  url: string;
  body: string;
  secret: string | null;
  attempts: number;
}

/** A failed attempt to record. */
export interface DeliveryFailure {
  attempts: number;
  error: string;
  /** When the next attempt may go. */
  nextAttemptAt: Date;
  /** Keep the lease until then (an in-process retry), or release it (null). */
  leaseUntil: Date | null;
  /** Attempts exhausted: the delivery becomes `failed`. */
  final: boolean;
  now?: Date;
}

/** Outbox rows by status; `due` counts pending rows whose next attempt time has come. */
export interface DeliveryCounts {
  pending: number;
  due: number;
  delivered: number;
  failed: number;
  /**
   * Pending rows leased to a deliverer (a run in progress, or one that was killed): no other run
   * takes them before `leasedUntil`, the latest lease end.
   */
  leased: number;
  leasedUntil: string | null;
  /** The earliest next attempt time of a pending row (null when nothing is pending). */
  nextAttemptAt: string | null;
}

/** Result of `recordEvaluation`. */
export type EvaluationRecord = { status: 'recorded'; created: number } | { status: 'stale' };

function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function toWatchlist(row: Selectable<WatchlistsTable>): Watchlist {
  if (!(WATCHLIST_KINDS as readonly string[]).includes(row.kind)) {
    throw new StoreError('database-corrupt', `watchlist ${row.id}: unknown kind ${row.kind}`);
  }
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as WatchlistKind,
    pattern: row.pattern,
    flags: row.flags,
    organizationId: row.organization_id,
    webhookUrl: row.webhook_url,
    hasSecret: row.secret !== null && row.secret !== '',
    // bigint columns come back from PostgreSQL as strings.
    highWaterSeq: Number(row.high_water_seq),
    createdAt: row.created_at,
  };
}

function deliveryStatus(value: string, alertId: string): DeliveryStatus {
  if (!(DELIVERY_STATUSES as readonly string[]).includes(value)) {
    throw new StoreError('database-corrupt', `outbox row of alert ${alertId}: unknown status ${value}`);
  }
  return value as DeliveryStatus;
}

/** Data access for watchlists, alerts and webhook deliveries. */
export class AlertsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Create a watchlist; throws `invalid-input` if the name is taken or a required field is missing. */
  async createWatchlist(input: WatchlistInput): Promise<Watchlist> {
    const name = input.name.trim().replace(/\s+/g, ' ');
    if (name === '') throw new StoreError('invalid-input', 'watchlist name is empty');
    if (!(WATCHLIST_KINDS as readonly string[]).includes(input.kind)) {
      throw new StoreError('invalid-input', `unknown watchlist kind ${String(input.kind)}`);
    }
    if (input.kind === 'organization' && input.organizationId === undefined) {
      throw new StoreError('invalid-input', 'an organization watchlist needs an organization');
    }
    if (input.webhookUrl !== undefined && (input.secret === undefined || input.secret === '')) {
      throw new StoreError('invalid-input', 'a watchlist with a webhook needs a signing secret');
    }
    const startAfterSeq = input.startAfterSeq ?? 0;
    if (!Number.isSafeInteger(startAfterSeq) || startAfterSeq < 0) {
      throw new StoreError('invalid-input', `invalid start seq ${String(input.startAfterSeq)}`);
    }
    const row: Selectable<WatchlistsTable> = {
      id: newId(),
      name,
      name_key: nameKey(name),
      kind: input.kind,
      pattern: input.pattern,
      flags: input.flags ?? '',
      organization_id: input.organizationId ?? null,
      webhook_url: input.webhookUrl ?? null,
      secret: input.secret ?? null,
      high_water_seq: startAfterSeq,
      created_at: isoTimestamp(input.now ?? new Date(), 'now'),
    };
    return inTransaction(this.db, async (trx) => {
      const taken = await trx
        .selectFrom('watchlists')
        .select('id')
        .where('name_key', '=', row.name_key)
        .executeTakeFirst();
      if (taken !== undefined) throw new StoreError('invalid-input', `a watchlist named "${name}" already exists`);
      await trx.insertInto('watchlists').values(row).execute();
      return toWatchlist(row);
    });
  }

  /** Every watchlist, oldest first. */
  async listWatchlists(): Promise<Watchlist[]> {
    const rows = await this.db.selectFrom('watchlists').selectAll().orderBy('created_at').orderBy('name_key').execute();
    return rows.map(toWatchlist);
  }

  /** The watchlist with this name (case-insensitive), if any. */
  async getWatchlist(name: string): Promise<Watchlist | undefined> {
    const row = await this.db
      .selectFrom('watchlists')
      .selectAll()
      .where('name_key', '=', nameKey(name))
      .executeTakeFirst();
    return row === undefined ? undefined : toWatchlist(row);
  }

  /** The watchlist with this id, if any. */
  async getWatchlistById(id: string): Promise<Watchlist | undefined> {
    const row = await this.db.selectFrom('watchlists').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toWatchlist(row);
  }

  /** Delete a watchlist with its alerts and pending deliveries; false if there was none. */
  async removeWatchlist(id: string): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      // Children first, explicitly: no reliance on the foreign-key cascade being enabled.
      const alertIds = trx.selectFrom('alerts').select('id').where('watchlist_id', '=', id);
      await trx.deleteFrom('alert_outbox').where('alert_id', 'in', alertIds).execute();
      await trx.deleteFrom('alerts').where('watchlist_id', '=', id).execute();
      const result = await trx.deleteFrom('watchlists').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Highest document seq stored (0 when there is none). */
  async maxDocumentSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('darkweb_documents')
      .select((eb) => eb.fn.max('seq').as('max_seq'))
      .executeTakeFirst();
    return row?.max_seq === null || row?.max_seq === undefined ? 0 : Number(row.max_seq);
  }

  /** Up to `limit` documents with seq > `afterSeq`, in seq order. */
  async documentsAfter(afterSeq: number, limit: number): Promise<WatchDocument[]> {
    const rows = await this.db
      .selectFrom('darkweb_documents')
      .select(['seq', 'id', 'title', 'url', 'source_type', 'posted_at', 'text'])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      id: r.id,
      title: r.title,
      url: r.url,
      sourceType: r.source_type,
      postedAt: r.posted_at,
      text: r.text,
    }));
  }

  /**
   * The next batch of at most `limit` documents with afterSeq < seq <= `upToSeq`: how many, and the
   * seq of the last one; undefined when there is none.
   */
  async nextBatchRange(
    afterSeq: number,
    limit: number,
    upToSeq: number,
  ): Promise<{ throughSeq: number; documents: number } | undefined> {
    const rows = await this.db
      .selectFrom('darkweb_documents')
      .select('seq')
      .where('seq', '>', afterSeq)
      .where('seq', '<=', upToSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    const last = rows.at(-1);
    return last === undefined ? undefined : { throughSeq: Number(last.seq), documents: rows.length };
  }

  /** Mentions of `organizationId` in documents with afterSeq < seq <= throughSeq, in seq order. */
  async mentionsBetween(organizationId: string, afterSeq: number, throughSeq: number): Promise<WatchMention[]> {
    const rows = await this.db
      .selectFrom('darkweb_mentions as m')
      .innerJoin('darkweb_documents as d', 'd.id', 'm.document_id')
      .select(['d.seq', 'd.id', 'd.title', 'd.url', 'd.source_type', 'd.posted_at', 'm.matched', 'm.snippet'])
      .where('m.organization_id', '=', organizationId)
      .where('d.seq', '>', afterSeq)
      .where('d.seq', '<=', throughSeq)
      .orderBy('d.seq')
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      documentId: r.id,
      title: r.title,
      url: r.url,
      sourceType: r.source_type,
      postedAt: r.posted_at,
      matched: r.matched,
      snippet: r.snippet,
    }));
  }

  /**
   * In one transaction: move the watchlist's high-water mark from `fromSeq` to `toSeq`, insert the
   * alerts (one per document at most, ever), and queue a delivery for each new alert when the
   * watchlist has a webhook. `stale` when another run moved the mark first: nothing is written.
   */
  async recordEvaluation(
    watchlistId: string,
    fromSeq: number,
    toSeq: number,
    alerts: readonly AlertInsert[],
  ): Promise<EvaluationRecord> {
    return inTransaction(this.db, async (trx) => {
      const moved = await trx
        .updateTable('watchlists')
        .set({ high_water_seq: toSeq })
        .where('id', '=', watchlistId)
        .where('high_water_seq', '=', fromSeq)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return { status: 'stale' } as const;
      const watchlist = await trx
        .selectFrom('watchlists')
        .select('webhook_url')
        .where('id', '=', watchlistId)
        .executeTakeFirstOrThrow();
      let created = 0;
      for (const alert of alerts) {
        const inserted = await trx
          .insertInto('alerts')
          .values({
            id: alert.id,
            watchlist_id: watchlistId,
            document_id: alert.documentId,
            document_seq: alert.documentSeq,
            organization_id: alert.organizationId,
            matched: alert.matched,
            snippet: alert.snippet,
            created_at: alert.createdAt,
            delivered_at: null,
          })
          .onConflict((oc) => oc.columns(['watchlist_id', 'document_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted === undefined) continue;
        created += 1;
        if (watchlist.webhook_url !== null) {
          await trx
            .insertInto('alert_outbox')
            .values({
              alert_id: alert.id,
              url: watchlist.webhook_url,
              body: alert.body,
              status: 'pending',
              attempts: 0,
              next_attempt_at: alert.createdAt,
              lease_owner: null,
              lease_until: null,
              last_error: null,
              delivered_at: null,
              created_at: alert.createdAt,
              updated_at: alert.createdAt,
            })
            .execute();
        }
      }
      return { status: 'recorded', created } as const;
    });
  }

  /** Alerts, newest first, with their watchlist and delivery state. */
  async listAlerts(filter: AlertFilter = {}): Promise<AlertView[]> {
    let query = this.db
      .selectFrom('alerts as a')
      .innerJoin('watchlists as w', 'w.id', 'a.watchlist_id')
      .leftJoin('alert_outbox as o', 'o.alert_id', 'a.id')
      .select([
        'a.id',
        'a.watchlist_id',
        'w.name as watchlist_name',
        'w.kind as watchlist_kind',
        'a.document_id',
        'a.document_seq',
        'a.organization_id',
        'a.matched',
        'a.snippet',
        'a.created_at',
        'a.delivered_at',
        'o.status',
        'o.attempts',
        'o.next_attempt_at',
        'o.last_error',
        'o.url',
      ]);
    if (filter.watchlistId !== undefined) query = query.where('a.watchlist_id', '=', filter.watchlistId);
    if (filter.delivery === 'not_sent') query = query.where('o.alert_id', 'is', null);
    else if (filter.delivery !== undefined) query = query.where('o.status', '=', filter.delivery);
    if (filter.since !== undefined) query = query.where('a.created_at', '>=', isoTimestamp(filter.since, 'since'));
    query = query.orderBy('a.created_at', 'desc').orderBy('a.document_seq', 'desc');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      watchlistId: r.watchlist_id,
      watchlistName: r.watchlist_name,
      watchlistKind: r.watchlist_kind as WatchlistKind,
      documentId: r.document_id,
      documentSeq: Number(r.document_seq),
      organizationId: r.organization_id,
      matched: r.matched,
      snippet: r.snippet,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      delivery:
        r.status === null || r.url === null
          ? null
          : {
              status: deliveryStatus(r.status, r.id),
              attempts: Number(r.attempts),
              nextAttemptAt: r.next_attempt_at ?? '',
              lastError: r.last_error,
              url: r.url,
            },
    }));
  }

  /** Number of alerts per watchlist id. */
  async alertCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['watchlist_id', (eb) => eb.fn.countAll<string | number>().as('n')])
      .groupBy('watchlist_id')
      .execute();
    return new Map(rows.map((r) => [r.watchlist_id, Number(r.n)]));
  }

  /**
   * Lease the oldest due pending delivery to `owner` until now + `leaseMs`. The conditional update is
   * the lock: of two deliverers selecting the same row, only one updates it.
   */
  async claimNextDelivery(
    owner: string,
    now: Date,
    leaseMs: number,
    url?: string,
  ): Promise<ClaimedDelivery | undefined> {
    const nowIso = now.toISOString();
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    // Bounded: each lost race means another deliverer leased a row, which then leaves the candidates.
    for (let tries = 0; tries < 16; tries += 1) {
      let candidates = this.db
        .selectFrom('alert_outbox')
        .select('alert_id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', nowIso)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]));
      if (url !== undefined) candidates = candidates.where('url', '=', url);
      const candidate = await candidates.orderBy('created_at').orderBy('alert_id').limit(1).executeTakeFirst();
      if (candidate === undefined) return undefined;
      const leased = await this.db
        .updateTable('alert_outbox')
        .set({ lease_owner: owner, lease_until: leaseUntil, updated_at: nowIso })
        .where('alert_id', '=', candidate.alert_id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
        .executeTakeFirst();
      if (Number(leased.numUpdatedRows) !== 1) continue;
      const row = await this.db
        .selectFrom('alert_outbox as o')
        .innerJoin('alerts as a', 'a.id', 'o.alert_id')
        .innerJoin('watchlists as w', 'w.id', 'a.watchlist_id')
        .select(['o.alert_id', 'o.url', 'o.body', 'o.attempts', 'w.secret'])
        .where('o.alert_id', '=', candidate.alert_id)
        .executeTakeFirst();
      if (row === undefined) continue; // the watchlist was removed meanwhile
      return {
        alertId: row.alert_id,
        url: row.url,
        body: row.body,
        secret: row.secret,
        attempts: Number(row.attempts),
      };
    }
    return undefined;
  }

  /** Webhook URLs with a delivery due now and not leased (an expired lease counts as none). */
  async dueReceivers(now: Date): Promise<string[]> {
    const nowIso = now.toISOString();
    const rows = await this.db
      .selectFrom('alert_outbox')
      .select('url')
      .distinct()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .orderBy('url')
      .execute();
    return rows.map((r) => r.url);
  }

  /** Pending deliveries to `url`. */
  async pendingDeliveries(url: string): Promise<number> {
    const row = await this.db
      .selectFrom('alert_outbox')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('status', '=', 'pending')
      .where('url', '=', url)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Renew `owner`'s lease on a delivery; false if the lease was lost (expired and taken). */
  async renewLease(alertId: string, owner: string, until: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('alert_outbox')
      .set({ lease_until: until.toISOString() })
      .where('alert_id', '=', alertId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * A 2xx came back: mark the outbox row and the alert delivered, together. Unconditional on the
   * lease: the receiver has the alert whoever held it.
   */
  async markDelivered(alertId: string, at: Date = new Date()): Promise<void> {
    const iso = at.toISOString();
    await inTransaction(this.db, async (trx) => {
      await trx
        .updateTable('alert_outbox')
        .set({
          status: 'delivered',
          delivered_at: iso,
          lease_owner: null,
          lease_until: null,
          last_error: null,
          updated_at: iso,
        })
        .where('alert_id', '=', alertId)
        .execute();
      await trx
        .updateTable('alerts')
        .set({ delivered_at: iso })
        .where('id', '=', alertId)
        .where('delivered_at', 'is', null)
        .execute();
    });
  }

  /** Record a failed attempt (only while `owner` holds the lease and the row is still pending). */
  async recordDeliveryFailure(alertId: string, owner: string, failure: DeliveryFailure): Promise<void> {
    const now = (failure.now ?? new Date()).toISOString();
    const changes: Partial<Selectable<AlertOutboxTable>> = {
      status: failure.final ? 'failed' : 'pending',
      attempts: failure.attempts,
      last_error: failure.error.slice(0, 500),
      next_attempt_at: failure.nextAttemptAt.toISOString(),
      lease_owner: failure.leaseUntil === null ? null : owner,
      lease_until: failure.leaseUntil === null ? null : failure.leaseUntil.toISOString(),
      updated_at: now,
    };
    await this.db
      .updateTable('alert_outbox')
      .set(changes)
      .where('alert_id', '=', alertId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Give a delivery back without counting an attempt (the deliverer is stopping). */
  async releaseDelivery(alertId: string, owner: string, note?: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db
      .updateTable('alert_outbox')
      .set({
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        ...(note === undefined ? {} : { last_error: note }),
      })
      .where('alert_id', '=', alertId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Put failed deliveries (of one watchlist, or all) back to pending with a fresh attempt budget. */
  async retryFailedDeliveries(watchlistId?: string, now: Date = new Date()): Promise<number> {
    const iso = now.toISOString();
    let query = this.db
      .updateTable('alert_outbox')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: iso,
        lease_owner: null,
        lease_until: null,
        updated_at: iso,
      })
      .where('status', '=', 'failed');
    if (watchlistId !== undefined) {
      query = query.where(
        'alert_id',
        'in',
        this.db.selectFrom('alerts').select('id').where('watchlist_id', '=', watchlistId),
      );
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Outbox rows by status. */
  async deliveryCounts(now: Date = new Date()): Promise<DeliveryCounts> {
    const rows = await this.db
      .selectFrom('alert_outbox')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .groupBy('status')
      .execute();
    const due = await this.db
      .selectFrom('alert_outbox')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .executeTakeFirst();
    const nowIso = now.toISOString();
    const leased = await this.db
      .selectFrom('alert_outbox')
      .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.max('lease_until').as('until')])
      .where('status', '=', 'pending')
      .where('lease_until', '>=', nowIso)
      .executeTakeFirst();
    const next = await this.db
      .selectFrom('alert_outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const counts: DeliveryCounts = {
      pending: 0,
      due: Number(due?.n ?? 0),
      delivered: 0,
      failed: 0,
      leased: Number(leased?.n ?? 0),
      leasedUntil: leased?.until ?? null,
      nextAttemptAt: next?.at ?? null,
    };
    for (const row of rows) {
      const status = deliveryStatus(row.status, '*');
      counts[status] = Number(row.n);
    }
    return counts;
  }
}
