/**
 * Crawl and store: every crawled page becomes a dark-web document through the ingestion library
 * (dedup, extraction, organization matching, classification), streamed as the crawl goes.
 */
import type { Store } from '../../store/database.js';
import { ingestDocuments, type IngestOptions, type IngestSummary } from '../ingest/ingest.js';
import type { DarkwebDocumentInput } from '../types.js';
import { startCrawl, type CrawledPage, type CrawlOptions, type CrawlSummary } from './crawler.js';

/** What crawlIntoStore did. */
export interface CrawlIntoStoreResult {
  crawl: CrawlSummary;
  ingest: IngestSummary;
}

/** The ingestion record of a crawled page: source = the site's host (the onion address). */
export function pageToDocument(page: CrawledPage): DarkwebDocumentInput {
  const doc: DarkwebDocumentInput = { source: page.site, source_type: page.sourceType, url: page.url };
  if (page.title !== undefined) doc.title = page.title;
  if (page.author !== undefined) doc.author = page.author;
  if (page.postedAt !== undefined) doc.posted_at = page.postedAt;
  if (page.format === 'html') doc.html = page.body;
  else doc.text = page.body;
  return doc;
}

/** Crawls `seeds` and stores every page; `onPage` sees each page as it is handed to ingestion. */
export async function crawlIntoStore(
  store: Store,
  seeds: readonly string[],
  options: CrawlOptions & { ingest?: IngestOptions; onPage?: (page: CrawledPage) => void },
): Promise<CrawlIntoStoreResult> {
  const run = startCrawl(seeds, options);
  async function* documents(): AsyncGenerator<DarkwebDocumentInput> {
    for await (const page of run.pages) {
      options.onPage?.(page);
      yield pageToDocument(page);
    }
  }
  // Small batches: crawled pages trickle in, and a batch is what an interruption can lose.
  const ingest = await ingestDocuments(store, documents(), { batchSize: 20, ...options.ingest });
  const crawl = await run.summary;
  return { crawl, ingest };
}
