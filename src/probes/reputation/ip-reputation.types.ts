/** Typed result of the IP reputation probe (ip-reputation.probe.ts), judged by checks/ip_reputation/. */
import type { FeedListing } from '../../core/reputation.js';

/** One address of a discovered host and the feed entries that cover it (most specific network first). */
export interface AddressReputation {
  address: string;
  listings: FeedListing[];
}

export interface HostReputation {
  host: string;
  /** Every address of the host, listed or not (so the evidence can say which ones were clean). */
  addresses: AddressReputation[];
}

/** A declared network and the feed entries overlapping it (holding it or inside it). */
export interface NetworkReputation {
  network: string;
  listings: FeedListing[];
}

export interface ReputationObservation {
  /** Feeds and distinct networks in the index the scan loaded. */
  feeds: number;
  networks: number;
  hosts: HostReputation[];
  declaredNetworks: NetworkReputation[];
}
