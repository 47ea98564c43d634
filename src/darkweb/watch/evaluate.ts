/**
 * Evaluates watchlists over the documents they have not seen yet. Each watchlist keeps a high-water
 * mark on `darkweb_documents.seq`; a batch's alerts, webhook outbox rows and the new mark commit in
 * one transaction, so an interrupted run resumes at the last committed batch, and the unique
 * (watchlist, document) constraint makes a repeated batch raise nothing twice.
 *
 * Seq order is commit order because the ingester assigns max(seq)+1 inside its batch transaction:
 * SQLite serializes writers, and on PostgreSQL a concurrent batch computing the same seq fails on the
 * unique index instead of committing a lower seq behind the mark.
 */
import { newId } from '../../store/codec.js';
import type { Store } from '../../store/database.js';
import type { AlertInsert, Watchlist, WatchDocument, WatchMention } from '../../core/alerts.js';
import { regexMatcher, snippetAround, termMatcher, watchedText } from './matchers.js';
import type { TextMatcher } from './matchers.js';

/** Options of `evaluateWatchlists`. */
export interface EvaluateOptions {
  /** Only these watchlists (by id); all by default. */
  watchlistIds?: readonly string[];
  /** Documents read per batch (and per transaction); default 200. */
  batchSize?: number;
  now?: () => Date;
  /** Called after each committed batch. */
  onProgress?: (progress: { watchlist: string; throughSeq: number; targetSeq: number }) => void;
}

/** What one watchlist's evaluation did. */
export interface WatchlistEvaluation {
  watchlist: string;
  kind: Watchlist['kind'];
  /** Documents evaluated in this run. */
  documents: number;
  /** New alerts. */
  created: number;
  /** The high-water mark afterwards. */
  throughSeq: number;
  /** Set when the watchlist could not be evaluated (its mark did not move). */
  error?: string;
}

/** The JSON body POSTed to a webhook (field names are the public contract). */
export interface AlertPayload {
  alert_id: string;
  watchlist: string;
  document: {
    doc_id: string;
    title: string | null;
    url: string | null;
    source_type: string;
    posted_at: string | null;
    snippet: string;
  };
  organization?: string;
  matched: string;
  created_at: string;
}

const DEFAULT_BATCH_SIZE = 200;
/** Times a batch is retried when its mark update fails although the mark did not move. */
const MAX_STALE_RETRIES = 5;

/** A document a watchlist matched: the same shape the store gives for an organization mention. */
type Hit = WatchMention;

/** Evaluate watchlists over documents after their high-water marks, up to the newest stored now. */
export async function evaluateWatchlists(store: Store, options: EvaluateOptions = {}): Promise<WatchlistEvaluation[]> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  const now = options.now ?? (() => new Date());
  const all = await store.alerts.listWatchlists();
  const chosen = options.watchlistIds === undefined ? all : all.filter((w) => options.watchlistIds?.includes(w.id));
  // Documents ingested while this run works wait for the next run: the loop below has an end.
  const targetSeq = await store.alerts.maxDocumentSeq();
  const results: WatchlistEvaluation[] = [];
  for (const watchlist of chosen) {
    results.push(await evaluateOne(store, watchlist, targetSeq, batchSize, now, options.onProgress));
  }
  return results;
}

