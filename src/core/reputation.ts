/**
 * IP reputation: threat-feed entries as the store keeps them and the scanner matches them (issue #8
 * section 3). A feed lists networks (one address is a /32 or /128) under one category; each entry keeps
 * when it was first and last listed, so a finding's evidence can say how long an address has been bad.
 */

/** What a feed says about the networks it lists; each maps to one finding id (`iprep.<kind>`). */
export const FEED_CATEGORIES = ['botnet_c2', 'malware', 'spam', 'bruteforce', 'scanning', 'tor_exit'] as const;
export type FeedCategory = (typeof FEED_CATEGORIES)[number];

/** The finding each category of listing gives (src/checks/ip_reputation/). */
export const REPUTATION_FINDINGS = {
  botnet_c2: 'iprep.botnet',
  malware: 'iprep.malware',
  spam: 'iprep.spam',
  bruteforce: 'iprep.bruteforce',
  scanning: 'iprep.scanning',
  tor_exit: 'iprep.tor_exit',
} as const satisfies Record<FeedCategory, string>;

/** One network on one feed. `network` is canonical CIDR text (`192.0.2.7/32`, `2001:db8::/32`). */
export interface FeedEntry {
  network: string;
  category: FeedCategory;
  /** ISO-8601 UTC: when the network was first listed (by the feed's own date, or the first import). */
  firstListed: string;
  /** ISO-8601 UTC: when the feed last listed it (its own date, or the import time). */
  lastListed: string;
}

/** A stored feed: its name (the key a re-import replaces), the file format and when it was imported. */
export interface FeedSummary {
  name: string;
  format: string;
  entries: number;
  importedAt: string;
}

/** One listing of an address as a lookup returns it: the feed and the entry that covers the address. */
export interface FeedListing extends FeedEntry {
  feed: string;
}

export function isFeedCategory(value: string): value is FeedCategory {
  return (FEED_CATEGORIES as readonly string[]).includes(value);
}
