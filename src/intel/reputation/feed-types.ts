/** What a feed file reader returns (feed-file.ts picks the reader; each format has its own module). */
import type { FeedCategory } from '../../core/reputation.js';

/** The formats `vitals feeds import` reads (docs/ip-reputation.md describes each). */
export const FEED_FORMATS = [
  'netset',
  'spamhaus-json',
  'feodo-csv',
  'urlhaus-csv',
  'tor-exit-addresses',
  'misp',
  'stix',
] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** One network a file lists, with the dates the file gives (if any). */
export interface ParsedFeedEntry {
  /** Canonical CIDR text. */
  network: string;
  firstListed?: string;
  lastListed?: string;
}

/** A line (or object) the format does not allow: the import is refused, naming each one. */
export interface FeedProblem {
  /** 1-based line, or for JSON the object's position (`objects[3]`). */
  where: string;
  message: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  /** The category the format implies (Feodo: botnet_c2, Tor: tor_exit...); null when only the user can say. */
  impliedCategory: FeedCategory | null;
  entries: ParsedFeedEntry[];
  /** Items that are valid in the format but list no address (a URL with a host name, a domain indicator). */
  skipped: Record<string, number>;
  problems: FeedProblem[];
}

/** A parse in progress: readers add to it. */
export function emptyFeed(format: FeedFormat, impliedCategory: FeedCategory | null): ParsedFeed {
  return { format, impliedCategory, entries: [], skipped: {}, problems: [] };
}

export function skip(feed: ParsedFeed, reason: string): void {
  feed.skipped[reason] = (feed.skipped[reason] ?? 0) + 1;
}

/** `2024-03-07 10:09:28` (UTC, as abuse.ch and Tor write it), `2024-03-07`, or ISO-8601 to ISO; null if none. */
export function feedDate(text: string | undefined): string | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
  if (m === null) return null;
  const time = m[2] ?? '00:00:00';
  const ms = Date.parse(`${m[1]}T${time.length === 5 ? `${time}:00` : time}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Unix seconds (a number or digits) to ISO; null when it is not one. */
export function unixDate(value: unknown): string | null {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? +value : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 32503680000) return null;
  return new Date(seconds * 1000).toISOString();
}
