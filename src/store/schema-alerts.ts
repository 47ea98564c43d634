/**
 * Watchlist and alert tables (issue #3 section 6), created by migrations/0004-alerts.ts. Same
 * conventions as schema.ts: text ids, ISO-8601 UTC text timestamps, integers for counters.
 */

/** `watchlists`: what to watch for and where to send alerts. */
export interface WatchlistsTable {
  id: string;
  /** Unique, as the user typed it; `name_key` (lower-cased) is the uniqueness key. */
  name: string;
  name_key: string;
  /** `organization`, `term` or `regex` (see WATCHLIST_KINDS in repos/alerts.repo.ts). */
  kind: string;
  /** The organization's name, the term, or the regular expression's source. */
  pattern: string;
  /** Regular-expression flags (`i` or empty); empty for the other kinds. */
  flags: string;
  /** Set for `organization` watchlists; the watchlist goes when the organization goes. */
  organization_id: string | null;
  webhook_url: string | null;
  /** HMAC-SHA256 key for the webhook signature. Kept in clear: signing needs it. */
  secret: string | null;
  /** Highest `darkweb_documents.seq` already evaluated: the next run starts after it. */
  high_water_seq: number;
  created_at: string;
}

/** `alerts`: one row per (watchlist, document) that matched, never two. */
export interface AlertsTable {
  id: string;
  watchlist_id: string;
  document_id: string;
  document_seq: number;
  organization_id: string | null;
  matched: string;
  snippet: string;
  created_at: string;
  /** Set, in the same transaction as the outbox row, once the webhook answered 2xx. */
  delivered_at: string | null;
}

/** `alert_outbox`: the webhook deliveries still owed, and how each went. */
export interface AlertOutboxTable {
  alert_id: string;
  url: string;
  /** The exact JSON body, fixed when the alert was created, so every retry sends (and signs) the same bytes. */
  body: string;
  /** `pending`, `delivered` or `failed` (attempts exhausted). */
  status: string;
  attempts: number;
  next_attempt_at: string;
  /** Which deliverer holds the row and until when: two `watch run`s never POST the same alert at once. */
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The alert tables as Kysely sees them. */
export interface AlertsSchema {
  watchlists: WatchlistsTable;
  alerts: AlertsTable;
  alert_outbox: AlertOutboxTable;
}