async function evaluateOne(
  store: Store,
  watchlist: Watchlist,
  targetSeq: number,
  batchSize: number,
  now: () => Date,
  onProgress: EvaluateOptions['onProgress'],
): Promise<WatchlistEvaluation> {
  const result: WatchlistEvaluation = {
    watchlist: watchlist.name,
    kind: watchlist.kind,
    documents: 0,
    created: 0,
    throughSeq: watchlist.highWaterSeq,
  };
  let findHits: (afterSeq: number) => Promise<{ throughSeq: number; documents: number; hits: Hit[] } | undefined>;
  let organizationName: string | undefined;
  try {
    if (watchlist.kind === 'organization') {
      const organizationId = watchlist.organizationId;
      const organization = organizationId === null ? undefined : await store.organizations.getById(organizationId);
      if (organizationId === null || organization === undefined)
        throw new Error(`organization "${watchlist.pattern}" no longer exists`);
      organizationName = organization.name;
      findHits = (afterSeq) => organizationHits(store, organizationId, afterSeq, targetSeq, batchSize);
    } else {
      const matcher =
        watchlist.kind === 'term' ? termMatcher(watchlist.pattern) : regexMatcher(watchlist.pattern, watchlist.flags);
      findHits = (afterSeq) => textHits(store, matcher, afterSeq, targetSeq, batchSize);
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    return result;
  }

  let mark = watchlist.highWaterSeq;
  let staleRetries = 0;
  while (mark < targetSeq) {
    const batch = await findHits(mark);
    if (batch === undefined) break;
    const createdAt = now().toISOString();
    const alerts = batch.hits.map((hit) =>
      toAlertInsert(hit, watchlist.name, organizationName, watchlist.organizationId, createdAt),
    );
    const record = await store.alerts.recordEvaluation(watchlist.id, mark, batch.throughSeq, alerts);
    if (record.status === 'stale') {
      // Another `watch run` committed this range first: continue from its mark. The mark only grows,
      // so this ends; a mark that did not move (which should not happen) is retried a few times only.
      const fresh = await store.alerts.getWatchlistById(watchlist.id);
      if (fresh === undefined) {
        result.error = 'the watchlist was removed during the run';
        break;
      }
      if (fresh.highWaterSeq <= mark) {
        staleRetries += 1;
        if (staleRetries > MAX_STALE_RETRIES) {
          result.error = `could not move the high-water mark past #${mark}`;
          break;
        }
      }
      mark = Math.max(mark, fresh.highWaterSeq);
      continue;
    }
    result.documents += batch.documents;
    result.created += record.created;
    mark = batch.throughSeq;
    onProgress?.({ watchlist: watchlist.name, throughSeq: mark, targetSeq });
  }
  result.throughSeq = mark;
  return result;
}

async function textHits(
  store: Store,
  matcher: TextMatcher,
  afterSeq: number,
  targetSeq: number,
  batchSize: number,
): Promise<{ throughSeq: number; documents: number; hits: Hit[] } | undefined> {
  const documents = (await store.alerts.documentsAfter(afterSeq, batchSize)).filter((d) => d.seq <= targetSeq);
  const last = documents.at(-1);
  if (last === undefined) return undefined;
  const hits: Hit[] = [];
  for (const document of documents) {
    const hit = matchDocument(matcher, document);
    if (hit !== undefined) hits.push(hit);
  }
  return { throughSeq: last.seq, documents: documents.length, hits };
}

function matchDocument(matcher: TextMatcher, document: WatchDocument): Hit | undefined {
  const text = watchedText(document.title, document.text);
  const found = matcher(text);
  if (found === null) return undefined;
  return {
    seq: document.seq,
    documentId: document.id,
    title: document.title,
    url: document.url,
    sourceType: document.sourceType,
    postedAt: document.postedAt,
    matched: found.matched,
    snippet: snippetAround(text, found.start, found.end),
  };
}

async function organizationHits(
  store: Store,
  organizationId: string,
  afterSeq: number,
  targetSeq: number,
  batchSize: number,
): Promise<{ throughSeq: number; documents: number; hits: Hit[] } | undefined> {
  const range = await store.alerts.nextBatchRange(afterSeq, batchSize, targetSeq);
  if (range === undefined) return undefined;
  const mentions = await store.alerts.mentionsBetween(organizationId, afterSeq, range.throughSeq);
  return { ...range, hits: mentions };
}

function toAlertInsert(
  hit: Hit,
  watchlistName: string,
  organizationName: string | undefined,
  organizationId: string | null,
  createdAt: string,
): AlertInsert {
  const id = newId();
  const payload: AlertPayload = {
    alert_id: id,
    watchlist: watchlistName,
    document: {
      doc_id: hit.documentId,
      title: hit.title,
      url: hit.url,
      source_type: hit.sourceType,
      posted_at: hit.postedAt,
      snippet: hit.snippet,
    },
    ...(organizationName === undefined ? {} : { organization: organizationName }),
    matched: hit.matched,
    created_at: createdAt,
  };
  return {
    id,
    documentId: hit.documentId,
    documentSeq: hit.seq,
    organizationId,
    matched: hit.matched,
    snippet: hit.snippet,
    createdAt,
    body: JSON.stringify(payload),
  };
}
