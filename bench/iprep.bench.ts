/**
 * IP reputation benchmark (issue #8 section 3): 1,000,000 feed entries (addresses and CIDR blocks, IPv4
 * and some IPv6, on several feeds) against 100,000 addresses. Reports entries per second to load (a netset
 * text parsed as `vitals feeds import` parses it, then the prefix index built) and look-ups per second,
 * side by side with a naive scan of every entry for every address. The naive scan would take hours over
 * 100,000 addresses, so it is timed on a sample of them; both answer the sample identically or the
 * benchmark fails.
 *
 * Environment: VITALS_BENCH_IPREP_ENTRIES (default 1,000,000), VITALS_BENCH_IPREP_ADDRESSES (100,000),
 * VITALS_BENCH_IPREP_NAIVE_SAMPLE (addresses the naive scan answers, default 200).
 */
import { performance } from 'node:perf_hooks';
import { parseFeedText, toFeedImport } from '../src/intel/reputation/feed-file.js';
import { parseAddress, parseNetwork } from '../src/intel/reputation/network.js';
import { naiveEntries, naiveLookup } from '../src/intel/reputation/naive-scan.js';
import { buildPrefixIndex, type IndexEntry, lookupAddress } from '../src/intel/reputation/prefix-index.js';
import type { BenchResult } from './bench-result.js';

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

/** xorshift32: the same entries and addresses every run. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const v4 = (w: number): string => `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;

/** Feed lines: 80% single addresses, 15% /24, 4% /16-/20, 1% IPv6 /48 and /128. */
function feedLines(count: number, next: () => number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = next() % 100;
    const w = next();
    if (r < 80) lines.push(v4(w));
    else if (r < 95) lines.push(`${v4(w & 0xffffff00)}/24`);
    else if (r < 99) lines.push(`${v4(w & 0xffff0000)}/${16 + (w & 3)}`);
    else lines.push(`2001:db8:${(w & 0xffff).toString(16)}::${r === 99 && w & 1 ? '1/128' : '/48'}`);
  }
  return lines;
}

export async function run(): Promise<BenchResult> {
  const entryCount = envInteger('VITALS_BENCH_IPREP_ENTRIES', 1_000_000);
  const addressCount = envInteger('VITALS_BENCH_IPREP_ADDRESSES', 100_000);
  const sample = Math.min(addressCount, envInteger('VITALS_BENCH_IPREP_NAIVE_SAMPLE', 200));
  const next = random(20250601);
  const lines = feedLines(entryCount, next);
  // Four feeds, as a real store holds several.
  const feeds = [0, 1, 2, 3].map((f) => lines.filter((_, i) => i % 4 === f).join('\n'));

  const loadStart = performance.now();
  const now = new Date();
  const entries: IndexEntry[] = [];
  feeds.forEach((text, f) => {
    const feed = toFeedImport(`feed-${f}`, parseFeedText(text, 'netset'), { name: `feed-${f}`, category: 'spam', now });
    for (const e of feed.entries) entries.push({ ...e, feed: feed.name, network: parseNetwork(e.network)! });
  });
  const parsedAt = performance.now();
  const index = buildPrefixIndex(entries);
  const loadEnd = performance.now();

  // Half the addresses inside listed networks, half anywhere.
  const addresses: { family: 4 | 6; words: number[] }[] = [];
  for (let i = 0; i < addressCount; i++) {
    if (i % 2 === 0) {
      const e = entries[next() % entries.length]!;
      const words = [...e.network.words];
      words[words.length - 1] = (words[words.length - 1]! | (next() & (e.network.prefix >= 24 ? 0 : 255))) >>> 0;
      addresses.push({ family: e.network.family, words });
    } else addresses.push(parseAddress(v4(next()))!);
  }

  const lookupStart = performance.now();
  let listed = 0;
  for (const a of addresses) if (lookupAddress(index, a.family, a.words).length > 0) listed++;
  const lookupEnd = performance.now();

  const naive = naiveEntries(entries);
  const naiveStart = performance.now();
  const naiveCounts: number[] = [];
  for (let i = 0; i < sample; i++)
    naiveCounts.push(naiveLookup(naive, addresses[i]!.family, addresses[i]!.words).length);
  const naiveEnd = performance.now();
  for (let i = 0; i < sample; i++) {
    const indexed = lookupAddress(index, addresses[i]!.family, addresses[i]!.words).length;
    if (indexed !== naiveCounts[i])
      throw new Error(`address ${i}: the index finds ${indexed} listings, the naive scan ${naiveCounts[i]}`);
  }

  const loadPerSecond = entryCount / ((loadEnd - loadStart) / 1000);
  const lookupsPerSecond = addressCount / ((lookupEnd - lookupStart) / 1000);
  const naivePerSecond = sample / ((naiveEnd - naiveStart) / 1000);
  return {
    name: 'iprep',
    rows: [
      {
        what: `IP reputation: load ${entryCount.toLocaleString('en-US')} feed entries (parse + index)`,
        unit: 'entries/s',
        vitals: loadPerSecond,
        other: null,
        target: null,
        met: null,
      },
      {
        what: `IP reputation: look up ${addressCount.toLocaleString('en-US')} addresses`,
        unit: 'lookups/s',
        vitals: lookupsPerSecond,
        other: { tool: 'naive scan', value: naivePerSecond },
        target: null,
        met: null,
      },
    ],
    details: {
      entries: entryCount,
      distinctNetworks: index.v4.count + index.v6.count,
      addresses: addressCount,
      listedAddresses: listed,
      parseMs: Math.round(parsedAt - loadStart),
      indexMs: Math.round(loadEnd - parsedAt),
      lookupMs: Math.round(lookupEnd - lookupStart),
      naiveSample: sample,
      naiveMs: Math.round(naiveEnd - naiveStart),
      ratio: lookupsPerSecond / naivePerSecond,
    },
    notes: [
      `the naive scan checks every entry for each of ${sample} addresses (the whole set would take hours); ` +
        'its answers equal the index\u2019s on that sample',
    ],
  };
}
