/**
 * abuse.ch CSV exports. Both start with `#` comment lines, the last of which names the columns:
 * Feodo Tracker `ipblocklist.csv`: `first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware` (botnet
 * C2 servers); URLhaus `csv_online`/`csv_recent`: `id,dateadded,url,url_status,last_online,threat,tags,
 * urlhaus_link,reporter` (malware distribution URLs; only URLs whose host is an IP address list one).
 */
import { canonicalNetwork } from './network.js';
import { emptyFeed, feedDate, skip, type FeedFormat, type ParsedFeed } from './feed-types.js';

/** Splits one CSV line (RFC 4180 quoting; these feeds never break a field over lines). Null if unbalanced. */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return null;
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      if (i < line.length && line[i] !== ',') return null;
      fields.push(value);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

/** The column names of an abuse.ch CSV: its last comment line that splits into names, else null. */
export function abuseChColumns(text: string): string[] | null {
  let columns: string[] | null = null;
  for (const line of text.split(/\r?\n/, 200)) {
    if (!line.startsWith('#')) {
      if (line.trim() !== '') break;
      continue;
    }
    const fields = splitCsvLine(line.slice(1).trim());
    if (fields && fields.length >= 3 && fields.every((f) => /^[a-z][a-z0-9_]*$/.test(f.trim())))
      columns = fields.map((f) => f.trim());
  }
  return columns;
}

interface CsvSpec {
  format: FeedFormat;
  /** The address (or URL) column, and how to get an address out of it. */
  addressColumn: string;
  address: (value: string, feed: ParsedFeed, where: string) => string | null;
  firstColumn: string;
  lastColumn: string;
}

function parseAbuseChCsv(text: string, spec: CsvSpec, category: 'botnet_c2' | 'malware'): ParsedFeed {
  const feed = emptyFeed(spec.format, category);
  const columns = abuseChColumns(text);
  const at = (name: string): number => columns?.indexOf(name) ?? -1;
  if (columns === null || at(spec.addressColumn) < 0) {
    feed.problems.push({ where: 'header', message: `no "# ...${spec.addressColumn}..." column line` });
    return feed;
  }
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.startsWith('#') || line.trim() === '') return;
    const where = `line ${i + 1}`;
    const fields = splitCsvLine(line.trim());
    if (fields === null || fields.length !== columns.length) {
      feed.problems.push({ where, message: `expected ${columns.length} comma-separated fields` });
      return;
    }
    const first = feedDate(fields[at(spec.firstColumn)]);
    if (first === null) {
      feed.problems.push({ where, message: `${spec.firstColumn} "${fields[at(spec.firstColumn)]}" is not a date` });
      return;
    }
    const network = spec.address(fields[at(spec.addressColumn)]!, feed, where);
    if (network === null) return;
    const last = feedDate(fields[at(spec.lastColumn)]);
    feed.entries.push({ network, firstListed: first, ...(last !== null && last >= first ? { lastListed: last } : {}) });
  });
  return feed;
}

export function parseFeodoCsv(text: string): ParsedFeed {
  return parseAbuseChCsv(
    text,
    {
      format: 'feodo-csv',
      addressColumn: 'dst_ip',
      firstColumn: 'first_seen_utc',
      lastColumn: 'last_online',
      address: (value, feed, where) => {
        const network = canonicalNetwork(value);
        if (network === null)
          feed.problems.push({ where, message: `dst_ip "${value.slice(0, 60)}" is not an IP address` });
        return network;
      },
    },
    'botnet_c2',
  );
}

/** The host of a URL when it is an IP address (`http://192.0.2.7:8080/x`, `http://[2001:db8::1]/`). */
function urlAddress(value: string, feed: ParsedFeed): string | null {
  let host: string;
  try {
    host = new URL(value).hostname;
  } catch {
    skip(feed, 'not a URL');
    return null;
  }
  const network = canonicalNetwork(host.replace(/^\[|\]$/g, ''));
  if (network === null) skip(feed, 'URL host is a name, not an address');
  return network;
}

export function parseUrlhausCsv(text: string): ParsedFeed {
  return parseAbuseChCsv(
    text,
    {
      format: 'urlhaus-csv',
      addressColumn: 'url',
      firstColumn: 'dateadded',
      lastColumn: 'last_online',
      address: urlAddress,
    },
    'malware',
  );
}
