/**
 * The reference the prefix index is measured against (tests and bench/iprep.bench.ts): every entry's
 * range checked against the address, one by one. Obviously right, linear per look-up.
 */
import type { IndexEntry } from './prefix-index.js';
import { type IpFamily, lastAddressWords } from './network.js';

export interface NaiveEntry {
  family: IpFamily;
  start: number[];
  end: number[];
  entry: IndexEntry;
}

export function naiveEntries(entries: readonly IndexEntry[]): NaiveEntry[] {
  return entries.map((entry) => ({
    family: entry.network.family,
    start: entry.network.words,
    end: lastAddressWords(entry.network),
    entry,
  }));
}

function compare(a: readonly number[], b: ArrayLike<number>): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
  return 0;
}

/** Every entry holding the address. */
export function naiveLookup(
  entries: readonly NaiveEntry[],
  family: IpFamily,
  address: ArrayLike<number>,
): IndexEntry[] {
  const out: IndexEntry[] = [];
  for (const e of entries)
    if (e.family === family && compare(e.start, address) <= 0 && compare(e.end, address) >= 0) out.push(e.entry);
  return out;
}
