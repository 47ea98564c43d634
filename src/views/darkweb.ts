/**
 * The dark-web records the CLI prints and the REST API serves: mentions (MentionOutput), search hits
 * (SearchHitOutput), alerts (AlertOutput) and watchlists (WatchlistOutput). Snake case, as every JSON shape.
 */
import type { AlertView } from '../core/alerts.js';
import type { DarkwebSearchHit, MentionRecord } from '../core/darkweb.js';
import type { Store } from '../store/database.js';

/** One mention (issue #3 section 4), plus context fields. */
export function mentionToJson(m: MentionRecord): Record<string, unknown> {
  return {
    doc_id: m.documentId,
    org: m.organizationName,
    class: m.class,
    confidence: m.confidence,
    source_type: m.sourceType,
    snippet: m.snippet,
    posted_at: m.postedAt,
    source: m.source,
    url: m.url,
    title: m.title,
    via: m.via,
    matched: m.matched,
    reasons: m.reasons,
  };
}

/** One ranked search hit. */
export function searchHitToJson(hit: DarkwebSearchHit): Record<string, unknown> {
  return {
    doc_id: hit.docId,
    title: hit.title,
    source: hit.source,
    source_type: hit.sourceType,
    url: hit.url,
    posted_at: hit.postedAt,
    class: hit.class,
    score: hit.score,
    snippet: hit.snippet,
    orgs: hit.orgs,
  };
}

/** One alert with its delivery state; `organizations` maps ids to names. */
export function alertToJson(alert: AlertView, organizations: ReadonlyMap<string, string>) {
  return {
    alert_id: alert.id,
    watchlist: alert.watchlistName,
    kind: alert.watchlistKind,
    doc_id: alert.documentId,
    organization: alert.organizationId === null ? null : (organizations.get(alert.organizationId) ?? null),
    matched: alert.matched,
    snippet: alert.snippet,
    created_at: alert.createdAt,
    delivered_at: alert.deliveredAt,
    delivery:
      alert.delivery === null
        ? null
        : {
            status: alert.delivery.status,
            attempts: alert.delivery.attempts,
            next_attempt_at: alert.delivery.nextAttemptAt,
            last_error: alert.delivery.lastError,
          },
  };
}

/** Every watchlist with its alert count (`darkweb watch list`). */
export async function watchlistRows(store: Store) {
  const watchlists = await store.alerts.listWatchlists();
  const counts = await store.alerts.alertCounts();
  return watchlists.map((w) => ({
    name: w.name,
    kind: w.kind,
    pattern: w.pattern,
    flags: w.flags,
    webhook: w.webhookUrl,
    evaluated_through_seq: w.highWaterSeq,
    alerts: counts.get(w.id) ?? 0,
    created_at: w.createdAt,
  }));
}
