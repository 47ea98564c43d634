/**
 * Which kind of site a crawled page belongs to (forum, market, paste, leak site). Real hidden services
 * do not label themselves, so this is a heuristic: words in the URL path weigh most, then the title,
 * then the text; a site-level tally lets a weak page inherit the verdict of the site's stronger pages.
 */
import type { SourceType } from '../types.js';

/** The source types a crawled web page can have (chat exports are never crawled). */
export const CRAWLED_SOURCE_TYPES = ['forum', 'market', 'paste', 'leak_site'] as const satisfies readonly SourceType[];
export type CrawledSourceType = (typeof CRAWLED_SOURCE_TYPES)[number];

/** Scores per source type. */
export type SourceTypeScores = Record<CrawledSourceType, number>;

const KEYWORDS: Record<CrawledSourceType, readonly string[]> = {
  forum: [
    'thread',
    'threads',
    'post',
    'posts',
    'reply',
    'replies',
    'topic',
    'topics',
    'forum',
    'board',
    'member',
    'members',
    'quote',
  ],
  market: [
    'listing',
    'listings',
    'price',
    'vendor',
    'vendors',
    'escrow',
    'product',
    'shop',
    'market',
    'cart',
    'order',
    'buy',
  ],
  paste: ['paste', 'pastes', 'raw', 'pastebin', 'syntax', 'expires', 'bin'],
  leak_site: [
    'victim',
    'victims',
    'leak',
    'leaks',
    'leaked',
    'countdown',
    'published',
    'ransom',
    'deadline',
    'exfiltrated',
    'publication',
  ],
};

const WEIGHT_PATH = 3;
const WEIGHT_TITLE = 2;
const WEIGHT_TEXT = 1;
/** Each keyword counts at most this many times in the text, so one long page cannot swamp the tally. */
const TEXT_CAP = 3;

function emptyScores(): SourceTypeScores {
  return { forum: 0, market: 0, paste: 0, leak_site: 0 };
}

function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** Keyword scores of one page. */
export function scorePage(page: { url: URL; title?: string; text: string }): SourceTypeScores {
  const scores = emptyScores();
  const path = countWords(`${page.url.pathname} ${page.url.search}`);
  const title = countWords(page.title ?? '');
  const text = countWords(page.text.slice(0, 200_000));
  for (const type of CRAWLED_SOURCE_TYPES) {
    for (const keyword of KEYWORDS[type]) {
      scores[type] += WEIGHT_PATH * Math.min(path.get(keyword) ?? 0, 1);
      scores[type] += WEIGHT_TITLE * Math.min(title.get(keyword) ?? 0, 1);
      scores[type] += WEIGHT_TEXT * Math.min(text.get(keyword) ?? 0, TEXT_CAP);
    }
  }
  return scores;
}

/** Adds `page` into `tally` (in place) and returns it. */
export function addScores(tally: SourceTypeScores, page: SourceTypeScores): SourceTypeScores {
  for (const type of CRAWLED_SOURCE_TYPES) tally[type] += page[type];
  return tally;
}

/** A fresh site tally. */
export function newSiteTally(): SourceTypeScores {
  return emptyScores();
}

/**
 * The best-scoring type; with no signal at all, `paste` for plain text and `forum` for HTML (the
 * commonest kind of crawled page). Ties go to the order of CRAWLED_SOURCE_TYPES.
 */
export function pickSourceType(scores: SourceTypeScores, contentType: 'html' | 'text'): CrawledSourceType {
  let best: CrawledSourceType | undefined;
  for (const type of CRAWLED_SOURCE_TYPES)
    if (scores[type] > 0 && (best === undefined || scores[type] > scores[best])) best = type;
  return best ?? (contentType === 'text' ? 'paste' : 'forum');
}
