/**
 * Longest-prefix match over threat-feed networks, IPv4 and IPv6: a sorted-range index. Networks (CIDR
 * blocks) are either nested or disjoint, so after sorting them by first address (wider first on a tie)
 * each one's parent, the next wider network holding it, falls out of one sweep with a stack. A look-up
 * binary-searches the last network starting at or before the address; if that one does not hold the
 * address, the one that does (if any) is among its ancestors, since any network holding the address
 * starts no later and so nests around it. Depth is at most 33 (IPv4) or 129 (IPv6) steps.
 *
 * The index is plain data (typed arrays and strings), so it crosses to scan threads by structured clone.
 */
import type { FeedCategory, FeedListing } from '../../core/reputation.js';
import { FEED_CATEGORIES } from '../../core/reputation.js';
import { formatNetwork, type IpFamily, lastAddressWords, type Network, wordCount } from './network.js';

/** One family's networks: node `i` spans words [i*width, (i+1)*width) of `starts` and `ends`. */
export interface FamilyTable {
  width: number;
  count: number;
  starts: Uint32Array;
  ends: Uint32Array;
  prefix: Uint8Array;
  /** Index of the next wider network holding node `i`, or -1. */
  parent: Int32Array;
  /** Listings of node `i`: `listIds[listOffset[i] .. listOffset[i+1])`. */
  listOffset: Uint32Array;
  listIds: Uint32Array;
}

/** The whole index: feed names, one row per listing, and the two families' tables. */
export interface PrefixIndex {
  feeds: string[];
  listingFeed: Uint32Array;
  listingCategory: Uint8Array;
  /** Epoch milliseconds. */
  listingFirst: Float64Array;
  listingLast: Float64Array;
  v4: FamilyTable;
  v6: FamilyTable;
}

/** One entry handed to the builder: a parsed network on a feed. */
export interface IndexEntry {
  feed: string;
  network: Network;
  category: FeedCategory;
  firstListed: string;
  lastListed: string;
}

/** Compares node `node`'s start (or end) with `words`: negative, zero or positive. */
function compareAt(words: Uint32Array, width: number, node: number, address: ArrayLike<number>): number {
  const base = node * width;
  for (let k = 0; k < width; k++) {
    const a = words[base + k]!;
    const b = address[k]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

function buildFamily(family: IpFamily, entries: readonly IndexEntry[], listingIds: readonly number[]): FamilyTable {
  const width = wordCount(family);
  const n = listingIds.length;
  // Flat copies: the sort and the sweep below touch typed arrays only, not a million network objects.
  const words = new Uint32Array(n * width);
  const lengths = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const network = entries[listingIds[i]!]!.network;
    words.set(network.words, i * width);
    lengths[i] = network.prefix;
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  if (width === 1) order.sort((a, b) => words[a]! - words[b]! || lengths[a]! - lengths[b]!);
  else
    order.sort((a, b) => {
      for (let k = 0; k < width; k++) {
        const x = words[a * width + k]!;
        const y = words[b * width + k]!;
        if (x !== y) return x < y ? -1 : 1;
      }
      return lengths[a]! - lengths[b]!;
    });
  const starts = new Uint32Array(n * width);
  const ends = new Uint32Array(n * width);
  const prefix = new Uint8Array(n);
  const listOffset = new Uint32Array(n + 1);
  const listIds = new Uint32Array(n);
  let count = 0;
  let previous = -1;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    let same = previous >= 0 && lengths[previous] === lengths[i];
    for (let k = 0; same && k < width; k++) same = words[previous * width + k] === words[i * width + k];
    if (!same) {
      const base = count * width;
      for (let k = 0; k < width; k++) {
        const word = words[i * width + k]!;
        const bits = Math.min(32, Math.max(0, lengths[i]! - 32 * k));
        starts[base + k] = word;
        ends[base + k] = bits === 32 ? word : (word | (0xffffffff >>> bits)) >>> 0;
      }
      prefix[count] = lengths[i]!;
      listOffset[count] = j;
      count++;
      previous = i;
    }
    listIds[j] = listingIds[i]!;
  }
  listOffset[count] = n;
  // Parents: sweep in order with a stack of the networks still open (holding the current start).
  const parent = new Int32Array(count).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = starts.subarray(i * width, (i + 1) * width);
    while (stack.length > 0 && compareAt(ends, width, stack[stack.length - 1]!, start) < 0) stack.pop();
    if (stack.length > 0) parent[i] = stack[stack.length - 1]!;
    stack.push(i);
  }
  return {
    width,
    count,
    starts: starts.slice(0, count * width),
    ends: ends.slice(0, count * width),
    prefix: prefix.slice(0, count),
    parent,
    listOffset: listOffset.slice(0, count + 1),
    listIds,
  };
}

