/**
 * The dark-web crawler: breadth-first from seed URLs, through a SOCKS5 proxy that resolves host names
 * (Tor's model), one request at a time per site with a delay between requests, depth and page limits,
 * links followed only within the seed's site, retries with exponential backoff on network errors and
 * 5xx/429 (honouring Retry-After, RFC 9110 section 10.2.3), redirects followed within scope.
 *
 * robots.txt is deliberately not fetched: it is a clear-web convention for search engines (RFC 9309),
 * hidden services rarely publish one, and a threat-intelligence crawl of criminal sites is not the
 * indexing it governs. Politeness is kept by the per-site pacing instead.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceType } from '../types.js';
import { FetchError, httpGetViaSocks, type HttpReply } from './http-over-socks.js';
import { readCrawledPage } from './html.js';
import { PageChannel } from './page-channel.js';
import type { Socks5Proxy } from './socks5-client.js';
import { addScores, newSiteTally, pickSourceType, scorePage, type SourceTypeScores } from './source-type.js';

/** Crawl settings; see DEFAULT_CRAWL_OPTIONS for the defaults. */
export interface CrawlOptions {
  proxy: Socks5Proxy;
  /** Link depth from a seed (seed = 0). */
  depth?: number;
  /** Pages stored at most, over the whole crawl. */
  maxPages?: number;
  /** Milliseconds between the end of one request to a site and the start of the next. */
  delayMs?: number;
  /** Deadline of one request (proxy handshake included). */
  timeoutMs?: number;
  /** Retries of one request after a network error, 5xx or 429. */
  retries?: number;
  /** First backoff; doubled at each retry. */
  backoffMs?: number;
  /** Largest backoff, and largest Retry-After honoured (a longer one fails the page). */
  maxBackoffMs?: number;
  /** Response size cap in bytes. */
  maxBytes?: number;
  /** Redirects followed per link. */
  maxRedirects?: number;
  /** Sites crawled at the same time (each still one request at a time). */
  siteConcurrency?: number;
  /** Overrides the inferred source type of every page. */
  sourceType?: SourceType;
  userAgent?: string;
  signal?: AbortSignal;
  /** Progress and problems, as they happen. */
  onEvent?: (event: CrawlEvent) => void;
}

/** Defaults of CrawlOptions. */
export const DEFAULT_CRAWL_OPTIONS = {
  depth: 2,
  maxPages: 200,
  delayMs: 1000,
  timeoutMs: 60_000,
  retries: 3,
  backoffMs: 1000,
  maxBackoffMs: 60_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  siteConcurrency: 8,
  // The Tor Browser's user agent, so the crawler does not stand out among Tor clients.
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0',
} as const;

/** One stored page. */
export interface CrawledPage {
  /** Final URL (after redirects). */
  url: string;
  /** The link that led here. */
  requestedUrl: string;
  /** The site's host name (for a .onion, the onion address). */
  site: string;
  depth: number;
  status: number;
  format: 'html' | 'text';
  /** The decoded body: HTML or plain text as served. */
  body: string;
  title?: string;
  author?: string;
  postedAt?: string;
  sourceType: SourceType;
  fetchedAt: string;
  /** In-scope links found on the page (absolute, without fragment). */
  links: string[];
}

/** Something the crawl reports while it runs. */
export type CrawlEvent =
  | { type: 'page'; url: string; depth: number; stored: number }
  | { type: 'retry'; url: string; attempt: number; waitMs: number; reason: string }
  | { type: 'failed'; url: string; depth: number; reason: string }
  | { type: 'skipped'; url: string; depth: number; reason: string };

/** What a finished crawl did. */
export interface CrawlSummary {
  pages: number;
  requests: number;
  failed: Array<{ url: string; reason: string }>;
  skipped: Array<{ url: string; reason: string }>;
  /** Links seen that lead off the seed's site (not followed). */
  outOfScopeLinks: number;
  /** Pages not fetched because of the page limit. */
  leftOver: number;
}

/** A running crawl: consume `pages`; `summary` settles when the crawl ends. */
export interface CrawlRun {
  pages: AsyncIterable<CrawledPage>;
  summary: Promise<CrawlSummary>;
}

interface QueueItem {
  url: URL;
  depth: number;
}

interface Site {
  origin: string;
  host: string;
  queue: QueueItem[];
  /** performance.now() when the last request to this site ended (its response fully read or failed). */
  lastRequestEnd: number;
  tally: SourceTypeScores;
}

/** Parses a seed URL: absolute http(s) only. */
export function parseSeedUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`"${text}": only http and https URLs are crawled`);
  url.hash = '';
  return url;
}

