/**
 * Reads one feed file: picks the format (or takes `--format`), parses it, and turns it into the entries
 * the store keeps, each with the feed's category and its first and last listing dates. A file with any
 * line the format does not allow is refused whole, naming the lines (up to 20), so a truncated download
 * or a wrong file never replaces a good feed with half of one.
 */
import { AppError } from '../../core/errors.js';
import { type FeedCategory, type FeedEntry, isFeedCategory } from '../../core/reputation.js';
import { abuseChColumns, parseFeodoCsv, parseUrlhausCsv } from './feed-csv.js';
import { parseMisp, parseSpamhausJsonLines, parseStixBundle } from './feed-json.js';
import { parseNetset, parseTorExitAddresses } from './feed-text.js';
import { FEED_FORMATS, type FeedFormat, type ParsedFeed } from './feed-types.js';

/** A feed file that cannot be imported; nothing of it was. */
export class FeedImportError extends AppError {
  override readonly name = 'FeedImportError';
  readonly code = 'feed-rejected';
}

const MAX_PROBLEMS_SHOWN = 20;

function parseJsonDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads `text` in `format`, or in the format its content shows. */
export function parseFeedText(text: string, format?: FeedFormat): ParsedFeed {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const chosen = format ?? detectFeedFormat(body);
  switch (chosen) {
    case 'netset':
      return parseNetset(body);
    case 'tor-exit-addresses':
      return parseTorExitAddresses(body);
    case 'feodo-csv':
      return parseFeodoCsv(body);
    case 'urlhaus-csv':
      return parseUrlhausCsv(body);
    case 'spamhaus-json':
      return parseSpamhausJsonLines(body);
    case 'misp':
      return parseMisp(parseJsonDocument(body));
    case 'stix':
      return parseStixBundle(parseJsonDocument(body));
  }
}

/** The format `text` is in, from its content (never its file name). */
export function detectFeedFormat(text: string): FeedFormat {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    const document = parseJsonDocument(start);
    if (document === undefined) return 'spamhaus-json';
    const first = Array.isArray(document) ? document[0] : document;
    if (typeof first === 'object' && first !== null && (first as { type?: unknown }).type === 'bundle') return 'stix';
    if (typeof first === 'object' && first !== null && 'cidr' in first) return 'spamhaus-json';
    return 'misp';
  }
  if (/^(ExitNode|ExitAddress) /m.test(text.slice(0, 65_536))) return 'tor-exit-addresses';
  const columns = abuseChColumns(text);
  if (columns?.includes('dst_ip')) return 'feodo-csv';
  if (columns?.includes('url') && columns.includes('dateadded')) return 'urlhaus-csv';
  return 'netset';
}

export function parseFeedFormat(value: string): FeedFormat {
  if ((FEED_FORMATS as readonly string[]).includes(value)) return value as FeedFormat;
  throw new FeedImportError(`--format: "${value}" is not one of ${FEED_FORMATS.join(', ')}`);
}

/** A feed ready for the store: its name, format, category and entries (one per network). */
export interface FeedImport {
  name: string;
  format: FeedFormat;
  category: FeedCategory;
  entries: FeedEntry[];
  skipped: Record<string, number>;
}

/**
 * Turns a parsed file into the feed to store: the category is `--category` or the one the format
 * implies; entries without dates are listed at `now`; one network listed twice is one entry (earliest
 * first, latest last date).
 */
export function toFeedImport(
  path: string,
  parsed: ParsedFeed,
  options: { name: string; category?: string; now: Date },
): FeedImport {
  if (parsed.problems.length > 0) {
    const shown = parsed.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `  ${p.where}: ${p.message}`);
    const more = parsed.problems.length - shown.length;
    const tail = more > 0 ? `\n  ... and ${more} more` : '';
    throw new FeedImportError(
      `${path}: rejected as ${parsed.format}, nothing imported (${parsed.problems.length} problem` +
        `${parsed.problems.length === 1 ? '' : 's'}):\n${shown.join('\n')}${tail}`,
    );
  }
  if (options.category !== undefined && !isFeedCategory(options.category))
    throw new FeedImportError(`--category: "${options.category}" is not a feed category`);
  const category = (options.category as FeedCategory | undefined) ?? parsed.impliedCategory;
  if (category === null)
    throw new FeedImportError(
      `${path}: a ${parsed.format} file does not say what its addresses did; give --category ` +
        '(botnet_c2, malware, spam, bruteforce, scanning or tor_exit)',
    );
  if (parsed.entries.length === 0) throw new FeedImportError(`${path}: no IP addresses or networks in the file`);
  const now = options.now.toISOString();
  const byNetwork = new Map<string, FeedEntry>();
  for (const entry of parsed.entries) {
    const first = entry.firstListed ?? entry.lastListed ?? now;
    const last = entry.lastListed ?? now;
    const seen = byNetwork.get(entry.network);
    if (seen === undefined)
      byNetwork.set(entry.network, {
        network: entry.network,
        category,
        firstListed: first,
        lastListed: last < first ? first : last,
      });
    else {
      if (first < seen.firstListed) seen.firstListed = first;
      if (last > seen.lastListed) seen.lastListed = last;
    }
  }
  return {
    name: options.name,
    format: parsed.format,
    category,
    entries: [...byNetwork.values()],
    skipped: parsed.skipped,
  };
}
