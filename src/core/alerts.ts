/**
 * Watchlists and the alerts they raise (issue #3 section 6): what a watchlist is, what it reads, and an
 * alert with its delivery state. The store (src/store/repos/alerts.repo.ts) keeps them; src/darkweb/watch
 * evaluates and delivers them.
 */

/** What a watchlist watches. */
export const WATCHLIST_KINDS = ['organization', 'term', 'regex'] as const;

/** One of WATCHLIST_KINDS. */
export type WatchlistKind = (typeof WATCHLIST_KINDS)[number];

/** Outbox states: `pending` (to send or retry), `delivered` (a 2xx came back), `failed` (attempts exhausted). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One of DELIVERY_STATUSES. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A watchlist to create. Patterns are validated by the caller (src/darkweb/watch). */
export interface WatchlistInput {
  name: string;
  kind: WatchlistKind;
  pattern: string;
  flags?: string;
  /** Required for `organization` watchlists. */
  organizationId?: string;
  webhookUrl?: string;
  /** Required with `webhookUrl`. */
  secret?: string;
  /** Evaluate only documents after this seq (0, the default, means every stored document). */
  startAfterSeq?: number;
  now?: string | Date;
}

/** A stored watchlist (the secret never leaves the repo except to sign a delivery). */
export interface Watchlist {
  id: string;
  name: string;
  kind: WatchlistKind;
  pattern: string;
  flags: string;
  organizationId: string | null;
  webhookUrl: string | null;
  hasSecret: boolean;
  highWaterSeq: number;
  createdAt: string;
}

/** A document as watchlists read it. */
export interface WatchDocument {
  seq: number;
  id: string;
  title: string | null;
  url: string | null;
  sourceType: string;
  postedAt: string | null;
  text: string;
}

/** An organization mention joined to its document. */
export interface WatchMention {
  seq: number;
  documentId: string;
  title: string | null;
  url: string | null;
  sourceType: string;
  postedAt: string | null;
  matched: string;
  snippet: string;
}

/** An alert to insert, with the webhook body already built (it must be byte-identical on every retry). */
export interface AlertInsert {
  id: string;
  documentId: string;
  documentSeq: number;
  organizationId: string | null;
  matched: string;
  snippet: string;
  createdAt: string;
  body: string;
}

/** A stored alert with its watchlist and delivery state. */
export interface AlertView {
  id: string;
  watchlistId: string;
  watchlistName: string;
  watchlistKind: WatchlistKind;
  documentId: string;
  documentSeq: number;
  organizationId: string | null;
  matched: string;
  snippet: string;
  createdAt: string;
  deliveredAt: string | null;
  /** Null when the watchlist has no webhook. */
  delivery: {
    status: DeliveryStatus;
    attempts: number;
    nextAttemptAt: string;
    lastError: string | null;
    url: string;
  } | null;
}