/** Starts crawling `seeds`; pages stream out of `pages` (which must be consumed). */
export function startCrawl(seeds: readonly string[], options: CrawlOptions): CrawlRun {
  const settings = { ...DEFAULT_CRAWL_OPTIONS, ...definedOnly(options) };
  const seedUrls = seeds.map(parseSeedUrl);
  const channel = new PageChannel<CrawledPage>(8);
  const internal = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, internal.signal]) : internal.signal;
  const emit = (event: CrawlEvent): void => options.onEvent?.(event);

  const summary: CrawlSummary = { pages: 0, requests: 0, failed: [], skipped: [], outOfScopeLinks: 0, leftOver: 0 };
  const visited = new Set<string>();
  const sites = new Map<string, Site>();
  let budget = settings.maxPages;

  const siteOf = (url: URL): Site => {
    let site = sites.get(url.origin);
    if (!site) {
      site = { origin: url.origin, host: url.hostname, queue: [], lastRequestEnd: -Infinity, tally: newSiteTally() };
      sites.set(url.origin, site);
    }
    return site;
  };
  for (const url of seedUrls) {
    if (visited.has(url.href)) continue;
    visited.add(url.href);
    siteOf(url).queue.push({ url, depth: 0 });
  }

  /** One HTTP request, paced: never concurrent with another to the same site, and `delayMs` after the last. */
  const pacedGet = async (site: Site, url: URL): Promise<HttpReply> => {
    const wait = site.lastRequestEnd + settings.delayMs - performance.now();
    if (wait > 0) await sleep(Math.ceil(wait), undefined, { signal });
    // setTimeout may wake a fraction of a millisecond early; the gap is a promise to the site, so top up.
    while (performance.now() < site.lastRequestEnd + settings.delayMs) await sleep(1, undefined, { signal });
    summary.requests += 1;
    try {
      return await httpGetViaSocks(url, {
        proxy: options.proxy,
        timeoutMs: settings.timeoutMs,
        maxBytes: settings.maxBytes,
        userAgent: settings.userAgent,
        signal,
      });
    } finally {
      site.lastRequestEnd = performance.now();
    }
  };

  /** GET with retries on transient failures. */
  const getWithRetries = async (site: Site, url: URL): Promise<HttpReply> => {
    for (let attempt = 0; ; attempt += 1) {
      let reason: string;
      let retryAfterMs: number | undefined;
      try {
        const reply = await pacedGet(site, url);
        if (reply.status !== 429 && reply.status < 500) return reply;
        reason = `HTTP ${reply.status}`;
        retryAfterMs = parseRetryAfter(reply.headers['retry-after']);
        if (attempt >= settings.retries) return reply;
      } catch (error) {
        if (!(error instanceof FetchError) || !error.retryable || attempt >= settings.retries || signal.aborted)
          throw error;
        reason = error.message;
      }
      const backoff = Math.min(settings.backoffMs * 2 ** attempt, settings.maxBackoffMs);
      if (retryAfterMs !== undefined && retryAfterMs > settings.maxBackoffMs) {
        throw new FetchError(
          `${reason}: asked to retry after ${Math.round(retryAfterMs / 1000)} s, more than the ` +
            `${settings.maxBackoffMs} ms limit`,
          false,
        );
      }
      const waitMs = Math.max(backoff, retryAfterMs ?? 0);
      emit({ type: 'retry', url: url.href, attempt: attempt + 1, waitMs, reason });
      await sleep(waitMs, undefined, { signal });
    }
  };

  const fail = (item: QueueItem, reason: string): void => {
    summary.failed.push({ url: item.url.href, reason });
    emit({ type: 'failed', url: item.url.href, depth: item.depth, reason });
  };
  const skip = (item: QueueItem, reason: string): void => {
    summary.skipped.push({ url: item.url.href, reason });
    emit({ type: 'skipped', url: item.url.href, depth: item.depth, reason });
  };

  /** Fetches one queued link (following redirects in scope) and returns the page, or undefined. */
  const visit = async (site: Site, item: QueueItem): Promise<CrawledPage | undefined> => {
    let url = item.url;
    let reply: HttpReply;
    for (let hops = 0; ; hops += 1) {
      try {
        reply = await getWithRetries(site, url);
      } catch (error) {
        if (signal.aborted) return undefined;
        fail(item, (error as Error).message);
        return undefined;
      }
      if (![301, 302, 303, 307, 308].includes(reply.status)) break;
      const location = headerValue(reply.headers.location);
      if (!location) return void fail(item, `HTTP ${reply.status} without Location`);
      if (hops >= settings.maxRedirects) return void fail(item, `more than ${settings.maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return void fail(item, `bad redirect Location "${location.slice(0, 100)}"`);
      }
      next.hash = '';
      if (next.origin !== site.origin) {
        summary.outOfScopeLinks += 1;
        return void skip(item, `redirect out of scope to ${next.origin}`);
      }
      if (next.href !== url.href && visited.has(next.href)) {
        // Queued but not fetched yet: fetch it now, at this (smaller) depth, so depths stay shortest-path.
        const queuedAt = site.queue.findIndex((q) => q.url.href === next.href);
        if (queuedAt < 0) return void skip(item, `redirect to ${next.href}, already crawled`);
        site.queue.splice(queuedAt, 1);
      }
      visited.add(next.href);
      url = next;
    }
    if (reply.status < 200 || reply.status > 299) return void fail(item, `HTTP ${reply.status}`);

    const contentType = headerValue(reply.headers['content-type']) ?? '';
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    let format: 'html' | 'text';
    if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') format = 'html';
    else if (mediaType === 'text/plain') format = 'text';
    else if (mediaType === '' && /^\s*(<!doctype html|<html)/i.test(reply.body.subarray(0, 512).toString('latin1')))
      format = 'html';
    else return void skip(item, `content type "${mediaType || 'none'}" is not text/html or text/plain`);

    const body = decodeBody(reply.body, contentType, format);
    const links: string[] = [];
    let title: string | undefined;
    let author: string | undefined;
    let postedAt: string | undefined;
    let text = body;
    if (format === 'html') {
      const page = readCrawledPage(body, url);
      title = page.title;
      author = page.author;
      postedAt = page.postedAt;
      text = page.text;
      for (const link of page.links) {
        if (link.origin !== site.origin) {
          summary.outOfScopeLinks += 1;
          continue;
        }
        links.push(link.href);
        if (item.depth + 1 > settings.depth || visited.has(link.href)) continue;
        // A hostile site can link to endless pages: never queue more than could ever be fetched.
        if (site.queue.length >= settings.maxPages) {
          summary.leftOver += 1;
          continue;
        }
        visited.add(link.href);
        site.queue.push({ url: link, depth: item.depth + 1 });
      }
    }
    addScores(site.tally, scorePage({ url, title, text }));
    return {
      url: url.href,
      requestedUrl: item.url.href,
      site: site.host,
      depth: item.depth,
      status: reply.status,
      format,
      body,
      ...(title !== undefined ? { title } : {}),
      ...(author !== undefined ? { author } : {}),
      ...(postedAt !== undefined ? { postedAt } : {}),
      sourceType: options.sourceType ?? pickSourceType(site.tally, format),
      fetchedAt: new Date().toISOString(),
      links,
    };
  };

  /** Crawls one site breadth-first until its queue is empty, the budget is spent or the crawl stops. */
  const crawlSite = async (site: Site): Promise<void> => {
    while (site.queue.length > 0 && !signal.aborted) {
      if (budget <= 0) {
        summary.leftOver += site.queue.length;
        site.queue.length = 0;
        return;
      }
      const item = site.queue.shift()!;
      budget -= 1; // reserved now, so parallel sites cannot overshoot the limit
      const page = await visit(site, item);
      if (!page) {
        budget += 1;
        continue;
      }
      if (!(await channel.push(page))) return;
      summary.pages += 1;
      emit({ type: 'page', url: page.url, depth: page.depth, stored: summary.pages });
    }
  };

  const run = async (): Promise<CrawlSummary> => {
    try {
      const pending = [...sites.values()];
      const workers = Array.from({ length: Math.min(settings.siteConcurrency, pending.length) }, async () => {
        for (let site = pending.shift(); site; site = pending.shift()) await crawlSite(site);
      });
      await Promise.all(workers);
      return summary;
    } finally {
      channel.close();
    }
  };
  const summaryPromise = run().catch((error: unknown) => {
    // Aborting is a normal way to stop: report what was done.
    if (signal.aborted) return summary;
    throw error;
  });

  async function* pages(): AsyncGenerator<CrawledPage> {
    try {
      yield* channel.drain();
    } finally {
      // The consumer stopped early (break or error): stop fetching.
      internal.abort();
      channel.close();
    }
  }
  return { pages: pages(), summary: summaryPromise };
}

/** Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = headerValue(value)?.trim();
  if (!text) return undefined;
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Decodes the body with the charset the server (or a `<meta charset>`) declares; UTF-8 otherwise. */
function decodeBody(body: Buffer, contentType: string, format: 'html' | 'text'): string {
  let charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  if (!charset && format === 'html')
    charset = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(body.subarray(0, 2048).toString('latin1'))?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