/** Builds the index over `entries` (any order; the same network on several feeds is one node). */
export function buildPrefixIndex(entries: readonly IndexEntry[]): PrefixIndex {
  const feeds: string[] = [];
  const feedIds = new Map<string, number>();
  const n = entries.length;
  const listingFeed = new Uint32Array(n);
  const listingCategory = new Uint8Array(n);
  const listingFirst = new Float64Array(n);
  const listingLast = new Float64Array(n);
  const v4: number[] = [];
  const v6: number[] = [];
  for (let i = 0; i < n; i++) {
    const entry = entries[i]!;
    let feed = feedIds.get(entry.feed);
    if (feed === undefined) {
      feed = feeds.length;
      feeds.push(entry.feed);
      feedIds.set(entry.feed, feed);
    }
    listingFeed[i] = feed;
    listingCategory[i] = FEED_CATEGORIES.indexOf(entry.category);
    listingFirst[i] = Date.parse(entry.firstListed);
    listingLast[i] = Date.parse(entry.lastListed);
    (entry.network.family === 4 ? v4 : v6).push(i);
  }
  return {
    feeds,
    listingFeed,
    listingCategory,
    listingFirst,
    listingLast,
    v4: buildFamily(4, entries, v4),
    v6: buildFamily(6, entries, v6),
  };
}

/** The most specific node holding `address`, or -1. */
export function longestMatch(table: FamilyTable, address: ArrayLike<number>): number {
  let low = 0;
  let high = table.count - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (compareAt(table.starts, table.width, mid, address) <= 0) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  while (found >= 0 && compareAt(table.ends, table.width, found, address) < 0) found = table.parent[found]!;
  return found;
}

function listingsOf(index: PrefixIndex, family: IpFamily, node: number): FeedListing[] {
  const table = family === 4 ? index.v4 : index.v6;
  const network = formatNetwork({
    family,
    prefix: table.prefix[node]!,
    words: Array.from(table.starts.subarray(node * table.width, (node + 1) * table.width)),
  });
  const out: FeedListing[] = [];
  for (let j = table.listOffset[node]!; j < table.listOffset[node + 1]!; j++) {
    const id = table.listIds[j]!;
    out.push({
      feed: index.feeds[index.listingFeed[id]!]!,
      network,
      category: FEED_CATEGORIES[index.listingCategory[id]!]!,
      firstListed: new Date(index.listingFirst[id]!).toISOString(),
      lastListed: new Date(index.listingLast[id]!).toISOString(),
    });
  }
  return out;
}

/** Every listing whose network holds the address, most specific network first. */
export function lookupAddress(index: PrefixIndex, family: IpFamily, address: ArrayLike<number>): FeedListing[] {
  const table = family === 4 ? index.v4 : index.v6;
  const out: FeedListing[] = [];
  for (let node = longestMatch(table, address); node >= 0; node = table.parent[node]!)
    out.push(...listingsOf(index, family, node));
  return out;
}

/**
 * Every listing whose network overlaps `network`: those holding it (its first address's matches, as far
 * as they are at least as wide) and those inside it. For an organization's declared networks.
 */
export function lookupNetwork(index: PrefixIndex, network: Network): FeedListing[] {
  const table = network.family === 4 ? index.v4 : index.v6;
  const out: FeedListing[] = [];
  for (let node = longestMatch(table, network.words); node >= 0; node = table.parent[node]!)
    if (table.prefix[node]! < network.prefix) out.push(...listingsOf(index, network.family, node));
  const last = lastAddressWords(network);
  // The first node starting at or after the network's first address; then every node starting inside it.
  let low = 0;
  let high = table.count;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareAt(table.starts, table.width, mid, network.words) < 0) low = mid + 1;
    else high = mid;
  }
  for (let node = low; node < table.count && compareAt(table.starts, table.width, node, last) <= 0; node++)
    if (table.prefix[node]! >= network.prefix) out.push(...listingsOf(index, network.family, node));
  return out;
}

/** Number of distinct networks in the index. */
export function networkCount(index: PrefixIndex): number {
  return index.v4.count + index.v6.count;
}
