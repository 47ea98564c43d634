/** The prefix index against a naive scan of every entry (fast-check), and hand-picked nestings. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FEED_CATEGORIES, type FeedListing } from '../../core/reputation.js';
import { formatNetwork, type IpFamily, type Network, parseAddress, parseNetwork } from './network.js';
import { naiveEntries, naiveLookup } from './naive-scan.js';
import { buildPrefixIndex, type IndexEntry, lookupAddress, lookupNetwork } from './prefix-index.js';

const DAY = '2025-01-01T00:00:00.000Z';

function entry(feed: string, cidr: string, category: IndexEntry['category'] = 'spam'): IndexEntry {
  const network = parseNetwork(cidr);
  if (network === null) throw new Error(cidr);
  return { feed, network, category, firstListed: DAY, lastListed: DAY };
}

const key = (l: { feed: string; network: string; category: string }) => `${l.feed} ${l.network} ${l.category}`;
const keysOf = (listings: readonly FeedListing[]) => listings.map(key).sort();
const naiveKeys = (entries: IndexEntry[]) =>
  entries.map((e) => key({ feed: e.feed, network: formatNetwork(e.network), category: e.category })).sort();

function lookup(entries: IndexEntry[], address: string): FeedListing[] {
  const parsed = parseAddress(address)!;
  return lookupAddress(buildPrefixIndex(entries), parsed.family, parsed.words);
}

describe('prefix index', () => {
  test('longest match first, then every wider network holding the address, across feeds', () => {
    const entries = [
      entry('drop', '10.0.0.0/8'),
      entry('feodo', '10.1.2.3/32', 'botnet_c2'),
      entry('lvl1', '10.1.0.0/16', 'scanning'),
      entry('lvl1', '10.2.0.0/16', 'scanning'),
      entry('tor', '10.1.2.3', 'tor_exit'),
    ];
    const found = lookup(entries, '10.1.2.3');
    assert.deepEqual(
      found.map((l) => `${l.feed} ${l.network}`),
      ['feodo 10.1.2.3/32', 'tor 10.1.2.3/32', 'lvl1 10.1.0.0/16', 'drop 10.0.0.0/8'],
    );
    assert.deepEqual(
      lookup(entries, '10.3.0.1').map((l) => l.network),
      ['10.0.0.0/8'],
    );
    assert.deepEqual(lookup(entries, '11.0.0.0'), []);
    assert.deepEqual(lookup(entries, '9.255.255.255'), []);
  });

  test('IPv6 and IPv4-mapped addresses', () => {
    const entries = [entry('v6', '2001:db8::/32'), entry('v6', '2001:db8:1::1/128'), entry('v4', '192.0.2.0/24')];
    assert.deepEqual(
      lookup(entries, '2001:db8:1::1').map((l) => l.network),
      ['2001:db8:1::1/128', '2001:db8::/32'],
    );
    assert.deepEqual(lookup(entries, '2001:db9::1'), []);
    assert.deepEqual(
      lookup(entries, '::ffff:192.0.2.9').map((l) => l.network),
      ['192.0.2.0/24'],
    );
  });

  test('declared networks: listings holding them and listings inside them, each once', () => {
    const index = buildPrefixIndex([
      entry('a', '10.0.0.0/8'),
      entry('b', '10.0.0.0/24'),
      entry('c', '10.0.0.7/32'),
      entry('d', '10.0.1.0/24'),
    ]);
    const found = lookupNetwork(index, parseNetwork('10.0.0.0/24')!);
    assert.deepEqual(keysOf(found), ['a 10.0.0.0/8 spam', 'b 10.0.0.0/24 spam', 'c 10.0.0.7/32 spam']);
    assert.deepEqual(keysOf(lookupNetwork(index, parseNetwork('11.0.0.0/8')!)), []);
  });

  test('an empty index finds nothing', () => {
    assert.deepEqual(lookup([], '192.0.2.1'), []);
  });

  // Networks drawn from a small space so that nesting and sharing happen often.
  const v4Network = fc
    .record({
      a: fc.integer({ min: 0, max: 3 }),
      rest: fc.integer({ min: 0, max: 0xffffff }),
      prefix: fc.integer({ min: 0, max: 32 }),
    })
    .map(
      ({ a, rest, prefix }) => parseNetwork(`${10 + a}.${rest >>> 16}.${(rest >>> 8) & 255}.${rest & 255}/${prefix}`)!,
    );
  const v6Network = fc
    .record({
      word: fc.integer({ min: 0, max: 0xffff }),
      tail: fc.integer({ min: 0, max: 3 }),
      prefix: fc.integer({ min: 0, max: 128 }),
    })
    .map(({ word, tail, prefix }) => parseNetwork(`2001:db8:${word.toString(16)}::${tail}/${prefix}`)!);
  const indexEntry = (networks: fc.Arbitrary<Network>) =>
    fc
      .record({
        feed: fc.constantFrom('f1', 'f2', 'f3'),
        network: networks,
        category: fc.constantFrom(...FEED_CATEGORIES),
      })
      .map((e): IndexEntry => ({ ...e, firstListed: DAY, lastListed: DAY }));
  // Addresses at, inside and just past the drawn networks' edges.
  const address = (family: IpFamily, networks: fc.Arbitrary<Network>) =>
    fc.tuple(networks, fc.integer({ min: 0, max: 511 })).map(([n, noise]) => ({
      family,
      words: n.words.map((w, i) => (i === n.words.length - 1 ? (w ^ noise) >>> 0 : w)),
    }));

  for (const [family, networks] of [
    [4, v4Network],
    [6, v6Network],
  ] as const) {
    test(`IPv${family}: every look-up finds exactly what a naive scan finds`, () => {
      fc.assert(
        fc.property(
          fc.array(indexEntry(networks), { maxLength: 60 }),
          fc.array(address(family, networks), { minLength: 1, maxLength: 20 }),
          (entries, addresses) => {
            const index = buildPrefixIndex(entries);
            const naive = naiveEntries(entries);
            for (const a of addresses)
              assert.deepEqual(
                keysOf(lookupAddress(index, a.family, a.words)),
                naiveKeys(naiveLookup(naive, a.family, a.words)),
              );
          },
        ),
        { numRuns: 300 },
      );
    });

    test(`IPv${family}: the longest match comes first`, () => {
      fc.assert(
        fc.property(fc.array(indexEntry(networks), { maxLength: 40 }), address(family, networks), (entries, a) => {
          const found = lookupAddress(buildPrefixIndex(entries), a.family, a.words);
          const lengths = found.map((l) => Number(l.network.split('/')[1]));
          assert.deepEqual(
            lengths,
            [...lengths].sort((x, y) => y - x),
          );
        }),
        { numRuns: 200 },
      );
    });

    test(`IPv${family}: a declared network finds exactly the listings overlapping it`, () => {
      fc.assert(
        fc.property(fc.array(indexEntry(networks), { maxLength: 40 }), networks, (entries, declared) => {
          const overlaps = entries.filter((e) => {
            const shorter = Math.min(e.network.prefix, declared.prefix);
            const a = parseNetwork(`${formatNetwork(e.network).split('/')[0]}/${shorter}`)!;
            const b = parseNetwork(`${formatNetwork(declared).split('/')[0]}/${shorter}`)!;
            return e.network.family === declared.family && a.words.every((w, i) => w === b.words[i]);
          });
          assert.deepEqual(keysOf(lookupNetwork(buildPrefixIndex(entries), declared)), naiveKeys(overlaps));
        }),
        { numRuns: 200 },
      );
    });
  }
});
