/**
 * JSON feeds: Spamhaus DROP/EDROP/DROPv6 JSON lines (`{"cidr":"1.10.16.0/20","sblid":"SBL256894",
 * "rir":"apnic"}` records and a closing `{"type":"metadata","timestamp":...}` line), MISP events
 * (`{"Event":{...,"Attribute":[...],"Object":[{"Attribute":[...]}]}}`, alone, in an array or under
 * `response`), and STIX 2.1 bundles of `ipv4-addr`/`ipv6-addr` objects and indicators whose pattern
 * compares an address (`[ipv4-addr:value = '198.51.100.1']`, `ISSUBSET '198.51.100.0/24'`, joined by OR).
 */
import { canonicalNetwork } from './network.js';
import { emptyFeed, feedDate, skip, unixDate, type ParsedFeed } from './feed-types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Spamhaus DROP JSON lines: one record a line; the metadata line's timestamp dates every entry. */
export function parseSpamhausJsonLines(text: string): ParsedFeed {
  const feed = emptyFeed('spamhaus-json', 'spam');
  let listedAt: string | null = null;
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      feed.problems.push({ where, message: 'not a JSON object' });
      return;
    }
    if (!isObject(record)) {
      feed.problems.push({ where, message: 'not a JSON object' });
      return;
    }
    if (record.type === 'metadata') {
      listedAt = unixDate(record.timestamp);
      return;
    }
    const network = typeof record.cidr === 'string' ? canonicalNetwork(record.cidr) : null;
    if (network === null) feed.problems.push({ where, message: 'no valid "cidr"' });
    else feed.entries.push({ network });
  });
  if (listedAt !== null) for (const entry of feed.entries) entry.lastListed = listedAt;
  return feed;
}

const MISP_ADDRESS_TYPES = new Set(['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip']);

function mispAddress(type: string, value: string): string | null {
  if (type === 'domain|ip') return canonicalNetwork(value.split('|')[1] ?? '');
  if (type.endsWith('|port')) return canonicalNetwork(value.slice(0, value.lastIndexOf('|')));
  return canonicalNetwork(value);
}

/** MISP events: `ip-src`, `ip-dst`, `ip-*|port` and `domain|ip` attributes, in the event and its objects. */
export function parseMisp(document: unknown): ParsedFeed {
  const feed = emptyFeed('misp', null);
  const wrappers = Array.isArray(document)
    ? document
    : isObject(document) && Array.isArray(document.response)
      ? document.response
      : [document];
  wrappers.forEach((wrapper, e) => {
    const event = isObject(wrapper) && isObject(wrapper.Event) ? wrapper.Event : null;
    if (event === null) {
      feed.problems.push({ where: `event ${e + 1}`, message: 'no "Event" object' });
      return;
    }
    const eventDate = feedDate(typeof event.date === 'string' ? event.date : undefined);
    const attributes: unknown[] = [
      ...(Array.isArray(event.Attribute) ? event.Attribute : []),
      ...(Array.isArray(event.Object)
        ? event.Object.flatMap((o) => (isObject(o) && Array.isArray(o.Attribute) ? o.Attribute : []))
        : []),
    ];
    attributes.forEach((attribute, a) => {
      if (!isObject(attribute) || typeof attribute.type !== 'string' || typeof attribute.value !== 'string') {
        feed.problems.push({ where: `event ${e + 1} attribute ${a + 1}`, message: 'needs string "type" and "value"' });
        return;
      }
      if (!MISP_ADDRESS_TYPES.has(attribute.type)) {
        skip(feed, `attribute type ${attribute.type}`);
        return;
      }
      const network = mispAddress(attribute.type, attribute.value);
      if (network === null) {
        feed.problems.push({
          where: `event ${e + 1} attribute ${a + 1}`,
          message: `${attribute.type} "${attribute.value.slice(0, 60)}" holds no IP address`,
        });
        return;
      }
      const stamp = unixDate(attribute.timestamp);
      const first = feedDate(attribute.first_seen as string | undefined) ?? eventDate ?? stamp;
      const last = feedDate(attribute.last_seen as string | undefined) ?? stamp ?? first;
      feed.entries.push({ network, ...(first ? { firstListed: first } : {}), ...(last ? { lastListed: last } : {}) });
    });
  });
  return feed;
}

/** One comparison of an address in a STIX pattern: `ipv4-addr:value = '...'` or `ISSUBSET '...'`. */
const STIX_COMPARISON = /^(ipv4-addr|ipv6-addr):value\s*(=|ISSUBSET)\s*'([^'\\]*)'$/;

/**
 * The addresses of a STIX pattern made only of address comparisons joined by OR, in one or more
 * observation brackets joined by OR; null for any other pattern (AND, other objects, qualifiers), which
 * does not say "this address is bad" on its own.
 */
export function stixPatternAddresses(pattern: string): string[] | null {
  const observations = pattern.trim().split(/\]\s+OR\s+\[/);
  const out: string[] = [];
  for (const [i, raw] of observations.entries()) {
    let body = raw;
    if (i === 0) body = body.replace(/^\[/, '');
    if (i === observations.length - 1) body = body.replace(/\]$/, '');
    if (body.includes('[') || body.includes(']')) return null;
    for (const comparison of body.split(/\s+OR\s+/)) {
      const m = STIX_COMPARISON.exec(comparison.trim());
      if (m === null) return null;
      const network = canonicalNetwork(m[3]!);
      if (network === null || network.includes(':') !== (m[1] === 'ipv6-addr')) return null;
      out.push(network);
    }
  }
  return out;
}

/** A STIX 2.1 bundle: address objects and address indicators (with `valid_from`/`modified` as dates). */
export function parseStixBundle(document: unknown): ParsedFeed {
  const feed = emptyFeed('stix', null);
  const objects = isObject(document) && Array.isArray(document.objects) ? document.objects : null;
  if (objects === null) {
    feed.problems.push({ where: 'bundle', message: 'no "objects" array' });
    return feed;
  }
  objects.forEach((object, i) => {
    const where = `objects[${i}]`;
    if (!isObject(object) || typeof object.type !== 'string') {
      feed.problems.push({ where, message: 'not a STIX object (no "type")' });
      return;
    }
    if (object.type === 'ipv4-addr' || object.type === 'ipv6-addr') {
      const network = typeof object.value === 'string' ? canonicalNetwork(object.value) : null;
      if (network === null) feed.problems.push({ where, message: `${object.type} without a valid "value"` });
      else feed.entries.push({ network });
      return;
    }
    if (object.type !== 'indicator') {
      skip(feed, `STIX ${object.type}`);
      return;
    }
    if (object.pattern_type !== undefined && object.pattern_type !== 'stix') {
      skip(feed, `pattern type ${String(object.pattern_type)}`);
      return;
    }
    if (typeof object.pattern !== 'string') {
      feed.problems.push({ where, message: 'indicator without a "pattern"' });
      return;
    }
    const addresses = stixPatternAddresses(object.pattern);
    if (addresses === null) {
      skip(feed, 'indicator pattern is not only IP addresses');
      return;
    }
    const first = feedDate(object.valid_from as string | undefined) ?? feedDate(object.created as string | undefined);
    const last = feedDate(object.modified as string | undefined) ?? first;
    for (const network of addresses)
      feed.entries.push({ network, ...(first ? { firstListed: first } : {}), ...(last ? { lastListed: last } : {}) });
  });
  return feed;
}
